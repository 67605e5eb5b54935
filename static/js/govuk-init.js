/* Starts the GOV.UK Frontend components (header menu, notification banners, ...) on every page. */
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
