#!/usr/bin/env python3
"""vigil's benchmark: vigil, the parse-only bound and the peers, side by side.

Usage: bench/run.py [--runs N] [--jobs N] [--out DIR] [--docs] CORPUS[=DB.json]...

A CORPUS is any checkout: its .py files are a Python corpus; if it has a
compile_commands.json (at its root or in build/, or named after `=`) its
translation units are a C++ corpus too. Nothing is downloaded. For each corpus, the median of N runs
(whole process: wall, CPU, peak RSS) of:

  Python  vigil cold (--no-cache; 1 job and all cores), vigil warm (cache
          filled by a previous run), the parse-only bound (bench/parse_bound.cpp:
          the same tree-sitter build, 1 and N threads; and with a walk of every
          node), and the peers found: `bandit -r` (Debian) and Ruff's `S` rules
          through @astral-sh/ruff-wasm-nodejs (bench/setup-peers.sh installs them).
  C++     vigil (1 job and all cores), `clang++ -fsyntax-only` over the database
          (N at a time: the bound), clang-tidy with `-*,cert-*,bugprone-*`,
          `cppcheck --project`, `flawfinder`.

Ratios: vigil rows ÷ the bound (Python: the N-thread parse; C++: clang++
-fsyntax-only); peer rows ÷ vigil cold with all cores. Prints a Markdown table
and writes it with a JSON copy into --out (default bench/results/); --docs also
puts it into docs/performance.md. Run on demand: never from the test suite.
"""
import argparse
import concurrent.futures
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 3  # set from --runs
CPP_EXTENSIONS = ("*.c", "*.cc", "*.cpp", "*.cxx", "*.h", "*.hh", "*.hpp", "*.hxx")


# ---------------------------------------------------------------- measuring

def measure(cmd, runs, cwd=None, env=None):
    """Median wall, CPU and peak RSS of `cmd` (a list) over `runs` runs."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        samples.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, code))
        if wall > 60 and runs > 1:  # a slow peer: one run says enough
            break
    return {
        "wall": statistics.median(s[0] for s in samples),
        "cpu": statistics.median(s[1] for s in samples),
        "rss_mb": statistics.median(s[2] for s in samples),
        "exit": samples[-1][3],
        "runs": len(samples),
    }


def run_in_parallel(commands, jobs):
    """Internal mode: run shell-free commands N at a time (one process tree to measure)."""
    def one(entry):
        argv, cwd = entry
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, commands))


# ---------------------------------------------------------------- corpora

def python_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out += [os.path.join(dirpath, f) for f in filenames if f.endswith(".py")]
    return out


def find_database(root):
    for candidate in (os.path.join(root, "compile_commands.json"), os.path.join(root, "build", "compile_commands.json")):
        if os.path.isfile(candidate):
            return candidate
    return None


def database_commands(db_path, tool_argv):
    """Each TU of the database as (argv, cwd) for `tool_argv` + the TU's flags."""
    with open(db_path) as f:
        db = json.load(f)
    out = []
    for entry in db:
        args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
        flags = []
        skip = False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a == "-o":
                skip = True
                continue
            if a == "-c" or a == entry["file"]:
                continue
            flags.append(a)
        out.append((tool_argv(entry["file"], flags), entry["directory"]))
    return out


# ---------------------------------------------------------------- tools

def which(*names):
    for n in names:
        if shutil.which(n):
            return shutil.which(n)
    return None


def version(cmd):
    try:
        text = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        return text.splitlines()[0] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def ruff_wasm_module(peers_dir):
    module = os.path.join(peers_dir, "node_modules", "@astral-sh", "ruff-wasm-nodejs")
    return module if os.path.isfile(os.path.join(module, "package.json")) else None


