// sikumuh: what the map, chart and delineation scripts share. The colours are the design tokens
// of app.css (custom properties on :root), read at run time, so a colour lives in one place.
// Loaded by base.html before any page script; the page scripts use window.sikumuhUI.
(function () {
  "use strict";

  // The classes of Permen PUPR 14/2018 (the `klass` of the data) → their token names.
  var CLASS_TOKENS = {
    kumuh_berat: "berat", kumuh_sedang: "sedang", kumuh_ringan: "ringan", tidak_kumuh: "tidak"
  };
  var CLASS_ORDER = ["kumuh_berat", "kumuh_sedang", "kumuh_ringan", "tidak_kumuh"];

  function token(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }

  // Fill colour of a class ("none" or unknown: the no-data grey).
  function classColour(klass) {
    return token(CLASS_TOKENS[klass] || "none");
  }

  // Text colour with AA contrast on that fill.
  function classInk(klass) {
    return token("on-" + (CLASS_TOKENS[klass] || "none"));
  }

  function lang() {
    return document.documentElement.lang || "id";
  }

  // Numbers as people here read them: "47,53" in Indonesian.
  function numberFormat(digits) {
    var d = digits === undefined ? 2 : digits;
    return new Intl.NumberFormat(lang(), { minimumFractionDigits: d, maximumFractionDigits: d });
  }

  // An element holding `text` as text: location names are user data, never HTML.
  function node(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") { el.textContent = String(text); }
    if (className) { el.className = className; }
    return el;
  }

  // The JSON of a <script type="application/json"> (json_script) by id, or null.
  function jsonOf(id) {
    var source = id ? document.getElementById(id) : null;
    return source ? JSON.parse(source.textContent) : null;
  }

  // A Leaflet map with the site's tiles when configured (data-tile-url); without them the
  // polygons still show on the plain background of the map.
  function leafletMap(element) {
    // zoomSnap: a quarter step, so fitting the data fills the box (whole steps left up to half
    // of it empty, and the labels of a kabupaten less room).
    var map = window.L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false });
    // Leaflet's own words are English: the buttons' titles come translated from the page, and
    // the attribution names Leaflet without its English tooltip.
    window.L.control.zoom({
      zoomInTitle: element.dataset.zoomIn || "+", zoomOutTitle: element.dataset.zoomOut || "-"
    }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (element.dataset.tileUrl) {
      window.L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 19, attribution: element.dataset.tileAttribution || ""
      }).addTo(map);
    }
    return map;
  }

  window.sikumuhUI = {
    CLASS_ORDER: CLASS_ORDER,
    token: token,
    classColour: classColour,
    classInk: classInk,
    numberFormat: numberFormat,
    node: node,
    jsonOf: jsonOf,
    leafletMap: leafletMap
  };
})();
