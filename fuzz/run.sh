#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/, clang 14 with ASan + UBSan) and
# runs each for SECONDS (default 60), seeded from fixtures/. Crashes are
# written to build-fuzz/crashes/ and fail the run. See docs/fuzzing.md.
#   fuzz/run.sh [SECONDS] [python|config ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(python config)
build="$root/build-fuzz"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DVIGIL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j 2 --target $(printf 'vigil-fuzz-%s ' "${targets[@]}")
mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus-$t"
  mkdir -p "$corpus"
  seeds="$build/seeds-$t"
  rm -rf "$seeds" && mkdir -p "$seeds"
  case $t in
    python) find "$root/fixtures" -name '*.py' -size -64k -exec cp -t "$seeds" {} + 2>/dev/null || true ;;
    config) find "$root/fixtures" \( -name '*.toml' -o -name '*.cpp' -o -name '*.h' \) -size -64k \
              -exec cp -t "$seeds" {} + 2>/dev/null || true ;;
  esac
  echo "fuzz: $t for ${seconds}s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus entries)"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/vigil-fuzz-$t" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$build/crashes/$t-" -print_final_stats=1 2>"$build/fuzz-$t.log" \
    || { status=1; echo "fuzz: $t FAILED, see $build/fuzz-$t.log and $build/crashes/"; tail -40 "$build/fuzz-$t.log"; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-$t.log" | sed "s/^/fuzz: $t: /" || true
done
exit $status
