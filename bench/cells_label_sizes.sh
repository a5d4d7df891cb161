#!/bin/bash
# Chooses the labels sizes a three-class cells model suggests (config.nativeseg.object_min_size /
# seed_min_size) on TRAINING images, so that the held-out sets stay unseen: predict labels on
# Usiigaci sets 10-11 for each pair of sizes and print F1 at IoU 0.5 and AP.
# Usage (repository root): bench/cells_label_sizes.sh [MODEL] [OUT]
set -euo pipefail
model=${1:-cells-phase}
out=${2:-build/train-eval/cells-label-sizes}
bin=${NATIVESEG:-build/native/nativeseg}
data=${DATA:-../shared/data}
rm -rf "$out"; mkdir -p "$out/img" "$out/gt"
for i in 10 11; do
  cp "$data/phase-contrast-usiigaci/set$i/phase.png" "$out/img/$i.png"
  cp "$data/phase-contrast-usiigaci/set$i/instances_ids.png" "$out/gt/$i.png"
done
echo "seed_min_size object_min_size F1@0.5 AP@0.5"
for seed in 10 50 150; do
  for size in 100 300 600; do
    "$bin" predict --model "$model" --input "$out/img" --output "$out/labels.tif" --output-type labels --device cpu \
        --seed-min-size "$seed" --object-min-size "$size" > /dev/null 2>&1
    "$bin" evaluate --kind instance --gt "$out/gt" --res "$out/labels.tif" --iou-thresholds 0.5 --json > "$out/scores.json" 2> /dev/null
    /usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['measures']; print(sys.argv[2], sys.argv[3], round(m['f1_50'],4), round(m['ap50'],4))" \
        "$out/scores.json" "$seed" "$size"
  done
done
