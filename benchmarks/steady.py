#!/usr/bin/env python3
"""Steady-state timings, measured inside the program.

Each program in benchmarks/steady times one piece of work 40 times with Lox's clock() and prints the best
time in milliseconds, so start-up, tracing and compiling are left out and a short slow spell of the machine
is too. Whole-process times on a shared 2-core VM move by up to 40% in spells of minutes; the best of 40
in-process timings moves by a few percent, which is what a change to the engine's compiled code needs.

    python3 benchmarks/steady.py                          # native vs JIT of this checkout, 5 processes each
    python3 benchmarks/steady.py --against /tmp/base      # JIT of another checkout (A) vs this one (B)
    python3 benchmarks/steady.py --only fib tak --runs 9
    python3 benchmarks/steady.py --params direct_calls=off  # JIT with METAJIT_PARAMS (A) vs defaults (B)

Configurations take turns process by process. Printed per program: the minimum and the median over the
processes of each configuration's best time, and the ratio of the medians (A / B: above 1, B is faster).
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEADY_DIR = os.path.join(ROOT, "benchmarks", "steady")


def published(checkout):
    """The published metajit command of a checkout, republished first if its sources changed."""
    subprocess.run([os.path.join(checkout, "metajit"), "--help"], stdout=subprocess.DEVNULL, check=True)
    return ["dotnet", os.path.join(checkout, "toolchain", "MetaJit.Cli", "bin", "Release", "publish", "metajit.dll")]


def best_ms(cmd, env_extra, path):
    env = dict(os.environ)
    env.update(env_extra)
    proc = subprocess.run([*cmd, "lox", path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise SystemExit(f"{path}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')[:400]}")
    return float(proc.stdout.decode().split()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="processes per configuration and program")
    ap.add_argument("--only", nargs="*", help="program names (without .lox)")
    ap.add_argument("--against", help="another checkout: compare its JIT (A) with this checkout's (B)")
    ap.add_argument("--params", help="METAJIT_PARAMS for A (e.g. direct_calls=off): this checkout's JIT with them (A) vs without (B)")
    args = ap.parse_args()

    here = published(ROOT)
    if args.against:
        configs = [("A jit", published(args.against), {}), ("B jit", here, {})]
    elif args.params:
        configs = [("A jit+params", here, {"METAJIT_PARAMS": args.params}), ("B jit", here, {})]
    else:
        configs = [("A native", here, {"METAJIT_MODE": "native"}), ("B jit", here, {})]
    paths = sorted(os.path.join(STEADY_DIR, f) for f in os.listdir(STEADY_DIR) if f.endswith(".lox"))
    if args.only:
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in args.only]

    print(f"best of 40 in-process timings, ms; {args.runs} processes each (min / median over processes)")
    print(f"{'program':<12}" + "".join(f"{name:>22}" for name, _, _ in configs) + f"{'A / B':>9}")
    for path in paths:
        times = {name: [] for name, _, _ in configs}
        for _ in range(args.runs):
            for name, cmd, env in configs:
                times[name].append(best_ms(cmd, env, path))
        cells = "".join(f"{min(t):>10.2f} / {statistics.median(t):>8.2f}" for t in times.values())
        a, b = (statistics.median(t) for t in times.values())
        print(f"{os.path.splitext(os.path.basename(path))[0]:<12}{cells}{a / b:>8.2f}x")


if __name__ == "__main__":
    sys.exit(main())
