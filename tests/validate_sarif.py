#!/usr/bin/env python3
"""Validates vigil's SARIF against the official SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py VIGIL_BINARY SOURCE_DIR TOOLS_DIR
The schema is the one in ../shared/schemas (the project's shared folder) when
present, else the copy shipped inside the @microsoft/sarif-multitool npm package.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def schema_path(source_dir, tools_dir):
    candidates = [
        os.path.join(source_dir, "..", "shared", "schemas", "sarif-schema-2.1.0.json"),
        os.path.join(tools_dir, "node_modules", "@microsoft", "sarif-multitool-linux", "sarif-2.1.0.json"),
    ]
    for c in candidates:
        if os.path.exists(c):
            return c
    sys.exit("no SARIF schema found (run scripts/setup.sh): " + ", ".join(candidates))


def sarif_of(vigil, paths, extra=()):
    proc = subprocess.run([vigil, "scan", "--format", "sarif", *extra, *paths], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"vigil exited {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout)


def main():
    vigil, source_dir, tools_dir = sys.argv[1:4]
    with open(schema_path(source_dir, tools_dir)) as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    with tempfile.TemporaryDirectory() as tmp:
        # A tree with findings and with every kind of notification.
        with open(os.path.join(tmp, "bad.py"), "wb") as f:
            f.write(b"x = 1\n\0")
        with open(os.path.join(tmp, "broken.py"), "w") as f:
            f.write("def f(:\n")
        logs = {
            "fixtures": sarif_of(vigil, [os.path.join(source_dir, "fixtures")]),
            "notifications": sarif_of(vigil, [tmp]),
            "empty": sarif_of(vigil, [tmp], ["--select", "VG301", "--exclude", "*.py"]),
        }
    failed = False
    for name, log in logs.items():
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors[:10]:
            print(f"{name}: {'/'.join(map(str, e.path))}: {e.message}")
        failed |= bool(errors)
        results = len(log["runs"][0]["results"])
        notes = len(log["runs"][0]["invocations"][0]["toolExecutionNotifications"])
        print(f"{name}: {'INVALID' if errors else 'valid'} ({results} results, {notes} notifications)")
    if logs["fixtures"]["runs"][0]["results"] == [] or logs["notifications"]["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []:
        print("expected results and notifications to validate")
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
