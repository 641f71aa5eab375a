#!/usr/bin/env bash
# A throwaway Redis for the online feature store tests, meant to be sourced by .ci/run (as root):
#
#   . .ci/services/redis.sh || exit 1
#
# Installs Debian's redis-server when missing, starts it on 127.0.0.1 (port 56379, or the next free
# one) with no persistence and its files in a fresh temp directory, waits until it answers PING,
# exports KEEL_TEST_REDIS=redis://127.0.0.1:PORT and stops it and removes the directory when the
# sourcing shell exits (chained onto any EXIT trap already set).

keel_redis_start() {
  local port dir deadline
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis.sh: installing redis-server (apt)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } >&2 || return 1
  fi
  command -v redis-server >/dev/null 2>&1 || { echo "redis.sh: redis-server not found after installing it" >&2; return 1; }

  port=${KEEL_REDIS_PORT:-56379}
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done

  dir=$(mktemp -d /tmp/keel-redis.XXXXXX) || return 1
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --protected-mode yes --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" || {
    echo "redis.sh: redis-server did not start" >&2; rm -rf "$dir"; return 1; }

  deadline=$((SECONDS + 30))
  until [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "redis.sh: Redis on port $port did not answer within 30 s:" >&2; cat "$dir/redis.log" >&2
      kill "$(cat "$dir/redis.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$dir"; return 1
    fi
    sleep 0.2
  done

  KEEL_REDIS_DIR=$dir
  export KEEL_TEST_REDIS="redis://127.0.0.1:$port"
  echo "redis.sh: Redis $(redis-server --version | awk '{print $3}') at $KEEL_TEST_REDIS" >&2
}

keel_redis_stop() {
  [ -n "${KEEL_REDIS_DIR:-}" ] || return 0
  local pid
  pid=$(cat "$KEEL_REDIS_DIR/redis.pid" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$KEEL_REDIS_DIR"
  KEEL_REDIS_DIR=
}

keel_redis_chain_exit_trap() {
  eval "set -- $(trap -p EXIT)"
  # shellcheck disable=SC2064
  trap "keel_redis_stop${3:+; $3}" EXIT
}

if keel_redis_start; then
  keel_redis_chain_exit_trap
else
  false
fi
