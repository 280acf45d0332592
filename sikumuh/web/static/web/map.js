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
  // A map that lists its locations (data-index: the id of a hidden box holding an empty <ol>)
  // marks each with a numbered circle, at every zoom, and lists them by number: a label that finds no room
  // is hidden, but its location keeps its number, so every location can be told on the map
  // without tiles (issue 12, point 7). Circles that would cover one another are pushed apart and
  // tied to their place by a thin leader line. Without an index (one location) the label sits
  // on the polygon, or beside a plain dot below DOT_BELOW_ZOOM, where a location is a speck.
  var DOT_BELOW_ZOOM = 14;
  // Where a label may sit around its location, tried in this order: on the polygon when it is
  // bigger than the label (not on a numbered map: it would hide the number), else beside its
  // mark (right, left, above, below, the corners; never further: a label away from its mark
  // would name the wrong one). In half label widths/heights plus the mark's radius and a gap.
  var SPOTS = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  var DOT_RADIUS = 6;
  var NUMBER_RADIUS = 10;
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
  // turn takes the first spot around its location's mark that covers no label placed before
  // it, no mark of another location, and stays inside the map; a label with no free spot is
  // hidden until a zoom gives it room (on a numbered map the number still names the location).
  // The bigger locations are placed first.
  function declutter(el, placed, radius, onShape) {
    var frame = el.getBoundingClientRect();
    var kept = [];
    placed.forEach(function (item) {
      item.label.style.marginLeft = "0px";
      item.label.style.marginTop = "0px";
      item.label.classList.remove("map-label-hidden");
    });
    // The marks on screen now, each with the label it belongs to.
    var marks = [];
    placed.forEach(function (item) {
      var mark = item.mark && item.mark.getElement ? item.mark.getElement() : null;
      if (mark && mark.isConnected) { marks.push({ box: mark.getBoundingClientRect(), owner: item }); }
    });
    placed.forEach(function (item) {
      var label = item.label;
      var box = label.getBoundingClientRect();
      var w = box.right - box.left;
      var h = box.bottom - box.top;
      var shape = item.path.getElement ? item.path.getElement() : null;
      var size = shape ? shape.getBoundingClientRect() : { width: 0, height: 0 };
      var spots = onShape && size.width > w && size.height > h ? [[0, 0]].concat(SPOTS) : SPOTS;
      var others = marks.filter(function (mark) { return mark.owner !== item; })
        .map(function (mark) { return mark.box; });
      var spot = null;
      for (var i = 0; i < spots.length && spot === null; i++) {
        var sx = spots[i][0];
        var sy = spots[i][1];
        var dx = sx * (w / 2 + (sx ? radius + GAP : 0));
        var dy = sy * (h / 2 + (sy ? radius + GAP : 0));
        if (sx && sy) { dy = sy * (h / 2 + GAP); }
        var moved = shifted(box, dx, dy);
        var inside = moved.left >= frame.left && moved.right <= frame.right &&
          moved.top >= frame.top && moved.bottom <= frame.bottom;
        var free = inside && !kept.some(function (other) { return overlaps(moved, other); }) &&
          !others.some(function (mark) { return overlaps(moved, mark); });
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

  function bindLabel(layer, feature, common) {
    layer.bindTooltip(ui.node("span", shortName(feature.properties.name, common)), {
      permanent: true, direction: "center", className: "map-label", opacity: 1
    });
    return layer.getTooltip().getElement();
  }

  // Without an index: a dot per location below DOT_BELOW_ZOOM, the label on the polygon.
  function dotMarks(map, paths, common) {
    var group = L.layerGroup();
    var items = paths.map(function (path) {
      var props = path.feature.properties;
      // Where Leaflet anchors the label (the polygon's centroid), so a label beside its dot.
      var dot = L.circleMarker(path.getCenter(), {
        radius: DOT_RADIUS, color: ui.token("map-stroke"), weight: 1.5,
        fillColor: ui.classColour(props.klass), fillOpacity: 1,
        className: "map-dot " + (props.klass || "none")
      }).on("click", function () { path.openPopup(); }).addTo(group);
      return { path: path, mark: dot, label: bindLabel(path, path.feature, common) };
    });
    function toggle() {
      if (map.getZoom() < DOT_BELOW_ZOOM) { group.addTo(map); } else { group.remove(); }
    }
    map.on("zoomend", toggle);
    toggle();
    return items;
  }

  // With an index: a circle numbered as the list, in the class colour, its label beside it.
  // Not a tab stop each: the list beside the map links every location for the keyboard.
  function numberMarks(map, paths, common) {
    var group = L.layerGroup().addTo(map);
    return paths.map(function (path, i) {
      var props = path.feature.properties;
      var home = path.getCenter();
      var mark = L.marker(home, {
        icon: L.divIcon({
          html: ui.node("span", String(i + 1)),
          className: "map-number " + (props.klass || "none"),
          iconSize: [2 * NUMBER_RADIUS, 2 * NUMBER_RADIUS],
          tooltipAnchor: [0, 0]
        }),
        keyboard: false,
        title: props.name
      }).on("click", function () { path.openPopup(); }).addTo(group);
      return { path: path, mark: mark, home: home, label: bindLabel(mark, path.feature, common) };
    });
  }

  // Circles that would cover one another are pushed apart (in screen pixels: each overlap
  // halved on both sides, round after round); one whose place is in view stays inside the map.
  // A circle moved off its place is tied to it by a leader line.
  function spread(map, items, leaders) {
    var size = map.getSize();
    var least = 2 * NUMBER_RADIUS + 2;
    var homes = items.map(function (item) { return map.latLngToContainerPoint(item.home); });
    var at = homes.map(function (p) { return p.clone(); });
    function keepInside(p, i) {
      var home = homes[i];
      if (home.x < 0 || home.y < 0 || home.x > size.x || home.y > size.y) { return; }
      var r = NUMBER_RADIUS + 1;
      p.x = Math.min(Math.max(p.x, r), size.x - r);
      p.y = Math.min(Math.max(p.y, r), size.y - r);
    }
    for (var round = 0; round < 300; round++) {
      var moved = false;
      for (var i = 0; i < at.length; i++) {
        for (var j = i + 1; j < at.length; j++) {
          var dx = at[j].x - at[i].x;
          var dy = at[j].y - at[i].y;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d >= least) { continue; }
          // Two on the same spot part in a direction fixed by their order (same map each time).
          if (d < 0.01) { dx = Math.cos(j); dy = Math.sin(j); d = 1; }
          var push = (least - d) / 2 + 0.05;
          at[i].x -= dx / d * push;
          at[i].y -= dy / d * push;
          at[j].x += dx / d * push;
          at[j].y += dy / d * push;
          moved = true;
        }
      }
      at.forEach(keepInside);
      if (!moved) { break; }
    }
    leaders.clearLayers();
    items.forEach(function (item, k) {
      var place = map.containerPointToLatLng(at[k]);
      item.mark.setLatLng(place);
      if (at[k].distanceTo(homes[k]) > 2) {
        L.polyline([item.home, place], {
          color: ui.token("map-stroke"), weight: 1.5, interactive: false, className: "map-leader"
        }).addTo(leaders);
      }
    });
  }

  // The list beside the map (data-index: a box holding an <ol>): every location by its number,
  // class and name as on the map, linked to its page.
  function fillIndex(box, paths, common) {
    var list = box.querySelector("ol");
    list.textContent = "";
    paths.forEach(function (path, i) {
      var props = path.feature.properties;
      var item = ui.node("li");
      var number = ui.node("span", String(i + 1), "map-number " + (props.klass || "none"));
      number.setAttribute("aria-hidden", "true"); // the list's own numbering is read out
      item.appendChild(number);
      var name = ui.node(props.url ? "a" : "span", shortName(props.name, common), "map-index-name");
      if (props.url) { name.href = props.url; }
      item.appendChild(name);
      if (props.klass_label) { item.appendChild(ui.node("span", props.klass_label, "sr-only")); }
      list.appendChild(item);
    });
    box.hidden = false;
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
    var features = data.features || [];
    var common = commonFirstWord(features);
    var list = el.dataset.index ? document.getElementById(el.dataset.index) : null;
    var numbered = Boolean(list) && features.length > 1;
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
        path.bindPopup(popup(feature.properties, el));
      }
    }).addTo(map);
    var paths = layer.getLayers();
    if (paths.length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
      var leaders = numbered ? L.layerGroup().addTo(map) : null;
      var items = numbered ? numberMarks(map, paths, common) : dotMarks(map, paths, common);
      var placed = items.slice().sort(function (a, b) { return area(b.path) - area(a.path); })
        .filter(function (item) { return item.label; });
      var layout = function () {
        if (numbered) { spread(map, items, leaders); }
        declutter(el, placed, numbered ? NUMBER_RADIUS : DOT_RADIUS, !numbered);
      };
      if (numbered) { fillIndex(list, paths, common); }
      layout();
      // After Leaflet has moved the labels to the new view (it does so on the same events).
      var queued = false;
      map.on("zoomend moveend", function () {
        if (queued) { return; }
        queued = true;
        window.requestAnimationFrame(function () { queued = false; layout(); });
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
