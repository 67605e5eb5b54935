/* Starts the GOV.UK Frontend components (header menu, notification banners, ...) on every page. */
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

/* A table that scrolls sideways on a narrow screen must be reachable by keyboard to be scrolled
   (WCAG 2.1.1); its caption already names it, and its role stays "table". */
function markScrollableTables() {
  for (const table of document.querySelectorAll("table.govuk-table")) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.tabIndex = 0;
    } else {
      table.removeAttribute("tabindex");
    }
  }
}
markScrollableTables();
window.addEventListener("resize", markScrollableTables);
