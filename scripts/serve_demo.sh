#!/usr/bin/env bash
# Serve the demo: the background task worker (django-tasks, database backend) and the
# web server together; stopping the server (Ctrl-C) stops the worker too.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
.venv/bin/python manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker started (log: var/worker.log)."
echo "Serving on http://$HOST:$PORT/  (Ctrl-C to stop)"
.venv/bin/python manage.py runserver "$HOST:$PORT"
