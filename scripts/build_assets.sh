#!/usr/bin/env bash
# Install front-end packages from the npm registry (pinned by package-lock.json) and
# copy the files the pages use into taizhang/static/vendor. Pages never load a CDN:
# government intranets have no internet.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
V=taizhang/static/vendor
rm -rf "$V"; mkdir -p "$V/bootstrap" "$V/htmx" "$V/echarts" "$V/leaflet/images"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$V/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$V/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$V/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$V/echarts/"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$V/leaflet/"
cp node_modules/leaflet/dist/images/* "$V/leaflet/images/"
echo "assets: $(find "$V" -type f | wc -l) files in $V"