def python_rows(corpus, args, vigil, bound, peers_dir):
    files = python_files(corpus)
    size = sum(os.path.getsize(f) for f in files)
    rows = []
    excludes = [x for ext in CPP_EXTENSIONS for x in ("--exclude", ext)]  # a Python corpus: its .py files
    scan = [vigil, "scan", "--no-cache", "--quiet", "--exit-zero", "--format", "json", "-o", os.devnull] + excludes
    rows.append(("vigil cold, 1 job", measure(scan + ["--jobs", "1", corpus], args.runs)))
    rows.append((f"vigil cold, {args.jobs} jobs", measure(scan + ["--jobs", str(args.jobs), corpus], args.runs)))
    with tempfile.TemporaryDirectory() as cache:
        warm = [a for a in scan if a != "--no-cache"] + ["--cache-dir", cache, "--jobs", str(args.jobs), corpus]
        measure(warm, 1)  # fills the cache
        rows.append((f"vigil warm (cache), {args.jobs} jobs", measure(warm, args.runs)))
    rows.append(("parse only, 1 thread", measure([bound, "--jobs", "1", corpus], args.runs)))
    rows.append((f"parse only, {args.jobs} threads", measure([bound, "--jobs", str(args.jobs), corpus], args.runs)))
    rows.append((f"parse + visit every node, {args.jobs} threads",
                 measure([bound, "--visit", "--jobs", str(args.jobs), corpus], args.runs)))
    if which("bandit"):
        rows.append(("bandit -r", measure(["bandit", "-r", "-q", "-f", "json", "-o", os.devnull, corpus], args.runs)))
    module = ruff_wasm_module(peers_dir)
    if module and which("node"):
        rows.append((f"ruff-wasm S rules, {args.jobs} workers",
                     measure(["node", "--liftoff-only", os.path.join(ROOT, "bench", "ruff_wasm.cjs"), module,
                              str(args.jobs), corpus], args.runs)))
    bound_row = f"parse only, {args.jobs} threads"
    return {"language": "python", "files": len(files), "bytes": size, "rows": rows, "bound": bound_row,
            "vigil": f"vigil cold, {args.jobs} jobs"}


def cpp_rows(corpus, db, args, vigil):
    with open(db) as f:
        tus = len(json.load(f))
    rows = []
    scan = [vigil, "scan", "--no-cache", "--quiet", "--exit-zero", "--format", "json", "-o", os.devnull,
            "--exclude", "*.py", "-p", db]
    rows.append(("vigil, 1 job", measure(scan + ["--jobs", "1", corpus], args.runs)))
    rows.append((f"vigil, {args.jobs} jobs", measure(scan + ["--jobs", str(args.jobs), corpus], args.runs)))
    me = [sys.executable, os.path.abspath(__file__)]
    clang = which("clang++-14", "clang++")
    if clang:
        rows.append((f"clang++ -fsyntax-only, {args.jobs} at a time",
                     measure(me + ["--internal-parallel", "syntax", db, str(args.jobs), clang], args.runs)))
    tidy = which("clang-tidy-14", "clang-tidy")
    if tidy:
        rows.append(("clang-tidy -*,cert-*,bugprone-*",
                     measure(me + ["--internal-parallel", "tidy", db, str(args.jobs), tidy], args.runs)))
    if which("cppcheck"):
        rows.append(("cppcheck --project",
                     measure(["cppcheck", "--project=" + db, "-j", str(args.jobs), "-q", "--enable=warning"], args.runs)))
    if which("flawfinder"):
        rows.append(("flawfinder", measure(["flawfinder", "--quiet", "--dataonly", corpus], args.runs)))
    bound_row = f"clang++ -fsyntax-only, {args.jobs} at a time"
    return {"language": "cpp", "files": tus, "bytes": 0, "rows": rows, "bound": bound_row if clang else None,
            "vigil": f"vigil, {args.jobs} jobs"}


# ---------------------------------------------------------------- report

