"""Plain geometry on GeoJSON coordinates ([lng, lat]): enough for grid cells, no GIS stack."""

from __future__ import annotations

import math
from collections.abc import Iterable


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """A Polygon or MultiPolygon as a list of polygons (each: outer ring, then holes)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {kind!r}")


def _in_ring(lng: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict, lat: float, lng: float) -> bool:
    for poly in polygons(geometry):
        if poly and _in_ring(lng, lat, poly[0]) and not any(_in_ring(lng, lat, hole) for hole in poly[1:]):
            return True
    return False


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng)."""
    pts: Iterable[list[float]] = (pt for poly in polygons(geometry) for ring in poly for pt in ring)
    lngs, lats = zip(*((p[0], p[1]) for p in pts), strict=True)
    return min(lats), max(lats), min(lngs), max(lngs)


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
