#!/usr/bin/env bash
# Run CMD against a throwaway PostgreSQL cluster:
#
#   ./scripts/with_postgres.sh CMD [ARGS...]
#
# A fresh cluster is created in a temp dir, listens on 127.0.0.1 only (a free port),
# and is tuned for speed, not durability (fsync/synchronous_commit/full_page_writes
# off). CMD runs as the current user with DATABASE_URL exported; the server is stopped
# and the directory deleted on exit, whatever happens. The exit code is CMD's.
#
# It never touches a system cluster. If no PostgreSQL server binaries are found it
# fails, unless TAIZHANG_PG_OPTIONAL=1, in which case it skips CMD and exits 0.
set -euo pipefail

# The whole script is one function, parsed before it runs: editing this file while a
# long command runs under it cannot derail the cleanup.
main() {
  if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
  fi

  find_pg_bin() {
    local dir
    if [ -n "${TAIZHANG_PG_BIN:-}" ] && [ -x "$TAIZHANG_PG_BIN/initdb" ]; then
      echo "$TAIZHANG_PG_BIN"
      return 0
    fi
    # Highest version first.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
      if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
        return 0
      fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
      # Often symlinks into the versioned directory, which also holds psql.
      dirname "$(readlink -f "$(command -v initdb)")"
      return 0
    fi
    return 1
  }

  if ! PG_BIN="$(find_pg_bin)"; then
    if [ "${TAIZHANG_PG_OPTIONAL:-0}" = "1" ]; then
      echo "with_postgres: PostgreSQL server binaries not found; skipped: $*" >&2
      exit 0
    fi
    echo "with_postgres: PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin." >&2
    echo "  Install them (Debian/Ubuntu: apt-get install postgresql) or set TAIZHANG_PG_OPTIONAL=1 to skip." >&2
    exit 1
  fi

  PYTHON_BIN="$(command -v python3 || command -v python)"
  PORT="$("$PYTHON_BIN" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  PGROOT="$(mktemp -d "${TMPDIR:-/tmp}/taizhang-pg.XXXXXX")"
  PGDATA="$PGROOT/data"
  PGLOG="$PGROOT/server.log"
  DB_USER="taizhang"
  DB_NAME="taizhang"

  # As root, the server must run as an unprivileged system user.
  if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    chown postgres: "$PGROOT"
    chmod 700 "$PGROOT"
    as_pg() {
      if command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
      else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
      fi
    }
  else
    as_pg() { "$@"; }
  fi

  STARTED=0
  cleanup() {
    local rc=$?
    if [ "$STARTED" = "1" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGROOT"
    exit "$rc"
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$PGROOT/initdb.log" 2>&1 || {
    # Older systems may lack the C.UTF-8 locale.
    rm -rf "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C \
      >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; exit 1; }
  }

  OPTS="-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$PGROOT"
  OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  OPTS="$OPTS -c max_connections=50 -c shared_buffers=128MB -c work_mem=16MB"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -o "$OPTS" -w -t 60 start >/dev/null; then
    echo "with_postgres: the server did not start; its log:" >&2
    cat "$PGLOG" >&2 || true
    exit 1
  fi
  STARTED=1

  PSQL="$PG_BIN/psql"
  [ -x "$PSQL" ] || PSQL="$(command -v psql)"
  as_pg "$PSQL" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $DB_NAME" >/dev/null

  export DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
  echo "with_postgres: PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PORT ($PGROOT)" >&2

  set +e
  "$@"
  RC=$?
  set -e
  exit "$RC"
}

main "$@"
