// sikumuh: the map of slum locations (Leaflet). Each element with data-map gets a map; its data
// come from data-url (the region's peta.geojson) or data-geojson (the id of a json_script
// element). Base tiles come from data-tile-url (settings.TILE_URL): without them, or when the
// tile server cannot be reached, the polygons, their class colours and their labels still show.
// Colours are the design tokens of app.css (through ui.js); text goes into the page through
// textContent only (location names are user data).
(function () {
  "use strict";
  if (typeof window.L === "undefined" || !window.sikumuhUI) { return; }
  var L = window.L;
  var ui = window.sikumuhUI;

  // The whole of Indonesia, shown until the data arrive (lat, lon).
  var INDONESIA = [[-11.0, 94.9], [6.1, 141.1]];
  // Below this zoom a slum location (a few hectares) is a few pixels wide: a dot in its class
  // colour marks it too, so a kabupaten-wide map still shows where the locations are.
  var DOT_BELOW_ZOOM = 14;
  // Where a label may sit around its location's centre, tried in this order (in label widths
  // and heights, plus a gap in pixels): on it, above, below, right, left, then the corners.
  var SPOTS = [[0, 0], [0, -1], [0, 1], [0.5, 0], [-0.5, 0], [0.5, -1], [-0.5, -1], [0.5, 1], [-0.5, 1],
    [0, -2], [0, 2]];
  var GAP = 6;

  function popup(props, el) {
    var box = ui.node("div", null, "map-popup");
    box.appendChild(ui.node("strong", props.name));
    if (props.desa) { box.appendChild(ui.node("span", props.desa)); }
    if (props.klass_label) { box.appendChild(ui.node("div", props.klass_label)); }
    if (props.slum_ha !== null && props.slum_ha !== undefined) {
      box.appendChild(ui.node("div", (el.dataset.slumLabel || "") + ": " + ui.numberFormat(2).format(props.slum_ha) + " Ha"));
    }
    if (props.url) {
      var link = ui.node("a", el.dataset.openLabel || props.url);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function message(el, text) {
    if (!text) { return; }
    el.appendChild(ui.node("div", text, "map-message"));
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function shifted(box, dx, dy) {
    return { left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy };
  }

  // Permanent labels would pile up on a kabupaten-wide map. Each label in turn takes the first
  // spot around its location that overlaps no label placed before it and stays inside the map;
  // only a label with no free spot is hidden (until a zoom gives it room). The bigger locations
  // are placed first, so their names are the last to go.
  function declutter(el, labels) {
    var frame = el.getBoundingClientRect();
    var kept = [];
    labels.forEach(function (label) {
      label.style.marginLeft = "0px";
      label.style.marginTop = "0px";
      label.classList.remove("map-label-hidden");
    });
    labels.forEach(function (label) {
      var box = label.getBoundingClientRect();
      var w = box.right - box.left;
      var h = box.bottom - box.top;
      var spot = null;
      for (var i = 0; i < SPOTS.length && spot === null; i++) {
        var dx = SPOTS[i][0] * (w + GAP);
        var dy = SPOTS[i][1] * (h + GAP / 2);
        var moved = shifted(box, dx, dy);
        var inside = moved.left >= frame.left && moved.right <= frame.right &&
          moved.top >= frame.top && moved.bottom <= frame.bottom;
        if (inside && !kept.some(function (other) { return overlaps(moved, other); })) {
          spot = [dx, dy];
          kept.push(moved);
        }
      }
      if (spot === null) {
        label.classList.add("map-label-hidden");
      } else {
        label.style.marginLeft = spot[0] + "px";
        label.style.marginTop = spot[1] + "px";
      }
    });
    el.dataset.labelsShown = String(kept.length);
  }

  function dots(map, layer) {
    var group = L.layerGroup();
    layer.eachLayer(function (path) {
      var props = path.feature.properties;
      L.circleMarker(path.getBounds().getCenter(), {
        radius: 6, color: ui.token("map-stroke"), weight: 1.5, fillColor: ui.classColour(props.klass),
        fillOpacity: 1, className: "map-dot " + (props.klass || "none")
      }).on("click", function () { path.openPopup(); }).addTo(group);
    });
    function toggle() {
      if (map.getZoom() < DOT_BELOW_ZOOM) { group.addTo(map); } else { group.remove(); }
    }
    map.on("zoomend", toggle);
    toggle();
  }

  function area(path) {
    var b = path.getBounds();
    return (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
  }

  function draw(map, el, data) {
    var layer = L.geoJSON(data, {
      // Bold enough to read on the plain background when there are no tiles.
      style: function (feature) {
        var klass = feature.properties.klass || "none";
        return {
          color: ui.token("map-stroke"),
          weight: 2,
          fillColor: ui.classColour(feature.properties.klass),
          fillOpacity: 0.85,
          className: "map-location " + klass
        };
      },
      onEachFeature: function (feature, path) {
        path.bindTooltip(ui.node("span", feature.properties.name), {
          permanent: true, direction: "center", className: "map-label", opacity: 1
        });
        path.bindPopup(popup(feature.properties, el));
      }
    }).addTo(map);
    var paths = layer.getLayers();
    if (paths.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
      dots(map, layer);
      var ordered = paths.slice().sort(function (a, b) { return area(b) - area(a); });
      var labels = ordered.map(function (path) { return path.getTooltip().getElement(); })
        .filter(Boolean);
      declutter(el, labels);
      map.on("zoomend moveend", function () { declutter(el, labels); });
    } else {
      message(el, el.dataset.empty);
    }
    el.dataset.features = String(paths.length);
    el.dataset.ready = "true";
  }

  function init(el) {
    var map = ui.leafletMap(el);
    map.fitBounds(INDONESIA);
    if (el.dataset.geojson) {
      draw(map, el, ui.jsonOf(el.dataset.geojson) || { type: "FeatureCollection", features: [] });
      return;
    }
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) { draw(map, el, data); })
      .catch(function () {
        el.dataset.ready = "error";
        message(el, el.dataset.empty);
      });
  }

  document.querySelectorAll("[data-map]").forEach(init);
})();
