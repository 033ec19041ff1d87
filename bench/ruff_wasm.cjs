// Ruff's `S` (flake8-bandit) rules over every .py file of the given paths,
// through @astral-sh/ruff-wasm-nodejs, in N worker threads. A peer for
// bench/run.py: prints {"files": n, "diagnostics": m}.
//
//   node bench/ruff_wasm.cjs MODULE_DIR WORKERS PATH...
const fs = require("fs");
const path = require("path");
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");

function pythonFiles(root, out) {
  const stat = fs.statSync(root);
  if (stat.isFile()) return out.push(root);
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".")) pythonFiles(p, out);
    else if (entry.isFile() && entry.name.endsWith(".py")) out.push(p);
  }
  return out;
}

if (isMainThread) {
  const [moduleDir, workers, ...roots] = process.argv.slice(2);
  const files = [];
  for (const r of roots) pythonFiles(r, files);
  const n = Math.max(1, parseInt(workers, 10));
  const shares = Array.from({ length: n }, () => []);
  files.forEach((f, i) => shares[i % n].push(f));
  let done = 0, diagnostics = 0;
  for (const share of shares) {
    const w = new Worker(__filename, { workerData: { moduleDir, files: share } });
    w.on("message", (count) => {
      diagnostics += count;
      if (++done === n) console.log(JSON.stringify({ files: files.length, diagnostics }));
    });
  }
} else {
  const ruff = require(workerData.moduleDir);
  const workspace = new ruff.Workspace({ lint: { select: ["S"] } }, ruff.PositionEncoding.Utf16);
  let count = 0;
  for (const f of workerData.files) {
    try {
      count += workspace.check(fs.readFileSync(f, "utf8")).length;
    } catch (e) {
      // a file Ruff cannot read counts as checked, as in `ruff check`
    }
  }
  parentPort.postMessage(count);
}
