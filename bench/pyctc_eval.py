#!/usr/bin/env python3
"""Runs the official Python CTC evaluator (py-ctcmetrics, `pip install py-ctcmetrics`) on one
sequence and prints its CTC measures as JSON with full precision (its own `ctc_evaluate` prints
5 decimals). Development cross-check only: NativeSeg does not depend on it.

    python3 bench/pyctc_eval.py --gt DIR/01_GT --res DIR/01_RES [--threads N]
"""
import argparse
import json
import time

from ctc_metrics.scripts.evaluate import evaluate_sequence


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gt", required=True)
    ap.add_argument("--res", required=True)
    ap.add_argument("--threads", type=int, default=0, help="0 = all CPUs (py-ctcmetrics default)")
    args = ap.parse_args()
    metrics = ["Valid", "SEG", "DET", "TRA", "LNK"]
    start = time.perf_counter()
    res = evaluate_sequence(args.res, args.gt, metrics=metrics, threads=args.threads)
    seconds = time.perf_counter() - start
    out = {k: (float(v) if v is not None else None) for k, v in res.items()}
    out["seconds"] = seconds
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
