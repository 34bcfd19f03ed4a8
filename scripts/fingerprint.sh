#!/usr/bin/env bash
# Rewrites tables/fingerprint.csv from the tables build.rs embeds.
set -euo pipefail
cd "$(dirname "$0")/.."
MEDCODE_UPDATE_FINGERPRINT=1 cargo test --quiet --test fingerprint
cat tables/fingerprint.csv
