#!/usr/bin/env bash
# Installs the peers bench/run.py compares vigil with: Bandit, flawfinder,
# cppcheck and clang-tidy from Debian, Ruff's wasm build from npm (into
# build/bench-peers). On demand only; CI does not need them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
packages=(bandit flawfinder cppcheck clang-tidy-14 nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null && missing=("${missing[@]/nodejs}") && missing=("${missing[@]/npm}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi
mkdir -p "$root/build/bench-peers"
npm install --silent --no-audit --no-fund --prefix "$root/build/bench-peers" @astral-sh/ruff-wasm-nodejs@0.17.4
echo "bench peers ready: bandit $(bandit --version 2>/dev/null | head -1 | cut -d' ' -f2), ruff-wasm 0.17.4"
