/* The report form and receipt, enhanced (area B). Everything works without this file. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }

  // The error summary takes the focus so screen readers and keyboards start there.
  function focusErrors() {
    var summary = $("error-summary");
    if (summary) { summary.focus(); }
  }

  // Installed app (PWA): the report comes through the app channel.
  function markApp() {
    var via = $("id_via");
    var standalone = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
    if (via && (standalone || window.navigator.standalone)) { via.value = "app"; }
  }

  function counter() {
    var body = $("id_body"), out = $("body-counter");
    if (!body || !out) { return; }
    var max = parseInt(body.getAttribute("maxlength") || "10000", 10);
    var template = out.getAttribute("data-template") || "{count} / {max}";
    var timer = null;
    function update() {
      var count = body.value.length;
      out.textContent = format(template, { count: count, max: max });
      out.classList.toggle("over", count > max);
    }
    body.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 300);  // polite: not on every key
    });
    out.hidden = false;
    update();
  }

  // Kecamatan filter: a first select narrows the long desa/kelurahan list.
  function regionFilter() {
    var select = $("id_region"), slot = $("kecamatan-filter-slot");
    if (!select || !slot) { return; }
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    if (groups.length < 2) { return; }
    var emptyOption = select.querySelector("option[value='']");
    var originals = groups.map(function (group) { return group.cloneNode(true); });
    var label = document.createElement("label");
    label.setAttribute("for", "kecamatan-filter");
    label.textContent = slot.getAttribute("data-label") || "Kecamatan";
    var filter = document.createElement("select");
    filter.id = "kecamatan-filter";
    var all = document.createElement("option");
    all.value = "";
    all.textContent = slot.getAttribute("data-all") || "—";
    filter.appendChild(all);
    originals.forEach(function (group, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = group.label;
      filter.appendChild(option);
      if (select.value && group.querySelector("option[value='" + select.value + "']")) {
        option.selected = true;
      }
    });
    function rebuild() {
      var current = select.value;
      while (select.firstChild) { select.removeChild(select.firstChild); }
      if (emptyOption) { select.appendChild(emptyOption.cloneNode(true)); }
      originals.forEach(function (group, index) {
        if (filter.value === "" || filter.value === String(index)) {
          select.appendChild(group.cloneNode(true));
        }
      });
      select.value = current;
      if (select.value !== current) { select.value = ""; }
    }
    filter.addEventListener("change", rebuild);
    slot.appendChild(label);
    slot.appendChild(filter);
    rebuild();
  }

  // Tells the map pin (report-map.js, when there is a map) that the position changed.
  function tellLocation(cleared) {
    try {
      document.dispatchEvent(new CustomEvent("aduan:location", {
        detail: { source: "device", cleared: cleared }
      }));
    } catch (e) { /* old browser: no map either */ }
  }

  function geolocation() {
    var box = $("locate"), button = $("locate-button"), clear = $("locate-clear");
    var status = $("locate-status"), lat = $("id_latitude"), lon = $("id_longitude");
    if (!box || !button || !lat || !lon || !("geolocation" in navigator)) { return; }
    box.hidden = false;
    clear.hidden = !(lat.value && lon.value);
    button.addEventListener("click", function () {
      status.textContent = box.getAttribute("data-label-busy");
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = box.getAttribute("data-label-found");
        clear.hidden = false;
        tellLocation(false);
      }, function () {
        status.textContent = box.getAttribute("data-label-failed");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      status.textContent = "";
      clear.hidden = true;
      tellLocation(true);
      button.focus();
    });
    // The pin on the map set or removed the position.
    document.addEventListener("aduan:location", function (event) {
      if (!event.detail || event.detail.source !== "map") { return; }
      status.textContent = "";
      clear.hidden = true;  // the map shows its own "Remove the pin"
    });
  }

  // Suggest a category from the title and description (only while none is chosen).
  function suggestion() {
    var form = $("report-form"), box = $("category-suggestion"), select = $("id_category");
    var body = $("id_body"), title = $("id_title");
    if (!form || !box || !select || !body || !window.fetch) { return; }
    var url = form.getAttribute("data-suggest-url"), timer = null, lastQuery = "";
    function show(item) {
      while (box.firstChild) { box.removeChild(box.firstChild); }
      if (!item || select.value) { box.hidden = true; return; }
      var text = document.createElement("p");
      text.textContent = box.getAttribute("data-label") + " " + (item.parent ? item.parent + " › " : "") + item.name;
      var use = document.createElement("button");
      use.type = "button";
      use.className = "secondary";
      use.textContent = box.getAttribute("data-use");
      use.addEventListener("click", function () {
        var filter = $("kecamatan-filter");
        select.value = String(item.id);
        box.hidden = true;
        select.focus();
        if (filter) { filter.blur(); }
      });
      box.appendChild(text);
      box.appendChild(use);
      box.hidden = false;
    }
    function ask() {
      var query = ((title ? title.value : "") + " " + body.value).trim();
      if (query.length < 12 || query === lastQuery || select.value) { return; }
      lastQuery = query;
      fetch(url + "?q=" + encodeURIComponent(query.slice(0, 2000)), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        show(data.suggestions && data.suggestions[0]);
      }).catch(function () { /* offline: no suggestion */ });
    }
    function later() { window.clearTimeout(timer); timer = window.setTimeout(ask, 800); }
    body.addEventListener("input", later);
    if (title) { title.addEventListener("input", later); }
    select.addEventListener("change", function () { if (select.value) { box.hidden = true; } });
  }

  // Receipt: copy the private link, print.
  function receipt() {
    var copy = $("copy-link"), print = $("print-receipt"), input = $("private-url");
    var status = $("copy-status");
    if (copy && input) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        function done(ok) {
          status.textContent = copy.getAttribute(ok ? "data-copied" : "data-failed");
        }
        function fallback() {
          input.focus();
          input.select();
          try { done(document.execCommand("copy")); } catch (e) { done(false); }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, fallback);
        } else {
          fallback();
        }
      });
    }
    if (print && window.print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  function start() {
    markApp();
    counter();
    regionFilter();
    geolocation();
    suggestion();
    receipt();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
