#!/usr/bin/env python3
"""Video-to-tracks stage speed: NativeSeg (`nativeseg track --masks`, its report.json
timings) against the same steps in Python/scipy on the same masks, in one run, both pinned
to one core (taskset -c 0).

Python steps, written to do what ours do (reference-pipeline.md §3): clean-up (binary
closing with the radius-3 ball and a safe border, 4-connected hole filling, removal of
4-connected objects < 150 px), reference gap filling (scipy gaussian_filter on (t, y) and
(t, x) planes, as in tests/golden), 8-connected labelling with < 100 px removal, linking by
IoU with scipy's linear_sum_assignment, writing label frames with tifffile (Deflate; ours
write LZW).

Usage: postprocess_speed.py NATIVESEG WORKDIR   (prints a Markdown table)
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import tifffile
from scipy import ndimage, optimize

BALL3 = np.array([[dx * dx + dy * dy <= 12.25 for dx in range(-3, 4)] for dy in range(-3, 4)])


def cleanup(m):
    p = np.pad(m, 3)
    closed = ndimage.binary_erosion(ndimage.binary_dilation(p, BALL3), BALL3, border_value=1)[3:-3, 3:-3]
    filled = ndimage.binary_fill_holes(closed)  # 4-connected background by default
    lab, n = ndimage.label(filled)
    sizes = ndimage.sum(filled, lab, range(1, n + 1))
    keep = np.zeros(n + 1, bool)
    keep[1:] = sizes >= 150
    return keep[lab].astype(np.uint8)


def gap_fill_reference(v01):
    v = (255 * v01).astype(np.uint8)
    col = np.empty_like(v)
    row = np.empty_like(v)
    for x in range(v.shape[2]):
        col[:, :, x] = ndimage.gaussian_filter(v[:, :, x], 2)
    for y in range(v.shape[1]):
        row[:, y, :] = ndimage.gaussian_filter(v[:, y, :], 2)
    return (((col.astype(np.uint16) + row) // 2) > 0).astype(np.uint8)


def label(m):
    lab, n = ndimage.label(m, np.ones((3, 3)))
    sizes = ndimage.sum(m, lab, range(1, n + 1))
    small = np.nonzero(sizes < 100)[0] + 1
    lab[np.isin(lab, small)] = 0
    return lab


def link(prev, cur):
    a = prev.ravel()
    b = cur.ravel()
    both = (a > 0) & (b > 0)
    pairs, counts = np.unique(np.stack([a[both], b[both]]), axis=1, return_counts=True)
    la = np.unique(a[a > 0])
    lb = np.unique(b[b > 0])
    if len(la) == 0 or len(lb) == 0:
        return []
    area_a = dict(zip(*np.unique(a[a > 0], return_counts=True)))
    area_b = dict(zip(*np.unique(b[b > 0], return_counts=True)))
    ia = {l: i for i, l in enumerate(la)}
    ib = {l: i for i, l in enumerate(lb)}
    cost = np.full((len(la), len(lb)), 2.0)
    for (p, q), n in zip(pairs.T, counts):
        cost[ia[p], ib[q]] = 1 - n / (area_a[p] + area_b[q] - n)
    r, c = optimize.linear_sum_assignment(cost)
    return [(la[i], lb[j]) for i, j in zip(r, c) if cost[i, j] < 1]


def python_pipeline(masks, out_dir):
    t = {}
    s = time.perf_counter()
    cleaned = np.stack([cleanup(f) for f in masks])
    t["cleanup"] = time.perf_counter() - s
    s = time.perf_counter()
    filled = gap_fill_reference(cleaned)
    t["gap_fill"] = time.perf_counter() - s
    s = time.perf_counter()
    labels = [label(f) for f in filled]
    t["instances"] = time.perf_counter() - s
    s = time.perf_counter()
    for i in range(1, len(labels)):
        link(labels[i - 1], labels[i])
    t["tracking"] = time.perf_counter() - s
    s = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    for i, l in enumerate(labels):
        tifffile.imwrite(os.path.join(out_dir, f"mask{i:03d}.tif"), l.astype(np.uint16), compression="zlib")
    t["writing"] = time.perf_counter() - s
    return t


def main():
    ns, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rows = []
    for size, frames, cells in ((512, 100, 40), (1024, 100, 160)):
        sim = os.path.join(work, f"sim{size}")
        subprocess.run([ns, "simulate", "--out", sim, "--frames", str(frames), "--width", str(size), "--height",
                        str(size), "--cells", str(cells), "--seed", "3"], check=True, capture_output=True)
        gt = os.path.join(work, f"gt{size}.tif")
        subprocess.run([ns, "convert", "--input", os.path.join(sim, "01_GT", "SEG"), "--output", gt,
                        "--compression", "none"], check=True, capture_output=True)
        masks = (tifffile.imread(gt) > 0).astype(np.uint8)
        mask_path = os.path.join(work, f"masks{size}.tif")
        tifffile.imwrite(mask_path, masks, photometric="minisblack")
        out = os.path.join(work, f"ours{size}")
        subprocess.run(["taskset", "-c", "0", ns, "track", "--masks", mask_path, "--out", out, "--gap-fill",
                        "reference", "--exports", "ctc"], check=True, capture_output=True)
        ours = json.load(open(os.path.join(out, "report.json")))["seconds"]
        py = json.loads(subprocess.run(
            ["taskset", "-c", "0", sys.executable, __file__, "--python-only", mask_path, os.path.join(work, f"py{size}")],
            check=True, capture_output=True, text=True).stdout)
        for stage in ("cleanup", "gap_fill", "instances", "tracking", "writing"):
            rows.append((f"{size}²", stage, 1000 * ours[stage] / frames, 1000 * py[stage] / frames))
        rows.append((f"{size}²", "all stages", 1000 * sum(ours[k] for k in py) / frames,
                     1000 * sum(py.values()) / frames))
    print("| frames | stage | NativeSeg ms/frame | Python ms/frame | speed-up |")
    print("|---|---|---|---|---|")
    for size, stage, a, b in rows:
        print(f"| {size} | {stage} | {a:.2f} | {b:.2f} | {b / a:.1f}× |")


if __name__ == "__main__":
    if sys.argv[1] == "--python-only":
        print(json.dumps(python_pipeline(tifffile.imread(sys.argv[2]), sys.argv[3])))
    else:
        main()
