#!/usr/bin/env bash
# Builds the npm package: the Rust crate for wasm32, the pinned wasm-bindgen
# CLI (ES module glue), then wasm-opt. Output: pkg/icd10cm.js, pkg/icd10cm_bg.wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
# Build paths must not leak into the binary (reproducible builds).
export RUSTFLAGS="--remap-path-prefix=$PWD=/medcode --remap-path-prefix=$HOME/.cargo=/cargo --remap-path-prefix=$(rustc --print sysroot)=/rustc"
cargo build --quiet --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name icd10cm --no-typescript target/wasm32-unknown-unknown/release/medcode.wasm
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/icd10cm_bg.wasm -o pkg/icd10cm_bg.opt.wasm
mv pkg/icd10cm_bg.opt.wasm pkg/icd10cm_bg.wasm
echo "build: pkg/icd10cm_bg.wasm $(stat -c %s pkg/icd10cm_bg.wasm) bytes ($(gzip -9 -c pkg/icd10cm_bg.wasm | wc -c) gzip)"
