#!/usr/bin/env bash
# track on awkward input: a one-frame video, empty frames and a label in two parts work; negative or fractional
# labels, and a raw video whose frame count differs, fail with a one-line error naming the
# file; no output appears under a final name after a failure.
set -euo pipefail
NS="$1"; DIR="$2"; EXPECT="$3"
rm -rf "$DIR"; mkdir -p "$DIR"
/usr/bin/python3 - "$DIR" <<'PY'
import sys
import numpy as np
import tifffile
d = sys.argv[1]
one = np.zeros((1, 40, 40), np.uint16); one[0, 5:15, 5:15] = 3
tifffile.imwrite(f"{d}/one_frame.tif", one, photometric="minisblack")
empty = np.zeros((4, 40, 40), np.uint16); empty[0, 5:15, 5:15] = 1; empty[3, 5:15, 5:15] = 1
tifffile.imwrite(f"{d}/empty_frames.tif", empty, photometric="minisblack")
neg = np.zeros((3, 40, 40), np.int16); neg[1, 2:4, 2:4] = -2
tifffile.imwrite(f"{d}/negative.tif", neg, photometric="minisblack")
frac = np.zeros((3, 40, 40), np.float32); frac[1, 2:4, 2:4] = 1.5
tifffile.imwrite(f"{d}/fractional.tif", frac, photometric="minisblack")
parts = np.zeros((3, 40, 40), np.uint16); parts[:, 2:8, 2:8] = 5; parts[1, 20:26, 20:26] = 5  # label 5 in 2 parts
tifffile.imwrite(f"{d}/two_parts.tif", parts, photometric="minisblack")
tifffile.imwrite(f"{d}/raw5.tif", np.zeros((5, 40, 40), np.uint8), photometric="minisblack")
PY
"$NS" track --labels "$DIR/one_frame.tif" --out "$DIR/one" | grep -q "tracked 1 frames: 1 objects, 0 tracks"
"$NS" track --labels "$DIR/empty_frames.tif" --out "$DIR/empty" | grep -q "tracked 4 frames: 2 objects, 0 tracks"
# A label in two parts is two objects; the CTC export stays valid.
"$NS" track --labels "$DIR/two_parts.tif" --out "$DIR/parts" | grep -q "split into one object per part"
"$NS" evaluate --validate --res "$DIR/parts/ctc" >/dev/null
bash "$EXPECT" nonzero "negative.tif.*must not be negative|must not be negative" -- \
  "$NS" track --labels "$DIR/negative.tif" --out "$DIR/neg"
bash "$EXPECT" nonzero "whole numbers" -- "$NS" track --labels "$DIR/fractional.tif" --out "$DIR/frac"
bash "$EXPECT" nonzero "raw5.tif.*does not match" -- \
  "$NS" track --labels "$DIR/empty_frames.tif" --image "$DIR/raw5.tif" --out "$DIR/mismatch"
for d in neg frac; do
  for f in labels.tif tracks.tif tracks.xml report.json ctc; do
    [ ! -e "$DIR/$d/$f" ] || { echo "$d/$f exists after a failure"; exit 1; }
  done
done
echo "TRACK BAD INPUT OK"
