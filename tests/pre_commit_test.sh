#!/usr/bin/env bash
# The vigil hook driven by the real pre-commit (Debian's 3.0.4):
# `pre-commit try-repo <this repository> vigil --files ...` in a throwaway
# git repository fails on a bad change and passes a clean one, and a changed
# file is judged with facts from the whole project.
# Usage: pre_commit_test.sh VIGIL_BINARY SOURCE_DIR. Exit 77 (skipped) without pre-commit.
set -euo pipefail
vigil=$(realpath "$1")
source_dir=$(realpath "$2")
if ! command -v pre-commit >/dev/null; then
  echo "SKIPPED: pre-commit is not installed (scripts/setup.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" VIGIL_BINARY="$vigil"
# try-repo needs a repository with a commit: snapshot the source tree (with
# uncommitted changes) so the test sees what is being tested.
repo="$work/vigil"

mkdir -p "$repo"
(cd "$source_dir" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$repo")
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.email=t@t -c user.name=t commit -qm snapshot

project="$work/project"
mkdir -p "$project/app"
git -C "$project" init -q
printf '[project]\nname = "p"\n' > "$project/pyproject.toml"
cat > "$project/app/db.py" <<'PY'
import sqlite3


def find(conn: sqlite3.Connection, name: str):
    return conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()
PY
cat > "$project/app/clean.py" <<'PY'
import sqlite3


def find(conn: sqlite3.Connection, name: str):
    return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()
PY
# The app is created in main.py; its headers are set in middleware.py.
cat > "$project/app/main.py" <<'PY'
from fastapi import FastAPI

from app.middleware import install

app = FastAPI()
install(app)
PY
cat > "$project/app/middleware.py" <<'PY'
def install(app):
    @app.middleware("http")
    async def headers(request, call_next):
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Strict-Transport-Security"] = "max-age=63072000"
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
PY
git -C "$project" add -A
cd "$project"

fail() { echo "FAIL: $*"; exit 1; }
if pre-commit try-repo "$repo" vigil --files app/db.py > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"
  fail "the hook passed a change with SQL built from strings"
fi
grep -q "VG301" "$work/bad.log" || { cat "$work/bad.log"; fail "VG301 not in the hook's output"; }
pre-commit try-repo "$repo" vigil --files app/clean.py > "$work/clean.log" 2>&1 || { cat "$work/clean.log"; fail "the hook failed a clean change"; }
# Only main.py changed: its headers are set in middleware.py, which pre-commit did not pass.
pre-commit try-repo "$repo" vigil --files app/main.py > "$work/main.log" 2>&1 || { cat "$work/main.log"; fail "project facts were not read from the whole project"; }
cat "$work/bad.log"
echo "pre-commit: bad change rejected, clean change and project-level change accepted"
