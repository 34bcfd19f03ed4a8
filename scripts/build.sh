#!/usr/bin/env bash
# Builds the npm package: one wasm module per code system (the boundary crate
# crates/medcode-wasm for wasm32 with exactly one system feature), the pinned wasm-bindgen CLI (ES
# module glue), then wasm-opt. Output: pkg/<system>.js, pkg/<system>_bg.wasm
# for icd10cm, icd10cm-notes (ICD-10-CM with its instructional notes),
# icd10pcs, hcpcs and cpt.
#
#   bash scripts/build.sh                   every module (pkg/)
#   bash scripts/build.sh icd10pcs hcpcs    only these
#   bash scripts/build.sh --test-trap       a test-only ICD-10-CM module that
#                                           panics on one magic input
#                                           (target/test-trap/pkg/), for the
#                                           trap-recovery tests; never shipped
#   bash scripts/build.sh --table FILE [--out DIR]
#                                           a custom code list (flat TSV, see
#                                           README "Custom tables") compiled
#                                           into DIR/custom.js + custom_bg.wasm
#                                           (default target/custom/pkg)
#   bash scripts/build.sh --cpt FILE [--out DIR]
#                                           CPT with a licensee's table (flat
#                                           TSV) compiled in: DIR/cpt.js +
#                                           cpt_bg.wasm (default
#                                           target/cpt-licensed/pkg)
#   bash scripts/build.sh --release FOLDER [--out DIR]
#                                           newer official CMS files (an
#                                           ICD-10-CM or PCS order/codes file,
#                                           an HCPCS ANWEB workbook): checked,
#                                           stored in tables/updates (or
#                                           $MEDCODE_UPDATES) and merged into
#                                           the history; the modules of those
#                                           systems are rebuilt into DIR
#                                           (default pkg/) and the change
#                                           report printed. See
#                                           tables/updates/README.md
#
# Every module is built from the committed official files (tables/releases,
# tables/icd10cm) and registry tables (tables/registry), SHA-256-pinned;
# MEDCODE_CPT_TABLE=FILE compiles a licensee's CPT table in.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -n "${MEDCODE_SKIP_SETUP:-}" ] || bash scripts/setup.sh
# Build paths must not leak into the binary (reproducible builds).
export RUSTFLAGS="--remap-path-prefix=$PWD=/medcode --remap-path-prefix=$HOME/.cargo=/cargo --remap-path-prefix=$(rustc --print sysroot)=/rustc"
target="${CARGO_TARGET_DIR:-target}"

# build_module PROFILE FEATURES OUT NAME
build_module() {
  local profile=$1 features=$2 out=$3 name=$4
  # MEDCODE_WASM_FEATURES=serde: the serde-wasm-bindgen trial (README
  # "Architecture"; not shipped).
  features="$features ${MEDCODE_WASM_FEATURES:-}"
  # Called in `||` context errexit is off: every step returns on failure.
  cargo build --quiet -p medcode-wasm --profile "$profile" --no-default-features --features "$features" --target wasm32-unknown-unknown || return 1
  mkdir -p "$out" || return 1
  rm -f "$out/$name.js" "$out/${name}_bg.wasm" || return 1
  # The reset function lets js/medcode.js re-instantiate a module that trapped.
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" --no-typescript --experimental-reset-state-function \
    "$target/wasm32-unknown-unknown/$profile/medcode_wasm.wasm" || return 1
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm" || return 1
  mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm" || return 1
  echo "build: $out/${name}_bg.wasm $(stat -c %s "$out/${name}_bg.wasm") bytes ($(gzip -9 -c "$out/${name}_bg.wasm" | wc -c) gzip)"
}

case "${1:-}" in
  --test-trap)
    build_module test-trap "icd10cm notes test-trap" target/test-trap/pkg icd10cm
    ;;
  --table)
    table=${2:?usage: scripts/build.sh --table FILE [--out DIR]}
    out=target/custom/pkg
    [ "${3:-}" = "--out" ] && out=${4:?--out needs a folder}
    MEDCODE_CUSTOM_TABLE="$(realpath "$table")" build_module release custom "$out" custom
    ;;
  --cpt)
    table=${2:?usage: scripts/build.sh --cpt FILE [--out DIR]}
    out=target/cpt-licensed/pkg
    [ "${3:-}" = "--out" ] && out=${4:?--out needs a folder}
    MEDCODE_CPT_TABLE="$(realpath "$table")" build_module release cpt "$out" cpt
    ;;
  --release)
    folder=${2:?usage: scripts/build.sh --release FOLDER [--out DIR]}
    out=pkg
    [ "${3:-}" = "--out" ] && out=${4:?--out needs a folder}
    updates="$(realpath -m "${MEDCODE_UPDATES:-tables/updates}")"
    export MEDCODE_UPDATES="$updates"
    # Put the updates folder back as it was if the build refuses the release.
    backup=$(mktemp -d)
    [ -d "$updates" ] && cp -a "$updates/." "$backup/"
    restore() {
      rm -rf "$updates" && mkdir -p "$updates" && cp -a "$backup/." "$updates/"
      echo "refresh: $1; $updates is as it was" >&2
    }
    systems=$(cargo run --quiet -p medcode-tables --bin medcode-refresh -- "$folder" "$updates") ||
      { restore "refused"; exit 2; }
    for system in $systems; do
      case "$system" in
        icd10cm)
          build_module release icd10cm "$out" icd10cm || { restore "the build refused it"; exit 1; }
          build_module release "icd10cm notes" "$out" icd10cm-notes || { restore "the build refused it"; exit 1; }
          ;;
        *) build_module release "$system" "$out" "$system" || { restore "the build refused it"; exit 1; } ;;
      esac
    done
    rm -rf "$backup"
    node scripts/changes.mjs "$out" $systems
    if [ "$updates" = "$(realpath -m tables/updates)" ]; then
      echo "refresh: run bash scripts/fingerprint.sh and bash scripts/test.sh, then commit tables/updates and tables/fingerprint.csv" >&2
    fi
    ;;
  *)
    systems=("$@")
    [ ${#systems[@]} -gt 0 ] || systems=(icd10cm icd10cm-notes icd10pcs hcpcs cpt)
    for system in "${systems[@]}"; do
      case "$system" in
        icd10cm | icd10pcs | hcpcs | cpt) build_module release "$system" pkg "$system" ;;
        # ICD-10-CM with its instructional notes: open('icd10cm', {notes: true}).
        icd10cm-notes) build_module release "icd10cm notes" pkg icd10cm-notes ;;
        *) echo "build: unknown system $system (icd10cm, icd10cm-notes, icd10pcs, hcpcs, cpt)" >&2; exit 2 ;;
      esac
    done
    # The offline page's precache list, with the hash of each file (once
    # every system's module is in pkg/).
    node scripts/precache.mjs --if-complete
    ;;
esac
