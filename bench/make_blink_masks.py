#!/usr/bin/env python3
"""make_blink_masks.py SIM_DIR GT_LABELS.tif OUT.tif SEED: ground-truth masks of a `nativeseg
simulate` folder (GT_LABELS.tif: its 01_GT/SEG as one uncompressed TIFF, since Debian's tifffile
cannot decode LZW) with each blinking cell removed during its blink and 2% of other objects dropped."""
import json
import os
import sys

import numpy as np
import tifffile

sim, gt, out, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
events = json.load(open(os.path.join(sim, "events.json")))["events"]
labels = tifffile.imread(gt)
rng = np.random.default_rng(seed)
for ev in events:
    if ev["type"] == "blink":
        for t in range(ev["frame"], ev["frame"] + ev["length"]):
            if t < len(labels):
                labels[t][labels[t] == ev["label"]] = 0
for t in range(len(labels)):
    for l in np.unique(labels[t])[1:]:
        if rng.random() < 0.02:
            labels[t][labels[t] == l] = 0
tifffile.imwrite(out, (labels > 0).astype(np.uint8), photometric="minisblack")
