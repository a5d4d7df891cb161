#!/usr/bin/python3
"""The Python PyTorch baseline of `nativeseg predict`: the same TorchScript file, the same
tiles (a port of native/src/tiling.cpp: balanced tiles of valid sizes, halo, symmetric
mirror padding), the same streaming (tifffile reads one page and appends one page at a
time), float32 probabilities out.

Usage: /usr/bin/python3 bench/predict_python.py MODEL_DIR IN.tif OUT.tif
           [--tile N] [--halo N] [--batch N] [--threads N] [--min 16] [--step 8]
Prints one JSON line: seconds (after the model is loaded), frames, frames_per_second and the
median time per frame (read, predict, write), as `nativeseg predict --json` reports them.
"""
import argparse
import json
import os
import time

import numpy as np
import tifffile
import torch


def at_least(n, mn, step):
    return mn if n <= mn else mn + -(-(n - mn) // step) * step


def at_most(n, mn, step):
    return -1 if n < mn else mn + ((n - mn) // step) * step


def plan_axis(size, mn, step, halo, max_tile):
    """native/src/tiling.cpp plan_axis for a min + n*step rule."""
    needed = size + 2 * halo
    whole = at_least(needed, mn, step)
    if max_tile <= 0 or whole <= max_tile:
        return whole, [(-((whole - size) // 2), 0, size)]
    tmax = at_most(max_tile, mn, step)
    if tmax < 0 or tmax - 2 * halo < 1:
        tmax = at_least(2 * halo + 1, mn, step)
    core = tmax - 2 * halo
    n = -(-size // core)
    tile = min(tmax, at_least(-(-size // n) + 2 * halo, mn, step))
    core = tile - 2 * halo
    n = -(-size // core)
    if n <= 1:
        return tile, [(-((tile - size) // 2), 0, size)]
    starts = [(i * (size - core) + (n - 1) // 2) // (n - 1) for i in range(n)]
    tiles = []
    for i in range(n):
        ws = 0 if i == 0 else (starts[i] + starts[i - 1] + core) // 2
        we = size if i == n - 1 else (starts[i + 1] + starts[i] + core) // 2
        tiles.append((starts[i] - halo, ws, we))
    return tile, tiles


def mirror(idx, n):
    p = 2 * n
    m = np.mod(idx, p)
    return np.where(m < n, m, p - 1 - m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--tile", type=int, default=1536)
    ap.add_argument("--halo", type=int, default=16)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--min", type=int, default=16)
    ap.add_argument("--step", type=int, default=8)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    model = torch.jit.load(os.path.join(a.model, "weights.pt"), map_location="cpu").eval()
    start = time.perf_counter()
    frames = 0
    per_frame, per_frame_cpu = [], []
    last, last_cpu = start, time.process_time()
    with tifffile.TiffFile(a.input) as tif, tifffile.TiffWriter(a.output) as out, torch.inference_mode():
        for page in tif.pages:
            x = page.asarray().astype(np.float32)
            h, w = x.shape
            th, ty = plan_axis(h, a.min, a.step, a.halo, a.tile)
            tw, tx = plan_axis(w, a.min, a.step, a.halo, a.tile)
            result = np.empty((h, w), np.float32)
            jobs = [(r, c) for r in ty for c in tx]
            for b in range(0, len(jobs), a.batch):
                chunk = jobs[b:b + a.batch]
                tiles = [x[np.ix_(mirror(np.arange(r[0], r[0] + th), h), mirror(np.arange(c[0], c[0] + tw), w))]
                         for r, c in chunk]
                y = model(torch.from_numpy(np.stack(tiles)[:, None])).numpy()
                for k, (r, c) in enumerate(chunk):
                    result[r[1]:r[2], c[1]:c[2]] = y[k, 0, r[1] - r[0]:r[2] - r[0], c[1] - c[0]:c[2] - c[0]]
            out.write(result, contiguous=True, photometric="minisblack")
            frames += 1
            now = time.perf_counter()
            per_frame.append(now - last)
            last = now
            cpu = time.process_time()
            per_frame_cpu.append(cpu - last_cpu)
            last_cpu = cpu
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "frames": frames, "frames_per_second": frames / seconds,
                      "median_ms_per_prediction": 1000 * sorted(per_frame)[len(per_frame) // 2],
                      "median_cpu_ms_per_prediction": 1000 * sorted(per_frame_cpu)[len(per_frame_cpu) // 2],
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
