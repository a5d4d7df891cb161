#!/bin/bash
# The model cards' evaluation of em-membrane and cells-phase on their held-out images:
#   em-membrane: ISBI-2012 slices 20-24 → predict (probabilities) → evaluate --kind semantic
#                (pixel accuracy, IoU, foreground-restricted V_rand / V_info at cutoff 0.5)
#   cells-phase: Usiigaci sets 12-14 → predict --output-type labels → evaluate --kind instance
#                (F1 at IoU 0.5, AP over IoU 0.5:0.95)
# Usage (repository root): bench/train_eval_em_cells.sh em|cells [MODEL] [OUT]
set -euo pipefail
which=$1
bin=${NATIVESEG:-build/native/nativeseg}
data=${DATA:-../shared/data}
if [ "$which" = em ]; then
  model=${2:-em-membrane}; out=${3:-build/train-eval/em-membrane}
  rm -rf "$out"; mkdir -p "$out/img" "$out/gt"
  for i in 20 21 22 23 24; do
    cp "$data/isbi2012-em/train/image/$i.png" "$out/img/$((i - 20)).png"
    cp "$data/isbi2012-em/train/label/$i.png" "$out/gt/$((i - 20)).png"
  done
  "$bin" predict --model "$model" --input "$out/img" --output "$out/prob.tif" --device cpu
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/prob.tif" --json > "$out/scores.json"
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/prob.tif"
else
  model=${2:-cells-phase}; out=${3:-build/train-eval/cells-phase}
  rm -rf "$out"; mkdir -p "$out/img" "$out/gt"
  for i in 12 13 14; do
    cp "$data/phase-contrast-usiigaci/set$i/phase.png" "$out/img/$((i - 12)).png"
    cp "$data/phase-contrast-usiigaci/set$i/instances_ids.png" "$out/gt/$((i - 12)).png"
  done
  "$bin" predict --model "$model" --input "$out/img" --output "$out/labels.tif" --output-type labels --device cpu
  "$bin" evaluate --kind instance --gt "$out/gt" --res "$out/labels.tif" --json > "$out/scores.json"
  "$bin" evaluate --kind instance --gt "$out/gt" --res "$out/labels.tif"
fi
