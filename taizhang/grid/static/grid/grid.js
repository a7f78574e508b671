// Grid maps and charts. Works offline: polygons and markers on a blank background;
// a tile layer is added only when the page carries data-tiles (settings.TAIZHANG_TILE_URL).
(function () {
  "use strict";
  var CENTRE = [34.36, 107.14];

  function baseMap(el) {
    var map = L.map(el, { preferCanvas: true });
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map); }
    return map;
  }

  function cellsLayer(map) {
    var node = document.getElementById("grid-cells");
    if (!node) { return null; }
    var data = JSON.parse(node.textContent);
    if (!data.features.length) { return null; }
    var layer = L.geoJSON(data, {
      style: { color: "#3b6ea8", weight: 1, fillOpacity: 0.06 },
      onEachFeature: function (f, l) {
        var t = document.createElement("span");
        t.textContent = f.properties.street + " · " + f.properties.name;
        l.bindTooltip(t);
      }
    }).addTo(map);
    return layer;
  }

  function fit(map, layer) {
    if (layer) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); } else { map.setView(CENTRE, 13); }
  }

  // Location picker on the report pages: tap the map or use GPS.
  var pick = document.getElementById("pick-map");
  if (pick) {
    var map = baseMap(pick);
    fit(map, cellsLayer(map));
    var lat = document.querySelector("input[name=lat]");
    var lng = document.querySelector("input[name=lng]");
    var status = document.getElementById("pick-status");
    var marker = null;
    var place = function (la, ln) {
      lat.value = la.toFixed(6); lng.value = ln.toFixed(6);
      if (marker) { marker.setLatLng([la, ln]); } else { marker = L.marker([la, ln]).addTo(map); }
      status.textContent = lat.value + ", " + lng.value;
    };
    if (lat.value && lng.value) { place(parseFloat(lat.value), parseFloat(lng.value)); }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
    var gps = document.getElementById("gps");
    if (!navigator.geolocation) { gps.disabled = true; }
    gps.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        place(pos.coords.latitude, pos.coords.longitude);
        map.setView([pos.coords.latitude, pos.coords.longitude], 17);
      }, function (err) { status.textContent = err.message; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  var caseEl = document.getElementById("case-map");
  if (caseEl) {
    var cm = baseMap(caseEl);
    var p = [parseFloat(caseEl.dataset.lat), parseFloat(caseEl.dataset.lng)];
    L.circleMarker(p, { radius: 8, color: "#dc3545", fillOpacity: 0.8 }).addTo(cm);
    cm.setView(p, 16);
  }

  var cellsEl = document.getElementById("cells-map");
  if (cellsEl) {
    var m2 = baseMap(cellsEl);
    fit(m2, cellsLayer(m2));
  }

  // Statistics: density circles and the monthly trend.
  var heatEl = document.getElementById("heat-map");
  if (heatEl) {
    var hm = baseMap(heatEl);
    var cl = cellsLayer(hm);
    var pts = JSON.parse(document.getElementById("heat-data").textContent);
    var max = pts.reduce(function (a, q) { return Math.max(a, q.n); }, 1);
    pts.forEach(function (q) {
      var share = q.n / max;
      L.circleMarker([q.lat, q.lng], {
        radius: 4 + 14 * Math.sqrt(share), stroke: false,
        fillColor: share > 0.66 ? "#dc3545" : share > 0.33 ? "#fd7e14" : "#ffc107", fillOpacity: 0.6
      }).bindTooltip(String(q.n)).addTo(hm);
    });
    fit(hm, cl);
  }
  var trendEl = document.getElementById("trend-chart");
  if (trendEl && window.echarts) {
    var rows = JSON.parse(document.getElementById("trend-data").textContent);
    var labels = document.getElementById("trend-labels").dataset;
    echarts.init(trendEl).setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [labels.cases, labels.closed] },
      xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
      yAxis: { type: "value" },
      series: [
        { name: labels.cases, type: "line", data: rows.map(function (r) { return r.cases; }) },
        { name: labels.closed, type: "line", data: rows.map(function (r) { return r.closed; }) }
      ]
    });
  }
})();
