"""Benchmark settings: production-like (DEBUG off, cached templates) on the database
named by DATABASE_URL, with the test suite's fast password hasher and inline tasks.

On PostgreSQL, commits are synchronous (``synchronous_commit=on``, whatever the
cluster's default). Without DATABASE_URL, a throwaway SQLite file under .tmp/ (a smoke run only: the
targets are for PostgreSQL — run ``make bench``).
"""

import os

from taizhang.settings.base import *  # noqa: F401,F403
from taizhang.settings.base import BASE_DIR, DATABASES

DEBUG = False
ROOT_URLCONF = "bench.urls"  # adds the lists' raw-SQL floor pages (bench/floors.py)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

if os.environ.get("DATABASE_URL"):
    # The throwaway cluster (scripts/with_postgres.sh) starts with synchronous_commit=off for
    # the test suite's speed. An acknowledged report must survive a crash of the database,
    # so the benchmark's sessions commit synchronously, as production does (the default).
    # fsync stays off in that cluster: the flush itself costs no CPU, only latency.
    DATABASES["default"]["OPTIONS"] = {"options": "-c synchronous_commit=on"}
else:
    DATABASES["default"]["NAME"] = os.environ.get("TAIZHANG_BENCH_SQLITE", str(BASE_DIR / ".tmp" / "bench.sqlite3"))
