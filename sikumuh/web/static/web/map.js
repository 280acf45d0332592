// sikumuh: the map of slum locations (Leaflet). Each element with data-map gets a map; its data
// come from data-url (the region's peta.geojson) or data-geojson (the id of a json_script
// element). Base tiles come from data-tile-url (settings.TILE_URL): without them, or when the
// tile server cannot be reached, the polygons, their class colours and their labels still show.
// Text goes into the page through textContent only (location names are user data). A feature
// with a `planned` property (the planner's map) is outlined when the plan acts in it and faded
// when it does not; its `plan_note` says what the plan does there.
(function () {
  "use strict";
  if (typeof window.L === "undefined") { return; }
  var L = window.L;

  var CLASS_VARS = {
    kumuh_berat: "--berat", kumuh_sedang: "--sedang", kumuh_ringan: "--ringan", tidak_kumuh: "--tidak"
  };
  // The whole of Indonesia, shown until the data arrive (lat, lon).
  var INDONESIA = [[-11.0, 94.9], [6.1, 141.1]];
  // Below this zoom a slum location (a few hectares) is a few pixels wide: a dot in its class
  // colour marks it too, so a kabupaten-wide map still shows where the locations are.
  var DOT_BELOW_ZOOM = 14;

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function colour(klass) {
    return cssVar(CLASS_VARS[klass] || "--none", "#9aa5b1");
  }

  function node(tag, text, className) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }

  function popup(props, el) {
    var box = node("div", null, "map-popup");
    box.appendChild(node("strong", props.name));
    if (props.desa) { box.appendChild(node("span", props.desa)); }
    if (props.klass_label) { box.appendChild(node("div", props.klass_label)); }
    if (props.slum_ha !== null && props.slum_ha !== undefined) {
      var fmt = new Intl.NumberFormat(document.documentElement.lang || "id", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      box.appendChild(node("div", (el.dataset.slumLabel || "") + ": " + fmt.format(props.slum_ha) + " Ha"));
    }
    if (props.plan_note) { box.appendChild(node("div", props.plan_note, "map-plan-note")); }
    if (props.url) {
      var link = node("a", el.dataset.openLabel || props.url);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function message(el, text) {
    if (!text) { return; }
    el.appendChild(node("div", text, "map-message"));
  }

  // Permanent labels would pile up on a kabupaten-wide map: a label that overlaps one already
  // shown is hidden until the user zooms in far enough to separate them.
  function declutter(el) {
    var kept = [];
    el.querySelectorAll(".map-label").forEach(function (label) {
      label.classList.remove("map-label-hidden");
      var box = label.getBoundingClientRect();
      var clash = kept.some(function (other) {
        return box.left < other.right && other.left < box.right &&
          box.top < other.bottom && other.top < box.bottom;
      });
      if (clash) { label.classList.add("map-label-hidden"); } else { kept.push(box); }
    });
  }

  function dots(map, layer) {
    var group = L.layerGroup();
    layer.eachLayer(function (path) {
      var props = path.feature.properties;
      L.circleMarker(path.getBounds().getCenter(), {
        radius: 5, color: "#33404d", weight: 1, fillColor: colour(props.klass), fillOpacity: 0.9,
        className: "map-dot " + (props.klass || "none")
      }).on("click", function () { path.openPopup(); }).addTo(group);
    });
    function toggle() {
      if (map.getZoom() < DOT_BELOW_ZOOM) { group.addTo(map); } else { group.remove(); }
    }
    map.on("zoomend", toggle);
    toggle();
  }

  function draw(map, el, data) {
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var klass = feature.properties.klass || "none";
        var planned = feature.properties.planned;
        var style = {
          color: "#33404d",
          weight: 1.5,
          fillColor: colour(feature.properties.klass),
          fillOpacity: 0.7,
          className: "map-location " + klass
        };
        if (planned === true) {
          style.color = cssVar("--planned", "#1d4ed8");
          style.weight = 4;
          style.className += " map-planned";
        } else if (planned === false) {
          style.fillOpacity = 0.2;
          style.className += " map-unplanned";
        }
        return style;
      },
      onEachFeature: function (feature, path) {
        var props = feature.properties;
        path.bindTooltip(node("span", props.name), {
          permanent: true, direction: "center", className: "map-label", opacity: 1
        });
        path.bindPopup(popup(props, el));
      }
    }).addTo(map);
    var count = layer.getLayers().length;
    if (count) {
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17, animate: false });
      dots(map, layer);
      declutter(el);
      map.on("zoomend", function () { declutter(el); });
    } else {
      message(el, el.dataset.empty);
    }
    el.dataset.features = String(count);
    el.dataset.ready = "true";
  }

  function init(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    map.fitBounds(INDONESIA);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    if (el.dataset.geojson) {
      var source = document.getElementById(el.dataset.geojson);
      draw(map, el, source ? JSON.parse(source.textContent) : { type: "FeatureCollection", features: [] });
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
