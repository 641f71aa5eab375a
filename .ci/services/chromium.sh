#!/usr/bin/env bash
# Debian's Chromium for the UI tests (Playwright drives it; never `playwright install`), meant to be
# sourced by .ci/run (as root):
#
#   . .ci/services/chromium.sh || exit 1
#
# Installs the chromium package with apt when /usr/bin/chromium is missing, then exports
# KEEL_TEST_CHROMIUM so the UI tests run (and fail loudly if the browser cannot start) instead of
# skipping.

keel_chromium_setup() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "chromium.sh: installing Chromium (apt)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 || return 1
  fi
  [ -x /usr/bin/chromium ] || { echo "chromium.sh: /usr/bin/chromium not found after installing chromium" >&2; return 1; }
  export KEEL_TEST_CHROMIUM=/usr/bin/chromium
  echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) at $KEEL_TEST_CHROMIUM" >&2
}

keel_chromium_setup
