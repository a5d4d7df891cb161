#!/usr/bin/python3
"""Makes a CTC evaluation set from frames FIRST..LAST of a sequence: the frames renumbered
from 0 (DIR/frames/tNNN.tif), and the ground truth clipped to those frames and re-indexed
(DIR/GT/TRA: masks + man_track.txt with begin/end clipped, tracks outside dropped, parent
links kept only when both tracks are inside; DIR/GT/SEG: the SEG masks of SEG_FIRST..SEG_LAST).
Files are copied, never decoded. Used by bench/train_eval_nuclei.sh for the model card.

Usage: train_eval_ctc.py SEQ_DIR OUT_DIR FIRST LAST [SEG_FIRST SEG_LAST]
"""
import os
import re
import shutil
import sys


def main():
    seq, out, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    seg_first, seg_last = (int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 6 else (first, last)
    gt = seq.rstrip("/") + "_GT"
    for sub in ("frames", "GT/TRA", "GT/SEG"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    for t in range(first, last + 1):
        shutil.copy(os.path.join(seq, "t%03d.tif" % t), os.path.join(out, "frames", "t%03d.tif" % (t - first)))
        shutil.copy(os.path.join(gt, "TRA", "man_track%03d.tif" % t),
                    os.path.join(out, "GT/TRA", "man_track%03d.tif" % (t - first)))
    segs = 0
    for name in sorted(os.listdir(os.path.join(gt, "SEG"))):
        m = re.match(r"man_seg(\d+)\.tif$", name)
        if m and seg_first <= int(m.group(1)) <= seg_last:
            shutil.copy(os.path.join(gt, "SEG", name),
                        os.path.join(out, "GT/SEG", "man_seg%03d.tif" % (int(m.group(1)) - first)))
            segs += 1
    tracks = {}
    for line in open(os.path.join(gt, "TRA", "man_track.txt")):
        if line.strip():
            label, b, e, p = map(int, line.split())
            if e >= first and b <= last:
                tracks[label] = (max(b, first) - first, min(e, last) - first, p, b >= first)
    with open(os.path.join(out, "GT/TRA", "man_track.txt"), "w") as f:
        for label, (b, e, p, starts_inside) in sorted(tracks.items()):
            f.write("%d %d %d %d\n" % (label, b, e, p if starts_inside and p in tracks else 0))
    print("frames %d-%d -> %s: %d frames, %d tracks, %d SEG frames" % (first, last, out, last - first + 1,
                                                                        len(tracks), segs))


if __name__ == "__main__":
    main()
