// The printable page's "Print this page" button: shown only when JavaScript can print.
(function () {
  var button = document.querySelector(".registry-print-bar__button");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
