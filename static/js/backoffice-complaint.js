// The complaint page's actions done in place (htmx; see aduan/backoffice/views/complaint.py).
// No inline script (CSP): this file only adjusts htmx's defaults for #complaint-page.
(function () {
  "use strict";
  var IN_PLACE = [400, 403, 409]; // the page again, with the form's errors or a notice

  function ours(event) {
    var target = event.detail && event.detail.target;
    return target && target.id === "complaint-page";
  }

  // htmx does not swap 4xx answers by default; these carry the page to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (ours(event) && IN_PLACE.indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap the button that had the focus is gone: focus the first field in error, or
  // the heading; the flash of an earlier full page is stale now.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "complaint-page") return;
    document.querySelectorAll("main > .flash").forEach(function (old) { old.remove(); });
    var field = event.target.querySelector("details[open] [aria-invalid=true]");
    var focus = field || event.target.querySelector("h1");
    if (focus) focus.focus();
  });

  // Anything else (404, 500, no network): say so in the live region; nothing was swapped.
  function failed(event) {
    if (!ours(event)) return;
    var live = document.getElementById("complaint-live");
    if (!live) return;
    var box = document.createElement("div");
    box.className = "flash";
    var line = document.createElement("p");
    line.className = "flash-error";
    line.textContent = live.getAttribute("data-failed") || "";
    box.appendChild(line);
    live.replaceChildren(box);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
