#!/usr/bin/env python3
"""Per-TU cost of vigil's C++ analysis against `clang++ -fsyntax-only`, side by side.

Usage: bench/cpp_tu_overhead.py COMPILE_COMMANDS_JSON [PATH] [--runs N] [--vigil BIN]

Runs every command of the database with `-fsyntax-only` (one clang++ process per
TU, sequentially), then `vigil scan --jobs 1` over PATH (default: the
database's directory), N times each, and prints the medians and their ratio.
Nothing is downloaded; run on demand (never from the test suite).
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import time


def clang_pass(db, clang):
    for entry in db:
        args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
        args = [clang] + [a for a in args[1:] if a != "-c"]
        if "-o" in args:
            i = args.index("-o")
            del args[i:i + 2]
        subprocess.run(args + ["-fsyntax-only"], cwd=entry["directory"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("database")
    p.add_argument("path", nargs="?")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--vigil", default=os.path.join(os.path.dirname(__file__), "..", "build", "vigil"))
    p.add_argument("--clang", default="clang++-14")
    a = p.parse_args()
    db = json.load(open(a.database))
    path = a.path or os.path.dirname(os.path.abspath(a.database))
    clang = timed(lambda: clang_pass(db, a.clang), a.runs)
    vigil = timed(lambda: subprocess.run([a.vigil, "scan", "-q", "--exit-zero", "--jobs", "1", "-p", a.database, path],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), a.runs)
    print(f"{len(db)} TUs, median of {a.runs} runs")
    print(f"clang++ -fsyntax-only, one process per TU: {clang:.2f} s ({clang / len(db) * 1000:.0f} ms/TU)")
    print(f"vigil scan --jobs 1, all C++ rules:       {vigil:.2f} s ({vigil / len(db) * 1000:.0f} ms/TU)")
    print(f"ratio vigil / clang++ -fsyntax-only: {vigil / clang:.2f}")


if __name__ == "__main__":
    main()
