#!/bin/bash
# The model cards' evaluation of em-membrane and cells-phase on their held-out images:
#   em-membrane: ISBI-2012 slices 20-24 → predict (mask at the model's threshold; probabilities) →
#                evaluate --kind semantic (pixel accuracy, IoU, foreground-restricted V_rand / V_info;
#                for the probabilities also a sweep of cutoffs 0.5-0.95)
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
  # What a user gets: the mask at the model's suggested threshold (chosen on the training slices).
  "$bin" predict --model "$model" --input "$out/img" --output "$out/mask.tif" --output-type mask --device cpu
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/mask.tif" --json > "$out/scores.json"
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/mask.tif"
  # The probabilities at cutoffs 0.5 … 0.95 (the ISBI 2012 challenge reported the best over thresholds).
  "$bin" predict --model "$model" --input "$out/img" --output "$out/prob.tif" --device cpu
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/prob.tif" --cutoff-sweep 0.5:0.95:0.05 --json > "$out/sweep.json"
  "$bin" evaluate --kind semantic --gt "$out/gt" --res "$out/prob.tif" --cutoff-sweep 0.5:0.95:0.05
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
