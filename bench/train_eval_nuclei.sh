#!/bin/bash
# The model card's evaluation of nuclei-fluo through segment-video (default settings):
#   GOWT1/01 frames t034-t091 (unseen in training): SEG on the SEG frames t037-t047, DET/TRA on
#   all 58 frames (ground truth clipped and re-indexed by bench/train_eval_ctc.py);
#   Fluo-N2DH-SIM+/01 (unseen): SEG/DET/TRA on the whole sequence.
# Usage (repository root): bench/train_eval_nuclei.sh [MODEL] [OUT]
set -euo pipefail
model=${1:-nuclei-fluo}
out=${2:-build/train-eval/nuclei-fluo}
bin=${NATIVESEG:-build/native/nativeseg}
data=${DATA:-../shared/data/ctc}
mkdir -p "$out"
/usr/bin/python3 bench/train_eval_ctc.py "$data/Fluo-N2DH-GOWT1/01" "$out/gowt1" 34 91 37 47
"$bin" segment-video --model "$model" --input "$out/gowt1/frames" --out "$out/gowt1/res" --device cpu > "$out/gowt1.log" 2>&1
"$bin" evaluate --gt "$out/gowt1/GT" --res "$out/gowt1/res/ctc" --json > "$out/gowt1.json"
"$bin" segment-video --model "$model" --input "$data/Fluo-N2DH-SIM+/01" --out "$out/simplus/res" --device cpu > "$out/simplus.log" 2>&1
"$bin" evaluate --gt "$data/Fluo-N2DH-SIM+/01_GT" --res "$out/simplus/res/ctc" --json > "$out/simplus.json"
for f in gowt1 simplus; do
  /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(sys.argv[2], {k: round(j['measures'][k], 4) for k in ('SEG','DET','TRA','LNK')})" \
    "$out/$f.json" "$f" 2>/dev/null || cat "$out/$f.json"
done
