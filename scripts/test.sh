#!/usr/bin/env bash
# Runs every test: installs what is missing (see scripts/setup.sh --test),
# builds the npm package, then Rust unit/integration/property tests against
# the official files, the wasm tests in Node and in headless Chromium, the JS
# API and hostile-input tests in Node, and the browser tests (page, offline,
# no network) in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# Each step prints the minutes since the start, so a slow step shows in CI's log.
step() { printf '\n== %s (at %d min %02d s)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }
step "set-up"
bash scripts/setup.sh --test
step "build the package's modules and the test modules"
bash scripts/build.sh
# The test-only module that panics on one input (trap-recovery tests).
bash scripts/build.sh --test-trap
# A custom list and a made-up licensee CPT table, compiled as users would.
bash scripts/build.sh --table crates/medcode-tables/tests/data/custom-valueset.tsv
bash scripts/build.sh --cpt crates/medcode-tables/tests/data/cpt-fake.tsv

step "data checks: the search lexicon and the everyday-query set against the committed tables"
python3 tables/lexicon/check.py
python3 tests/data/check_everyday_queries.py

step "format and lints"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p medcode --lib --test wasm -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p medcode-wasm --lib -- -D warnings
# The serde-wasm-bindgen trial stays buildable (README: architecture).
cargo clippy --quiet --target wasm32-unknown-unknown -p medcode-wasm --lib --features serde -- -D warnings

step "Rust tests (every source read from the committed tables/)"
cargo test --quiet --workspace

step "wasm tests in Node"
cargo test --target wasm32-unknown-unknown -p medcode --test wasm
step "wasm tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown -p medcode --test wasm

step "reproducible build: a clean build from a copy in another folder is byte-identical"
bash scripts/reproduce.sh
step "size budget (size-budget.json)"
node scripts/size.mjs

step "TypeScript types (tests/types/usage.ts)"
node_modules/.bin/tsc -p tests/types/tsconfig.json
step "JS API, CLI and hostile input in Node"
node --test tests/js/
step "refresh from newer CMS files: a synthetic FY2028 release through scripts/build.sh --release"
node --test tests/refresh/
step "browser tests (Playwright + Debian Chromium)"
node --test --test-concurrency=1 tests/browser/
step "all tests passed"
