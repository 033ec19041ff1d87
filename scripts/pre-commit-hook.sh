#!/usr/bin/env bash
# Entry point of the `vigil` pre-commit hook. pre-commit runs it from its
# clone of this repository with the changed files as arguments. The first
# run builds vigil in the clone (scripts/build.sh: installs what is missing
# from Debian, fetches tree-sitter from npm); later runs reuse the build.
# VIGIL_BINARY=/path/to/vigil uses an installed binary instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${VIGIL_BINARY:-}" ]; then
  [ -x "$VIGIL_BINARY" ] || { echo "vigil: VIGIL_BINARY=$VIGIL_BINARY is not an executable" >&2; exit 2; }
  exec "$VIGIL_BINARY" scan --no-color "$@"
fi
if [ ! -x "$root/build/vigil" ]; then
  echo "vigil: first run: building vigil in $root (a few minutes)" >&2
  "$root/scripts/build.sh" >&2
fi
exec "$root/build/vigil" scan --no-color "$@"
