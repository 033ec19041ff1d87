#!/usr/bin/env bash
# Installs what is missing, builds vigil and runs every test with CTest.
#   scripts/test.sh            the normal build (build/)
#   scripts/test.sh --asan     the same suite under AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--asan" ]; then
  shift
  "$root/scripts/setup.sh"
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [ ! -f "$root/build-asan/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$root/build-asan" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
      -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
      -DVIGIL_TOOLS_DIR="$root/build/tools"
  fi
  cmake --build "$root/build-asan" -j "${VIGIL_BUILD_JOBS:-2}"
  cd "$root/build-asan"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  ctest --output-on-failure -j 2 "$@"
  exit
fi
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j 2 "$@"