def table(corpus, result):
    by_name = dict(result["rows"])
    bound = by_name.get(result["bound"]) if result["bound"] else None
    vigil = by_name.get(result["vigil"])
    unit = "files" if result["language"] == "python" else "TUs"
    lines = [f"**{corpus}** ({result['language']}: {result['files']} {unit}"
             + (f", {result['bytes'] / 1e6:.1f} MB" if result["bytes"] else "") + ")", "",
             f"| tool | wall s | CPU s | peak RSS MB | {unit}/s | MB/s | ratio |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, m in result["rows"]:
        if name.startswith("vigil") and bound:
            ratio = f"{m['wall'] / bound['wall']:.2f}× the bound"
        elif not name.startswith("vigil") and name != result["bound"] and not name.startswith("parse") and vigil:
            ratio = f"{m['wall'] / vigil['wall']:.1f}× vigil"
        else:
            ratio = ""
        mbps = f"{result['bytes'] / 1e6 / m['wall']:.1f}" if result["bytes"] else ""
        note = " (1 run)" if m["runs"] == 1 and len(result["rows"]) and m["runs"] < RUNS else ""
        lines.append(f"| {name}{note} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_mb']:.0f} | "
                     f"{result['files'] / m['wall']:.0f} | {mbps} | {ratio} |")
    return "\n".join(lines)


def machine(vigil, peers_dir):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "vigil": version([vigil, "--version"]), "bandit": version(["bandit", "--version"]) if which("bandit") else None,
            "clang++": version([which("clang++-14", "clang++"), "--version"]) if which("clang++-14", "clang++") else None,
            "clang-tidy": version([which("clang-tidy-14", "clang-tidy"), "--version"]) if which("clang-tidy-14", "clang-tidy") else None,
            "cppcheck": version(["cppcheck", "--version"]) if which("cppcheck") else None,
            "flawfinder": version(["flawfinder", "--version"]) if which("flawfinder") else None,
            "node": version(["node", "--version"]) if which("node") else None}
    module = ruff_wasm_module(peers_dir)
    if module:
        with open(os.path.join(module, "package.json")) as f:
            info["ruff-wasm"] = json.load(f)["version"]
    return info


def update_docs(markdown):
    path = os.path.join(ROOT, "docs", "performance.md")
    with open(path) as f:
        text = f.read()
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + markdown + "\n" + end + tail)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--internal-parallel":
        mode, db, jobs, tool = sys.argv[2:6]
        if mode == "syntax":
            cmds = database_commands(db, lambda file, flags: [tool] + flags + ["-fsyntax-only", file])
        else:
            cmds = database_commands(db, lambda file, flags: [tool, "--quiet", "-p", db,
                                                              "--checks=-*,cert-*,bugprone-*", file])
        run_in_parallel(cmds, int(jobs))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", nargs="+")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory with vigil and vigil-parse-bound")
    p.add_argument("--peers", default=None, help="where bench/setup-peers.sh installed npm peers (default BUILD/bench-peers)")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    p.add_argument("--docs", action="store_true", help="also write the table into docs/performance.md")
    args = p.parse_args()
    global RUNS
    RUNS = args.runs
    vigil = os.path.join(args.build, "vigil")
    bound = os.path.join(args.build, "vigil-parse-bound")
    peers_dir = args.peers or os.path.join(args.build, "bench-peers")
    for exe in (vigil, bound):
        if not os.access(exe, os.X_OK):
            sys.exit(f"bench: {exe} not found: build first (scripts/build.sh)")
    results = {}
    for corpus in args.corpus:
        db = None
        if "=" in corpus and corpus.endswith(".json"):  # DIR=compile_commands.json
            corpus, db = corpus.rsplit("=", 1)
            db = os.path.abspath(db)
        corpus = os.path.abspath(corpus)
        results[corpus] = []
        if python_files(corpus):
            results[corpus].append(python_rows(corpus, args, vigil, bound, peers_dir))
        db = db or find_database(corpus)
        if db:
            results[corpus].append(cpp_rows(corpus, db, args, vigil))
    info = machine(vigil, peers_dir)
    parts = [f"Machine: {info['cpu']}, {info['cores']} cores, Linux {info['kernel']}; medians of {args.runs} runs "
             f"(whole process), {args.jobs} jobs/threads/workers where a tool takes them.", "",
             "Versions: " + "; ".join(v if v.lower().startswith(k.split("-")[0]) else f"{k} {v}"
                                      for k, v in info.items() if k not in ("cpu", "cores", "kernel") and v), ""]
    for corpus, entries in results.items():
        for r in entries:
            parts += [table(corpus, r), ""]
    markdown = "\n".join(parts)
    print(markdown)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.md"), "w") as f:
        f.write(markdown + "\n")
    with open(os.path.join(args.out, "latest.json"), "w") as f:
        json.dump({"machine": info, "runs": args.runs, "jobs": args.jobs,
                   "corpora": {c: [{**r, "rows": [{"tool": n, **m} for n, m in r["rows"]]} for r in e]
                               for c, e in results.items()}}, f, indent=2)
    if args.docs:
        update_docs(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
