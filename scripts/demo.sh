#!/usr/bin/env bash
# Installs what is missing, builds vigil and scans the bundled demo project.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" >&2
cd "$root"
# Exit code 1 means "findings reported": expected for the demo.
./build/vigil scan fixtures/demo-app "$@" || [ $? -eq 1 ]
