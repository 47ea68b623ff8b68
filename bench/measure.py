#!/usr/bin/env python3
"""Run commands side by side and print wall time and peak RSS of each, with ratios.

Usage: measure.py RUNS LABEL::CMD [LABEL::CMD ...]
Each CMD is split as a shell would split words (no pipes or redirections) and executed
directly, with stdout and stderr to /dev/null, so no shell start-up is counted in anyone's time.
Rounds interleave the commands so that machine noise spreads evenly; the median wall time and
the largest peak RSS are reported.
Peak RSS comes from wait4(2) of each child, so it is that process tree's own figure.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(
        shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {cmd}")
    return wall, usage.ru_maxrss / 1024.0  # KiB -> MiB


def main():
    runs = int(sys.argv[1])
    jobs = [arg.split("::", 1) for arg in sys.argv[2:]]
    results = {label: ([], []) for label, _ in jobs}
    for _ in range(runs):
        for label, cmd in jobs:
            wall, rss = run(cmd)
            results[label][0].append(wall)
            results[label][1].append(rss)
    for label, (walls, rsss) in results.items():
        print(f"{label}\t{statistics.median(walls):.5f}\t{max(rsss):.1f}")


if __name__ == "__main__":
    main()
