#!/usr/bin/env bash
# Which gap-filling mode recovers more of the truth? Simulated blinking videos: the
# "segmentation" is the ground-truth masks with every blinking cell removed during its
# blink (what a network sees: a cell out of focus is missed) and, to mimic ordinary misses,
# 2% of the other objects removed at random. Each mode then runs through
# `nativeseg track --masks` and the CTC result is evaluated against the full ground truth.
# Usage: bench/gap_fill_modes.sh [BUILD_DIR] [WORK_DIR]     (needs /usr/bin/python3 + tifffile)
set -euo pipefail
BUILD="${1:-build}"; WORK="${2:-/tmp/nativeseg-gapfill-bench}"
NS="$BUILD/native/nativeseg"
HERE="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$WORK"; mkdir -p "$WORK"
printf "%-6s %-10s %8s %8s %8s %8s %8s\n" seed mode SEG DET TRA FN gap_links
for seed in 1 2 3 4 5; do
  "$NS" simulate --out "$WORK/s$seed" --frames 80 --width 384 --height 384 --cells 18 --seed "$seed" \
        --blink-rate 0.04 >/dev/null 2>&1
  "$NS" convert --input "$WORK/s$seed/01_GT/SEG" --output "$WORK/s$seed/gt.tif" --compression none >/dev/null 2>&1
  /usr/bin/python3 "$HERE/make_blink_masks.py" "$WORK/s$seed" "$WORK/s$seed/gt.tif" "$WORK/s$seed/masks.tif" "$seed"
  for mode in off reference temporal; do
    out="$WORK/s$seed/$mode"
    "$NS" track --masks "$WORK/s$seed/masks.tif" --out "$out" --gap-fill "$mode" --exports ctc >/dev/null 2>&1
    "$NS" evaluate --gt "$WORK/s$seed/01_GT" --res "$out/ctc" --json > "$out/eval.json" 2>/dev/null
    /usr/bin/python3 - "$out/eval.json" "$out/report.json" "$seed" "$mode" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
m = e.get("measures", e)
def find(d, k):
    if isinstance(d, dict):
        if k in d: return d[k]
        for v in d.values():
            x = find(v, k)
            if x is not None: return x
    return None
print(f"{sys.argv[3]:6s} {sys.argv[4]:10s} {find(e,'SEG'):8.4f} {find(e,'DET'):8.4f} {find(e,'TRA'):8.4f} "
      f"{find(e,'FN'):8d} {r['counts']['gap_closing_links']:8d}")
PY
  done
done
