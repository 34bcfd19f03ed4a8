#!/usr/bin/env bash
# Builds the npm package: the Rust crate for wasm32, the pinned wasm-bindgen
# CLI (ES module glue), then wasm-opt. Output: pkg/icd10cm.js, pkg/icd10cm_bg.wasm.
#
#   bash scripts/build.sh              the package (pkg/)
#   bash scripts/build.sh --test-trap  a test-only module that panics on one
#                                      magic input (target/test-trap/pkg/), for
#                                      the trap-recovery tests; never shipped
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -n "${MEDCODE_SKIP_SETUP:-}" ] || bash scripts/setup.sh
# Build paths must not leak into the binary (reproducible builds).
export RUSTFLAGS="--remap-path-prefix=$PWD=/medcode --remap-path-prefix=$HOME/.cargo=/cargo --remap-path-prefix=$(rustc --print sysroot)=/rustc"
profile=release features=() out=pkg
if [ "${1:-}" = "--test-trap" ]; then
  profile=test-trap features=(--features test-trap) out=target/test-trap/pkg
fi
cargo build --quiet --profile "$profile" "${features[@]}" --target wasm32-unknown-unknown
rm -rf "$out"
# The reset function lets js/medcode.js re-instantiate a module that trapped.
wasm-bindgen --target web --out-dir "$out" --out-name icd10cm --no-typescript --experimental-reset-state-function \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/medcode.wasm"
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/icd10cm_bg.wasm" -o "$out/icd10cm_bg.opt.wasm"
mv "$out/icd10cm_bg.opt.wasm" "$out/icd10cm_bg.wasm"
echo "build: $out/icd10cm_bg.wasm $(stat -c %s "$out/icd10cm_bg.wasm") bytes ($(gzip -9 -c "$out/icd10cm_bg.wasm" | wc -c) gzip)"
