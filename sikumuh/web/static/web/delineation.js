// sikumuh delineation maps: every element with class "delineation-map" draws the GeoJSON
// FeatureCollection of the <script type="application/json"> named by its data-geojson.
// No inline script (Content Security Policy); tiles only when the site configures a tile URL.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var STYLE = {
    normal: { color: "#0b6e4f", weight: 2, fillOpacity: 0.25 },
    flagged: { color: "#b2182b", weight: 2, fillOpacity: 0.3 },
    old: { color: "#5b6877", weight: 1, dashArray: "4 4", fillOpacity: 0.05 }
  };

  function styleOf(feature) {
    var p = feature.properties || {};
    if (p.flagged) { return STYLE.flagged; }
    if (p.current === false) { return STYLE.old; }
    return STYLE.normal;
  }

  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = String(text);
    return span;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.geojson);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 19, attribution: element.dataset.tileAttribution || ""
      }).addTo(map);
    }
    var layer = L.geoJSON(data, {
      style: styleOf,
      onEachFeature: function (feature, shape) {
        var p = feature.properties || {};
        // Leaflet puts a string tooltip in as HTML: pass a node holding the label as text,
        // so a location named "<img onerror=…>" stays a name (issue #7, finding 7).
        if (p.label) { shape.bindTooltip(textNode(p.label), { sticky: true }); }
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
