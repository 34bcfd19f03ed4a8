#!/usr/bin/env bash
# Installs what the build and the tests need, from the project's own files.
# Idempotent: each step checks first and does nothing when already done.
#   scripts/setup.sh          build tools (wasm target, wasm-bindgen CLI, npm packages)
#   scripts/setup.sh --test   also Chromium and ChromeDriver (Debian) for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The wasm-bindgen CLI must be exactly the version Cargo.lock pins for the crate.
want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
fi

# npm packages (wasm-opt from binaryen, playwright-core, benchmark baselines,
# publint, attw and the bundlers of tests/js/publish.test.mjs and
# tests/browser/bundlers.test.mjs), exactly as package-lock.json pins them.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "setup: installing Debian chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
