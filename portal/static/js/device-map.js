// Draws a Leaflet map from the points in the page's JSON data block: devices on the register
// and device pages, or a campaign's sites (with their own colour and popup lines).
// Without JavaScript, the written location and the list of devices stand in for the map.
// Leaflet is fetched only when the map is about to scroll into view, so a resident who
// scanned a sign on a slow connection does not pay for a map they may never look at.
(function () {
  "use strict";
  var container = document.getElementById("ps-map");
  var dataBlock = document.getElementById("ps-map-data");
  if (!container || !dataBlock) {
    return;
  }
  var points = JSON.parse(dataBlock.textContent);
  if (!points.length) {
    return;
  }
  var wrapper = document.getElementById("ps-map-wrapper") || container;
  wrapper.hidden = false;

  function loadLeaflet(done) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = container.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = container.getAttribute("data-leaflet-js");
    script.onload = done;
    document.head.appendChild(script);
  }

  function draw() {
    var map = L.map(container, { scrollWheelZoom: false });
    var tiles = container.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: container.getAttribute("data-attribution") || "",
      }).addTo(map);
    }
    var colours = { identifiable: "#8a6d00", de_identified: "#005ea5", none: "#1d4f5c" };
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 9,
        weight: 2,
        color: "#0b0c0c",
        fillColor: point.colour || colours[point.personal] || colours.none,
        fillOpacity: 0.9,
      }).addTo(map);
      var popup = document.createElement("div");
      // Devices link to their page; a campaign's sites have no page of their own.
      var title = document.createElement(point.url ? "a" : "strong");
      if (point.url) {
        title.href = point.url;
      }
      title.textContent = point.name;
      popup.appendChild(title);
      (point.lines || [point.status, point.personal_text]).forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        popup.appendChild(line);
      });
      marker.bindPopup(popup);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 16);
    } else {
      map.fitBounds(bounds, { padding: [24, 24] });
    }
    container.setAttribute("data-ready", "true");
  }

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          loadLeaflet(draw);
        }
      },
      { rootMargin: "200px" }
    );
    observer.observe(container);
  } else {
    loadLeaflet(draw);
  }
})();
