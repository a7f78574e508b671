"""Per-client limits for the public intake (fixed windows in the shared cache).

The cache must be shared between processes in production (Redis/Memcached/database
cache); the default local-memory cache limits per process only.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client address: ``REMOTE_ADDR`` unless a trusted proxy header is configured."""
    header = getattr(settings, "TAIZHANG_GRID", {}).get("CLIENT_IP_HEADER")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request; True while the client is within ``limit`` requests per ``window`` seconds."""
    bucket = int(time.time() // window)
    name = f"taizhang:grid:rl:{scope}:{key}:{bucket}"
    if cache.add(name, 1, window + 5):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, window + 5)
        return True
    return count <= limit
