# Starts a throwaway S3 server on a free loopback port for the tests and exports what they read:
# MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (dummies), AWS_DEFAULT_REGION and
# KEEL_TEST_S3=s3://keel-test-bucket (created here). Sourced by .ci/run; the server is stopped when
# .ci/run exits. Uses moto_server (the image's Python has moto), else the npm package s3rver,
# installed into a cache directory on first use.
# Usage: source .ci/services/s3.sh   (then run the tests; nothing else to do)

keel_s3_free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

keel_s3_find_moto() {
  local candidate
  for candidate in "$(command -v moto_server 2>/dev/null)" "$HOME/.pyenv/shims/moto_server" /root/.pyenv/shims/moto_server; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --help >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

keel_s3_stop() {
  if [ -n "${KEEL_S3_PID:-}" ] && kill -0 "$KEEL_S3_PID" 2>/dev/null; then
    kill "$KEEL_S3_PID" 2>/dev/null
    wait "$KEEL_S3_PID" 2>/dev/null
  fi
}

# Adds keel_s3_stop to whatever EXIT trap is already set (another service may have one).
keel_s3_chain_exit_trap() {
  eval "set -- $(trap -p EXIT)"
  trap "keel_s3_stop${3:+; $3}" EXIT
}

keel_s3_start() {
  local port log moto cache deadline
  port=$(keel_s3_free_port) || { echo "s3.sh: no free port" >&2; return 1; }
  log="${TMPDIR:-/tmp}/keel-ci-s3-$port.log"
  if moto=$(keel_s3_find_moto); then
    "$moto" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  else
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/keel-ci/s3rver"
    if [ ! -x "$cache/node_modules/.bin/s3rver" ]; then
      mkdir -p "$cache" && npm install --silent --no-audit --no-fund --prefix "$cache" s3rver@3.7.1 >&2 \
        || { echo "s3.sh: moto_server not found and npm install s3rver failed" >&2; return 1; }
    fi
    mkdir -p "$cache/data-$port"
    "$cache/node_modules/.bin/s3rver" --address 127.0.0.1 --port "$port" --directory "$cache/data-$port" --silent >"$log" 2>&1 &
  fi
  KEEL_S3_PID=$!
  keel_s3_chain_exit_trap

  export MLFLOW_S3_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_ACCESS_KEY_ID=keel-test AWS_SECRET_ACCESS_KEY=keel-test-secret AWS_DEFAULT_REGION=us-east-1
  unset AWS_SESSION_TOKEN AWS_PROFILE MLFLOW_S3_IGNORE_TLS
  export KEEL_TEST_S3=s3://keel-test-bucket

  # Wait (with a deadline) until the server answers, then create the bucket.
  deadline=$((SECONDS + 60))
  until curl -s -o /dev/null "$MLFLOW_S3_ENDPOINT_URL/"; do
    if ! kill -0 "$KEEL_S3_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "s3.sh: the S3 server did not start; its log ($log):" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.2
  done
  if ! curl -sf -o /dev/null -X PUT "$MLFLOW_S3_ENDPOINT_URL/keel-test-bucket"; then
    echo "s3.sh: could not create the test bucket; its log ($log):" >&2
    cat "$log" >&2
    return 1
  fi
  echo "S3 server (pid $KEEL_S3_PID) at $MLFLOW_S3_ENDPOINT_URL, KEEL_TEST_S3=$KEEL_TEST_S3" >&2
}

keel_s3_start
