#!/usr/bin/env bash
# Reproducible-build check: builds the package a second time from a copy of
# the committed files in another folder, with an empty target directory, and
# fails unless the .wasm and its glue are byte-identical to pkg/. Run after
# scripts/build.sh (scripts/test.sh does). Prints both SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
copy=$(mktemp -d /tmp/medcode-reproduce.XXXXXX)
trap 'rm -rf "$copy"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -C "$copy" -xf -
ln -s "$PWD/node_modules" "$copy/node_modules"
# Two modules keep CI short: ICD-10-CM (the tabular path) and ICD-10-PCS (the
# flat-table path, from the committed official files).
(cd "$copy" && MEDCODE_SKIP_SETUP=1 CARGO_TARGET_DIR="$copy/target" bash scripts/build.sh icd10cm icd10pcs >/dev/null)
status=0
for f in pkg/icd10cm_bg.wasm pkg/icd10cm.js pkg/icd10pcs_bg.wasm pkg/icd10pcs.js; do
  here=$(sha256sum "$f" | cut -d' ' -f1)
  there=$(sha256sum "$copy/$f" | cut -d' ' -f1)
  echo "reproduce: $f $here (here) $there (clean build in $copy)"
  [ "$here" = "$there" ] || { echo "reproduce: $f differs between the two builds" >&2; status=1; }
done
if grep -a -q -F "$copy" "$copy/pkg/icd10cm_bg.wasm" "$copy/pkg/icd10pcs_bg.wasm"; then
  echo "reproduce: the build folder $copy appears in the module" >&2
  status=1
fi
exit $status
