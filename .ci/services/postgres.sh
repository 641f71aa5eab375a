#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, meant to be sourced by .ci/run (as root):
#
#   . .ci/services/postgres.sh || exit 1
#
# It initdb's a cluster in a fresh temp directory owned by the postgres user, starts it on
# 127.0.0.1 (port 55432, or the next free one) with its socket in that directory, waits until it
# answers, exports KEEL_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/postgres and stops the
# cluster and removes the directory when the sourcing shell exits (chained onto any EXIT trap that
# is already set, so other service scripts can do the same). fsync is off: the data is thrown away.
# Installs Debian's postgresql package first when no server binaries are present.

keel_postgres_start() {
  local bin port dir deadline
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: installing PostgreSQL (apt)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 || return 1
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/initdb" ] || { echo "postgres.sh: initdb not found after installing postgresql" >&2; return 1; }
  fi

  port=${KEEL_POSTGRES_PORT:-55432}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done

  dir=$(mktemp -d /tmp/keel-postgres.XXXXXX) || return 1
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  local as_postgres=(runuser -u postgres --)
  [ "$(id -u)" = "$(id -u postgres 2>/dev/null)" ] && as_postgres=()

  if ! "${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed:" >&2; cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1
  fi

  if ! "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null; then
    echo "postgres.sh: the server did not start:" >&2; cat "$dir/server.log" >&2; rm -rf "$dir"; return 1
  fi

  # pg_ctl -w waits for the postmaster; wait until it also accepts a query, with a deadline.
  deadline=$((SECONDS + 30))
  until "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "postgres.sh: PostgreSQL on port $port did not answer within 30 s:" >&2; cat "$dir/server.log" >&2
      "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; return 1
    fi
    sleep 0.2
  done

  KEEL_POSTGRES_DIR=$dir
  KEEL_POSTGRES_BIN=$bin
  export KEEL_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $KEEL_TEST_POSTGRES (data in $dir)" >&2
}

keel_postgres_stop() {
  [ -n "${KEEL_POSTGRES_DIR:-}" ] || return 0
  if [ "$(id -u)" = "$(id -u postgres 2>/dev/null)" ]; then
    "$KEEL_POSTGRES_BIN/pg_ctl" -D "$KEEL_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  else
    runuser -u postgres -- "$KEEL_POSTGRES_BIN/pg_ctl" -D "$KEEL_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  fi
  rm -rf "$KEEL_POSTGRES_DIR"
  KEEL_POSTGRES_DIR=
}

# Adds keel_postgres_stop to whatever EXIT trap is already set (another service may have one).
keel_postgres_chain_exit_trap() {
  eval "set -- $(trap -p EXIT)"
  # shellcheck disable=SC2064
  trap "keel_postgres_stop${3:+; $3}" EXIT
}

if keel_postgres_start; then
  keel_postgres_chain_exit_trap
else
  false
fi
