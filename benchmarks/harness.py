#!/usr/bin/env python3
"""MetaJit benchmark harness.

Runs each benchmark program under several configurations (native interpreter, JIT, and peers such as a
C reference interpreter when available), several runs each, and prints the median times and the ratio of
medians against the native interpreter, plus the JIT summary of the last JIT run.

    python3 benchmarks/harness.py                 # every suite, 3 runs each
    python3 benchmarks/harness.py bf --runs 5     # one suite
    python3 benchmarks/harness.py bf --only mandel
    python3 benchmarks/harness.py lox --no-opts   # adds a JIT column with every optimizer pass off

Suites: bf (examples/Brainfuck/programs), lox (benchmarks/lox, once `metajit lox` exists).
Timing is wall-clock of the whole process (start-up included; the programs are sized to run for seconds).
The configurations take turns run by run, so a shared machine's slow spells fall on all of them.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METAJIT_SCRIPT = os.path.join(ROOT, "metajit")
# The published command the script runs. Timed runs call it directly: the script's check for sources newer than
# the publish (a `find` over the tree, ~15-20 ms) is development convenience, not part of running a program.
METAJIT_DLL = os.path.join(ROOT, "toolchain", "MetaJit.Cli", "bin", "Release", "publish", "metajit.dll")
METAJIT = ["dotnet", METAJIT_DLL]
BF_DIR = os.path.join(ROOT, "examples", "Brainfuck", "programs")
LOX_DIR = os.path.join(ROOT, "benchmarks", "lox")
BF_LONG = ["mandel", "primes", "squares", "nested"]


def run(cmd, env_extra, stdin_path=None):
    env = dict(os.environ)
    env.update(env_extra)
    stdin = open(stdin_path, "rb") if stdin_path and os.path.exists(stdin_path) else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    return elapsed, proc


def c_reference():
    """Builds the C reference Brainfuck interpreter, if its source is bundled."""
    src = os.path.join(BF_DIR, "generate", "refbf.c")
    if not os.path.exists(src) or not shutil.which("gcc"):
        return None
    out = os.path.join(ROOT, "benchmarks", ".build", "refbf")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        subprocess.run(["gcc", "-O2", "-o", out, src], check=True)
    return out


def configurations(suite, no_opts):
    configs = [
        ("native", lambda p: [*METAJIT, suite, p], {"METAJIT_MODE": "native"}),
        ("jit", lambda p: [*METAJIT, suite, p], {"METAJIT_MODE": "jit", "METAJIT_LOG": "summary"}),
    ]
    if no_opts:
        configs.append(("jit no-opts", lambda p: [*METAJIT, suite, p],
                        {"METAJIT_MODE": "jit", "METAJIT_LOG": "summary", "METAJIT_OPTS": "none"}))
    if suite == "bf":
        ref = c_reference()
        if ref:
            configs.append(("C ref", lambda p: [ref, p], {}))
    return configs


def programs(suite, only):
    if suite == "bf":
        names = [n for n in BF_LONG if os.path.exists(os.path.join(BF_DIR, n + ".b"))]
        paths = [os.path.join(BF_DIR, n + ".b") for n in names]
    else:
        if not os.path.isdir(LOX_DIR):
            return []
        paths = sorted(os.path.join(LOX_DIR, f) for f in os.listdir(LOX_DIR) if f.endswith(".lox"))
    if only:
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in only]
    return paths


def summary_lines(stderr):
    text = stderr.decode("utf-8", "replace")
    keep = ("loops compiled", "bridges compiled", "traces aborted", "guard failures", "loop entries",
            "ops recorded", "ops compiled", "time tracing", "time optimizing", "time compiling", "trees compiled",
            "  aborted", "gc collections", "time in gc pauses")
    lines = [l for l in text.splitlines() if l.startswith(keep)]
    figures = {}
    for l in lines:
        key, _, value = l.partition(":")
        try:
            figures[key.strip()] = float(value.strip().split()[0])
        except (ValueError, IndexError):
            pass
    traces = figures.get("loops compiled", 0) + figures.get("bridges compiled", 0)
    if traces and "ops recorded" in figures and "ops compiled" in figures:
        lines.append(f"ops per trace: {figures['ops recorded'] / traces:.0f} recorded, "
                     f"{figures['ops compiled'] / traces:.0f} compiled")
        if figures["ops compiled"] and "time compiling" in figures:
            lines.append(f"compile time per 100 ops: {100 * figures['time compiling'] / figures['ops compiled']:.2f} ms")
    return lines


def bench_suite(suite, runs, only, no_opts):
    paths = programs(suite, only)
    if not paths:
        print(f"[{suite}] no programs")
        return
    subprocess.run([METAJIT_SCRIPT, "--help"], stdout=subprocess.DEVNULL)  # publish once, if stale, before timing
    configs = configurations(suite, no_opts)
    print(f"== {suite}: {runs} runs each, median wall time (ratio = native / config: higher is faster)")
    header = f"{'program':<14}" + "".join(f"{name:>16}" for name, _, _ in configs)
    print(header)
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        stdin_path = os.path.splitext(path)[0] + ".in"
        times = {cname: [] for cname, _, _ in configs}
        outputs = {}
        jit_stderr = {}
        # Configurations take turns within each round, so a machine that slows down for a while (a shared VM)
        # slows every configuration alike instead of skewing one ratio.
        for _ in range(runs):
            for cname, cmd, env in configs:
                elapsed, proc = run(cmd(path), env, stdin_path)
                if proc.returncode != 0:
                    print(f"  {name} [{cname}] exit {proc.returncode}: {proc.stderr.decode(errors='replace')[:400]}")
                times[cname].append(elapsed)
                outputs[cname] = proc.stdout
                if cname.startswith("jit"):
                    jit_stderr[cname] = proc.stderr
        medians = {cname: statistics.median(t) for cname, t in times.items()}
        base = medians["native"]
        cells = "".join(f"{medians[c]:>8.2f}s {base / medians[c]:>5.1f}x" for c, _, _ in configs)
        print(f"{name:<14}{cells}")
        if any(outputs[c] != outputs["native"] for c in outputs):
            print(f"  !! {name}: outputs differ between configurations")
        for cname, stderr in jit_stderr.items():
            if len(jit_stderr) > 1:
                print(f"    [{cname}]")
            for line in summary_lines(stderr):
                print("      " + line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suites", nargs="*", default=["bf", "lox"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--no-opts", action="store_true", help="also run the JIT with every optimizer pass off")
    args = ap.parse_args()
    for suite in args.suites:
        bench_suite(suite, args.runs, args.only, args.no_opts)


if __name__ == "__main__":
    sys.exit(main())
