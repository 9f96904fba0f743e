/* The optional map pin on the report form (issue 3; loaded only when ADUAN_MAP_TILE_URL is set,
 * after vendor/leaflet/leaflet.js). The pin writes the hidden latitude/longitude inputs; the
 * form works without it (no JavaScript, no tiles, no connection): the address field and the
 * "use my current location" button stay. report.js and this file tell each other about a new
 * or removed position with an `aduan:location` event on the document. */
(function () {
  "use strict";

  var EVENT = "aduan:location";
  var ZOOM = { kabupaten: 10, district: 12, village: 14, pin: 16 };

  function $(id) { return document.getElementById(id); }

  function number(value) {
    var n = parseFloat(value);
    return isFinite(n) ? n : null;
  }

  function point(lat, lon) {
    lat = number(lat); lon = number(lon);
    return lat === null || lon === null ? null : [lat, lon];
  }

  function start() {
    var block = $("report-map-block"), element = $("report-map");
    var lat = $("id_latitude"), lon = $("id_longitude"), region = $("id_region");
    var clear = $("report-map-clear"), status = $("report-map-status"), note = $("report-map-note");
    if (!block || !element || !lat || !lon || !window.L) { return; }
    var L = window.L, text = function (name) { return block.getAttribute("data-label-" + name) || ""; };

    block.hidden = false;  // before the map is made, so that Leaflet measures its real size
    var map = L.map(element, {
      zoomControl: false,
      attributionControl: true,
      keyboard: true,
      scrollWheelZoom: false  // scrolling the page over the map scrolls the page
    });
    L.control.zoom({ zoomInTitle: text("zoom-in"), zoomOutTitle: text("zoom-out") }).addTo(map);
    var icon = L.icon({
      iconUrl: block.getAttribute("data-icon"),
      iconRetinaUrl: block.getAttribute("data-icon-2x"),
      shadowUrl: block.getAttribute("data-shadow"),
      iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
    });
    var marker = null, loaded = false;

    var tiles = L.tileLayer(block.getAttribute("data-tiles"), {
      attribution: block.getAttribute("data-attribution") || "",
      maxZoom: 19,
      crossOrigin: false
    });
    tiles.on("tileload", function () { loaded = true; note.hidden = true; });
    tiles.on("tileerror", function () { if (!loaded) { note.hidden = false; } });
    tiles.addTo(map);
    if (!navigator.onLine) { note.hidden = false; }

    function areaCentre() {
      var option = region && region.selectedIndex >= 0 ? region.options[region.selectedIndex] : null;
      var here = option && point(option.getAttribute("data-lat"), option.getAttribute("data-lon"));
      if (here) {
        var whole = option.parentNode && option.parentNode.firstElementChild === option;
        return { at: here, zoom: whole ? ZOOM.district : ZOOM.village };
      }
      here = point(block.getAttribute("data-lat"), block.getAttribute("data-lon"));
      return here ? { at: here, zoom: ZOOM.kabupaten } : { at: [-2.5, 118], zoom: 4 };
    }

    function announce(message) { status.textContent = message; }

    function tell(cleared) {
      var event;
      try {
        event = new CustomEvent(EVENT, { detail: { source: "map", cleared: cleared } });
      } catch (e) { return; }
      document.dispatchEvent(event);
    }

    function write(latlng) {
      var wrapped = latlng.wrap();
      lat.value = wrapped.lat.toFixed(6);
      lon.value = wrapped.lng.toFixed(6);
    }

    // One remove button at a time: this one for a pin put on the map, report.js's
    // "Remove the position" for the device's position.
    function place(latlng, ownButton) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, {
          icon: icon, draggable: true, keyboard: false, alt: text("pin"), autoPanOnFocus: false
        }).addTo(map);
        marker.on("dragend", function () {
          write(marker.getLatLng());
          clear.hidden = false;
          announce(text("set"));
          tell(false);
        });
      }
      clear.hidden = !ownButton;
    }

    function unplace() {
      if (marker) { map.removeLayer(marker); marker = null; }
      clear.hidden = true;
    }

    function pinHere(latlng) {  // by the citizen, on the map
      place(latlng, true);
      write(latlng);
      announce(text("set"));
      tell(false);
    }

    map.on("click", function (event) { pinHere(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === element) {
        event.preventDefault();
        pinHere(map.getCenter());
      }
    });

    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      unplace();
      announce(text("removed"));
      tell(true);
      element.focus();
    });

    // The device's position (report.js) or its removal moves the pin.
    document.addEventListener(EVENT, function (event) {
      if (event.detail && event.detail.source === "map") { return; }
      var here = point(lat.value, lon.value);
      if (here) {
        place(here, false);
        map.setView(here, Math.max(map.getZoom() || 0, ZOOM.pin));
        announce("");
      } else {
        unplace();
      }
    });

    if (region) {
      region.addEventListener("change", function () {
        if (marker) { return; }  // a pin already says where: keep the view on it
        var centre = areaCentre();
        map.setView(centre.at, centre.zoom);
      });
    }

    var existing = point(lat.value, lon.value);  // the form shown again with its position
    if (existing) {
      place(existing, !("geolocation" in navigator));
      map.setView(existing, ZOOM.pin);
    } else {
      var centre = areaCentre();
      map.setView(centre.at, centre.zoom);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
