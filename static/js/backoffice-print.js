// The "Print this receipt" button of the operator's receipt: shown only when JavaScript runs
// (without it, the page says to use the browser's print command).
(function () {
  "use strict";
  var button = document.getElementById("print-receipt");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
