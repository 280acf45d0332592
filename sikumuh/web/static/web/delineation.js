// sikumuh delineation maps: every element with class "delineation-map" draws the GeoJSON
// FeatureCollection of the <script type="application/json"> named by its data-geojson.
// No inline script (Content Security Policy); tiles only when the site configures a tile URL.
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.sikumuhUI) { return; }
  var ui = window.sikumuhUI;

  // Colours are design tokens (app.css), read once the style sheet is in.
  function styleOf(feature) {
    var p = feature.properties || {};
    if (p.flagged) { return { color: ui.token("berat"), weight: 2.5, fillOpacity: 0.3 }; }
    if (p.current === false) {
      return { color: ui.token("muted"), weight: 1, dashArray: "4 4", fillOpacity: 0.05 };
    }
    return { color: ui.token("accent"), weight: 2.5, fillOpacity: 0.3 };
  }

  function draw(element) {
    var data = ui.jsonOf(element.dataset.geojson);
    if (!data) { return; }
    var map = ui.leafletMap(element);
    var layer = L.geoJSON(data, {
      style: styleOf,
      onEachFeature: function (feature, shape) {
        var p = feature.properties || {};
        // Leaflet puts a string tooltip in as HTML: pass a node holding the label as text,
        // so a location named "<img onerror=…>" stays a name (issue #7, finding 7).
        if (p.label) { shape.bindTooltip(ui.node("span", p.label), { sticky: true }); }
        if (p.url) { shape.on("click", function () { window.location.href = p.url; }); }
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    } else {
      map.setView([-2.5, 118], 5); // Indonesia
    }
    element.dataset.features = String(data.features.length);
    element.classList.add("drawn");
  }

  document.querySelectorAll(".delineation-map").forEach(draw);
})();
