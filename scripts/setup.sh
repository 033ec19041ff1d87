#!/usr/bin/env bash
# Installs what vigil needs to build and test on a fresh Debian machine.
# Idempotent: installs only what is missing.
set -euo pipefail

packages=(build-essential cmake ninja-build ccache git pkg-config
          nlohmann-json3-dev libgtest-dev libcli11-dev libtomlplusplus-dev
          python3 python3-jsonschema
          # the C++ frontend: clang 14 LibTooling
          clang-14 libclang-14-dev libclang-cpp14-dev llvm-14-dev
          # libFuzzer and the sanitizer runtimes for clang (fuzz/run.sh)
          libclang-rt-14-dev
          # headers the C++ fixtures are compiled against
          libsqlite3-dev libpq-dev libpqxx-dev libmariadb-dev unixodbc-dev qtbase5-dev
          libssl-dev libcurl4-openssl-dev libcpp-httplib-dev
          # the real clients the integration tests drive
          pre-commit neovim)
# npm fetches the tree-sitter sources; a node already on PATH will do.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

# The SARIF multitool (npm) validates our SARIF in the tests. It ships a
# prebuilt binary inside its npm package; installed into build/tools. npm 11
# does not run its postinstall (chmod) by default, so we do that here.
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/build/tools"
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -f "$multitool" ]; then
  mkdir -p "$tools"
  echo "setup: installing @microsoft/sarif-multitool@5.7.0 into build/tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" @microsoft/sarif-multitool@5.7.0 \
    || echo "setup: warning: sarif-multitool could not be installed; its test will fail"
fi
[ -f "$multitool" ] && chmod u+x "$multitool"
exit 0
