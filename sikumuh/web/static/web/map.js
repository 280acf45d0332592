// sikumuh: the map of slum locations (Leaflet). Each element with data-map gets a map; its data
// come from data-url (the region's peta.geojson) or data-geojson (the id of a json_script
// element). Base tiles come from data-tile-url (settings.TILE_URL): without them, or when the
// tile server cannot be reached, the polygons, their class colours and their labels still show.
  // Colours are the design tokens of app.css (through ui.js); text goes into the page through
  // textContent only (location names are user data). A feature with a `planned` property (the
  // planner's map) is outlined when the plan acts in it and faded when it does not; its
  // `plan_note` says what the plan does there.
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
  // Where a label may sit around its location, tried in this order: on the polygon when it is
  // bigger than the label, else beside its dot (right, left, above, below, the corners;
  // never further: a label away from its dot would name the wrong one). In half label
  // widths/heights plus the dot's radius and a gap, from the centre.
  var SPOTS = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  var DOT_RADIUS = 6;
  var GAP = 3;

  function popup(props, el) {
    var box = ui.node("div", null, "map-popup");
    box.appendChild(ui.node("strong", props.name));
    if (props.desa) { box.appendChild(ui.node("span", props.desa)); }
    if (props.klass_label) { box.appendChild(ui.node("div", props.klass_label)); }
    if (props.slum_ha !== null && props.slum_ha !== undefined) {
      box.appendChild(ui.node("div", (el.dataset.slumLabel || "") + ": " + ui.numberFormat(2).format(props.slum_ha) + " Ha"));
    }
    if (props.plan_note) { box.appendChild(ui.node("div", props.plan_note, "map-plan-note")); }
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

  // Permanent labels would pile up on a kabupaten-wide map (10 of 48 showed). Each label in
  // turn takes the first spot around its location that covers no label placed before it, no
  // dot of another location, and stays inside the map; only a label with no free spot is hidden
  // (until a zoom gives it room). The bigger locations are placed first.
  function declutter(el, placed) {
    var frame = el.getBoundingClientRect();
    var kept = [];
    placed.forEach(function (item) {
      item.label.style.marginLeft = "0px";
      item.label.style.marginTop = "0px";
      item.label.classList.remove("map-label-hidden");
    });
    // The dots on screen now (below DOT_BELOW_ZOOM), each with the label it belongs to.
    var dots = [];
    placed.forEach(function (item) {
      var dot = item.dot && item.dot.getElement ? item.dot.getElement() : null;
      if (dot && dot.isConnected) { dots.push({ box: dot.getBoundingClientRect(), owner: item }); }
    });
    placed.forEach(function (item) {
      var label = item.label;
      var box = label.getBoundingClientRect();
      var w = box.right - box.left;
      var h = box.bottom - box.top;
      var shape = item.path.getElement ? item.path.getElement() : null;
      var size = shape ? shape.getBoundingClientRect() : { width: 0, height: 0 };
      var spots = size.width > w && size.height > h ? [[0, 0]].concat(SPOTS) : SPOTS;
      var others = dots.filter(function (dot) { return dot.owner !== item; })
        .map(function (dot) { return dot.box; });
      var spot = null;
      for (var i = 0; i < spots.length && spot === null; i++) {
        var sx = spots[i][0];
        var sy = spots[i][1];
        var dx = sx * (w / 2 + (sx ? DOT_RADIUS + GAP : 0));
        var dy = sy * (h / 2 + (sy ? DOT_RADIUS + GAP : 0));
        if (sx && sy) { dy = sy * (h / 2 + GAP); }
        var moved = shifted(box, dx, dy);
        var inside = moved.left >= frame.left && moved.right <= frame.right &&
          moved.top >= frame.top && moved.bottom <= frame.bottom;
        var free = inside && !kept.some(function (other) { return overlaps(moved, other); }) &&
          !others.some(function (dot) { return overlaps(moved, dot); });
        if (free) {
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

  // A dot per location, returned by the polygon's Leaflet id (its label keeps clear of others).
  function dots(map, layer) {
    var group = L.layerGroup();
    var byPath = {};
    layer.eachLayer(function (path) {
      var props = path.feature.properties;
      // Where Leaflet anchors the label (the polygon's centroid), so a label beside its dot.
      byPath[L.stamp(path)] = L.circleMarker(path.getCenter(), {
        radius: DOT_RADIUS, color: ui.token("map-stroke"), weight: 1.5,
        fillColor: ui.classColour(props.klass), fillOpacity: 1,
        className: "map-dot " + (props.klass || "none")
      }).on("click", function () { path.openPopup(); }).addTo(group);
    });
    function toggle() {
      if (map.getZoom() < DOT_BELOW_ZOOM) { group.addTo(map); } else { group.remove(); }
    }
    map.on("zoomend", toggle);
    toggle();
    return byPath;
  }

  function area(path) {
    var b = path.getBounds();
    return (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
  }

  // The first word every location's name shares ("Kawasan …") tells nothing on the map and
  // takes a third of each label's room: the labels leave it out, the popups keep it.
  function commonFirstWord(features) {
    var words = features.map(function (f) { return String(f.properties.name || "").split(" ")[0]; });
    var first = words[0];
    var shared = features.length > 1 && first && words.every(function (w) { return w === first; });
    return shared ? first + " " : "";
  }

  function shortName(name, common) {
    var text = String(name || "");
    return common && text.indexOf(common) === 0 && text.length > common.length ?
      text.slice(common.length) : text;
  }

  function draw(map, el, data) {
    var common = commonFirstWord(data.features || []);
    var layer = L.geoJSON(data, {
      // Bold enough to read on the plain background when there are no tiles.
      style: function (feature) {
        var klass = feature.properties.klass || "none";
        var planned = feature.properties.planned;
        var style = {
          color: ui.token("map-stroke"),
          weight: 2,
          fillColor: ui.classColour(feature.properties.klass),
          fillOpacity: 0.85,
          className: "map-location " + klass
        };
        if (planned === true) {
          style.color = ui.token("planned");
          style.weight = 4;
          style.className += " map-planned";
        } else if (planned === false) {
          style.fillOpacity = 0.2;
          style.className += " map-unplanned";
        }
        return style;
      },
      onEachFeature: function (feature, path) {
        path.bindTooltip(ui.node("span", shortName(feature.properties.name, common)), {
          permanent: true, direction: "center", className: "map-label", opacity: 1
        });
        path.bindPopup(popup(feature.properties, el));
      }
    }).addTo(map);
    var paths = layer.getLayers();
    if (paths.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
      var dotOf = dots(map, layer);
      var placed = paths.slice().sort(function (a, b) { return area(b) - area(a); })
        .map(function (path) {
          return { path: path, label: path.getTooltip().getElement(), dot: dotOf[L.stamp(path)] };
        })
        .filter(function (item) { return item.label; });
      declutter(el, placed);
      // After Leaflet has moved the labels to the new view (it does so on the same events).
      var queued = false;
      map.on("zoomend moveend", function () {
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () { queued = false; declutter(el, placed); });
      });
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
