#!/usr/bin/env bash
# Installs what is missing, builds vigil and runs every test with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j 2 "$@"
