#!/usr/bin/env bash
# The main job: installs what is missing, builds the npm package (wasm + glue),
# answers a few lookups with the CLI on the embedded data, then serves the
# offline lookup page on http://127.0.0.1:${PORT:-8080}/www/ and FHIR R4
# terminology on http://127.0.0.1:${PORT:-8080}/fhir until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
node js/cli.js lookup E11.9 s72001a E11 S72.001 T36.0X1A
exec node js/cli.js serve --fhir --port "${PORT:-8080}"
