#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the tests (CI runs as root).
# Prints the export line for TEST_POSTGRES_URL; stop it with scripts/stop_postgres.sh DATA_DIR.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
DATA=$(mktemp -d /tmp/community-bot-pg.XXXXXX)
chown postgres: "$DATA"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$PGBIN/initdb" -D "$DATA/db" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA/db" -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off" -l "$DATA/log" -w start >&2
echo "export TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:$PORT/postgres PG_DATA_DIR=$DATA PG_BIN=$PGBIN"
