#!/usr/bin/env python3
"""Speed of `nativeseg evaluate --kind ctc` against py-ctcmetrics (the official Python CTC
evaluator) on the same sequence, measured in the same run: Fluo-N2DH-GOWT1 (92 frames of
1024x1024) with a perturbed result made by bench/ctc_perturb.py. Prints a Markdown table row
for docs/benchmarks.md. Needs `pip install py-ctcmetrics` and ../shared/data/ctc.

    python3 bench/bench_evaluate.py --nativeseg build/native/nativeseg \\
        --gt ../shared/data/ctc/Fluo-N2DH-GOWT1/01_GT --work /tmp/bench-evaluate [--repeats 3]
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time

from ctc_metrics.scripts.evaluate import evaluate_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
METRICS = ["Valid", "SEG", "DET", "TRA", "LNK"]


def best_of(n, fn):
    times, value = [], None
    for _ in range(n):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nativeseg", required=True)
    ap.add_argument("--gt", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    res = os.path.join(args.work, "RES")
    subprocess.run([sys.executable, os.path.join(HERE, "ctc_perturb.py"), "--gt", args.gt, "--out", res,
                    "--ops", "all"], check=True, capture_output=True)

    def ours():
        out = subprocess.run([args.nativeseg, "evaluate", "--gt", args.gt, "--res", res, "--json"], check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out)["measures"]["TRA"]

    def theirs(threads):
        def run():
            with contextlib.redirect_stdout(io.StringIO()):
                return evaluate_sequence(res, args.gt, metrics=list(METRICS), threads=threads)["TRA"]
        return run

    t_ours, tra_ours = best_of(args.repeats, ours)
    t_all, tra_all = best_of(args.repeats, theirs(0))
    t_one, tra_one = best_of(args.repeats, theirs(1))
    assert abs(tra_ours - tra_all) < 1e-9 and abs(tra_ours - tra_one) < 1e-9, (tra_ours, tra_all, tra_one)
    cpus = os.cpu_count()
    print("| sequence | nativeseg (1 thread) | py-ctcmetrics, all CPUs | py-ctcmetrics, 1 process | speed-up |")
    print("|---|---|---|---|---|")
    print(f"| GOWT1 01, 92 x 1024² (perturbed result) | {t_ours:.2f} s | {t_all:.2f} s ({cpus} CPUs) | {t_one:.2f} s | "
          f"{t_all / t_ours:.1f}x vs all CPUs, {t_one / t_ours:.1f}x vs 1 process |")


if __name__ == "__main__":
    main()
