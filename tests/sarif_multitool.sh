#!/usr/bin/env bash
# Validates vigil's SARIF with Microsoft's SARIF multitool (npm). The tool
# always exits 0, so this fails on any error-level result in its output log.
# Usage: sarif_multitool.sh VIGIL_BINARY SOURCE_DIR TOOLS_DIR
set -euo pipefail
vigil=$1 source_dir=$2 tools_dir=$3
tool="$tools_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  echo "sarif-multitool not installed at $tool (run scripts/setup.sh)"; exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$source_dir"
"$vigil" scan --format sarif -o "$work/vigil.sarif" fixtures || [ $? -eq 1 ]
# Returns the error-level results the multitool finds in the SARIF file $1.
validate() {
  rm -f "$work/validation.sarif"
  "$tool" validate "$1" -o "$work/validation.sarif" --rule-kind "Sarif;Gh" > "$work/stdout.txt" 2>&1 || true
  [ -s "$work/validation.sarif" ] || { cat "$work/stdout.txt"; echo "multitool wrote no output log"; exit 1; }
  /usr/bin/python3 - "$work/validation.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
for run in log["runs"]:
    for r in run.get("results", []):
        if r.get("level", "warning") == "error":
            print(r.get("ruleId"), json.dumps(r.get("message")))
PY
}

# The check must be able to fail: a result without a message is an error.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"A"}]}]}' > "$work/broken.sarif"
if [ -z "$(validate "$work/broken.sarif")" ]; then
  echo "multitool did not flag a broken SARIF file: this check is not working"; exit 1
fi

errors=$(validate "$work/vigil.sarif")
if [ -n "$errors" ]; then
  echo "multitool reported errors:"; echo "$errors"; exit 1
fi
echo "sarif-multitool: no error-level results"
