// Projects as coloured circles. With no tile server (intranet) the map is a blank
// background; set TAIZHANG_TILE_URL to use a reachable tile source.
(function () {
  var el = document.getElementById("map");
  var points = JSON.parse(document.getElementById("map-points").textContent);
  var map = L.map(el, { preferCanvas: true });
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map); }
  var colours = { green: "#198754", amber: "#f0ad00", red: "#dc3545" };
  var bounds = [];
  points.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lng], { radius: 8, color: colours[p.status], fillOpacity: 0.8 }).addTo(map);
    var a = document.createElement("a"); a.href = p.url; a.textContent = p.name;
    m.bindPopup(a);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([34.36, 107.14], 11); }
})();
