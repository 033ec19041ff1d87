#!/usr/bin/env bash
# vigil's language server in a real editor: Debian's Neovim 0.7.2, headless,
# starts `vigil server` with vim.lsp.start_client, opens a fixture and must
# receive vigil's diagnostics for it.
# Usage: nvim_lsp_test.sh VIGIL_BINARY FIXTURE EXPECTED_CODE EXPECTED_LINE.
# Exit 77 (skipped) when nvim is not installed (scripts/setup.sh installs it).
set -euo pipefail
vigil=$(realpath "$1")
fixture=$(realpath "$2")
code=$3
line=$4
if ! command -v nvim >/dev/null; then
  echo "SKIPPED: nvim is not installed (scripts/setup.sh installs Debian's neovim)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$fixture" "$work/$(basename "$fixture")"
printf '[project]\nname = "nvim-test"\n' > "$work/pyproject.toml"
cat > "$work/test.lua" <<LUA
local file = '$work/$(basename "$fixture")'
vim.cmd('edit ' .. file)
local client = vim.lsp.start_client({ name = 'vigil', cmd = { '$vigil', 'server' }, root_dir = '$work' })
assert(client, 'vim.lsp.start_client failed')
vim.lsp.buf_attach_client(0, client)
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(lines, tostring(d.code or lsp.code) .. ' ' .. tostring(d.lnum + 1) .. ' ' .. d.message)
end
vim.fn.writefile(lines, '$work/diagnostics.txt')
vim.lsp.stop_client(client)
vim.cmd('qa!')
LUA
timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile $work/test.lua" > "$work/nvim.log" 2>&1 || true
if [ ! -s "$work/diagnostics.txt" ]; then
  echo "FAIL: Neovim received no diagnostics"; cat "$work/nvim.log"; exit 1
fi
cat "$work/diagnostics.txt"
grep -q "^$code $line " "$work/diagnostics.txt" || { echo "FAIL: no $code diagnostic on line $line"; exit 1; }
echo "nvim: received vigil's $code on line $line"
