#!/usr/bin/env python3
"""Cross-checks `nativeseg evaluate` against the official Python CTC evaluator (py-ctcmetrics)
on real CTC ground truth with perturbed results (bench/ctc_perturb.py), and prints a Markdown
table of both evaluators' numbers. Development check only: needs `pip install py-ctcmetrics`
and the data in ../shared/data/ctc; nothing in the tests or CI runs it.

    python3 bench/ctc_crosscheck.py --nativeseg build/native/nativeseg \\
        --data ../shared/data/ctc --work /tmp/ctc-crosscheck
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys

from ctc_metrics.scripts.evaluate import evaluate_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
MEASURES = ["SEG", "DET", "TRA", "LNK", "OP_CSB", "OP_CTB"]
COUNTS = ["NS", "FN", "FP", "ED", "EA", "EC"]
SCENARIOS = ["none", "drop", "swap", "break,unlink", "falsediv", "merge,split,fp", "all"]


def ours(nativeseg, gt, res):
    out = subprocess.run([nativeseg, "evaluate", "--gt", gt, "--res", res, "--json"], check=True,
                         capture_output=True, text=True).stdout
    j = json.loads(out)
    values = dict(j["measures"])
    values.update({k: j["aogm"][k] for k in COUNTS})
    values["AOGM"] = j["aogm"]["AOGM"]
    return values


def theirs(gt, res):
    with contextlib.redirect_stdout(io.StringIO()):  # it prints its whole result dict
        r = evaluate_sequence(res, gt, metrics=["Valid", "SEG", "DET", "TRA", "LNK"], threads=0)
    values = {k: r.get(k) for k in MEASURES}
    values.update({k: r.get("AOGM_" + k) for k in COUNTS})
    values["AOGM"] = r.get("AOGM")
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nativeseg", required=True)
    ap.add_argument("--data", required=True, help="folder holding Fluo-N2DH-GOWT1 and Fluo-N2DH-SIM+")
    ap.add_argument("--work", required=True, help="scratch folder for the perturbed results")
    ap.add_argument("--datasets", default="Fluo-N2DH-GOWT1,Fluo-N2DH-SIM+")
    ap.add_argument("--scenarios", default=",".join(s.replace(",", "+") for s in SCENARIOS))
    args = ap.parse_args()

    worst = 0.0
    rows = []
    for ds in args.datasets.split(","):
        gt = os.path.join(args.data, ds, "01_GT")
        for scenario in args.scenarios.split(","):
            ops = scenario.replace("+", ",")
            res = os.path.join(args.work, ds, scenario.replace("+", "_"))
            subprocess.run([sys.executable, os.path.join(HERE, "ctc_perturb.py"), "--gt", gt, "--out", res,
                            "--ops", ops], check=True, capture_output=True)
            a, b = theirs(gt, res), ours(args.nativeseg, gt, res)
            if a["TRA"] is None:  # py-ctcmetrics refuses results that break the CTC rules
                raise SystemExit(f"{ds} {scenario}: py-ctcmetrics found the result invalid")
            diff = max(abs(a[k] - b[k]) for k in MEASURES + COUNTS + ["AOGM"])
            worst = max(worst, diff)
            rows.append((ds, scenario, a, b, diff))
            print(f"{ds} {scenario}: max |difference| {diff:.3g}", file=sys.stderr)

    print("| data | perturbation | evaluator | " + " | ".join(MEASURES) + " | NS FN FP ED EA EC |")
    print("|---|---|---|" + "---|" * len(MEASURES) + "---|")
    for ds, scenario, a, b, _ in rows:
        for name, v in (("py-ctcmetrics", a), ("nativeseg", b)):
            print(f"| {ds} | {scenario} | {name} | " + " | ".join(f"{v[k]:.9f}" for k in MEASURES) + " | " +
                  " ".join(str(int(v[k])) for k in COUNTS) + " |")
    print(f"\nlargest difference over all numbers: {worst:.3g}")
    return 0 if worst <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
