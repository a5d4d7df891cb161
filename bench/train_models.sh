#!/bin/bash
# Trains a shipped model with its recipe (models/recipes/<id>.yaml) and copies the package
# into models/<id>. Long runs stop and resume: run the same command again to continue from
# the checkpoint (training stops by itself after max_minutes when given as an extra flag).
#
# Usage (from the repository root):
#   bench/train_models.sh nuclei-fluo|em-membrane|cells-phase [extra nativeseg train flags]
# Environment: NATIVESEG (the binary, default build/native/nativeseg), TRAIN_DATA (synthetic
# videos, default build/train-data), TRAIN_RUNS (checkpoints, default build/train-runs).
set -euo pipefail
id=$1; shift
bin=${NATIVESEG:-build/native/nativeseg}
data=${TRAIN_DATA:-build/train-data}
runs=${TRAIN_RUNS:-build/train-runs}
mkdir -p "$data" "$runs"
if [ "$id" = nuclei-fluo ]; then
  # Synthetic videos without blinking (a blinking cell stays in the ground truth while it is invisible).
  [ -d "$data/sim-a" ] || "$bin" simulate --out "$data/sim-a" --frames 40 --seed 101 --blink-rate 0
  [ -d "$data/sim-b" ] || "$bin" simulate --out "$data/sim-b" --frames 20 --seed 102 --blink-rate 0 \
      --cell-radius 30 --width 768 --height 768 --cells 14
  [ -d "$data/sim-val" ] || "$bin" simulate --out "$data/sim-val" --frames 4 --seed 103
fi
config="$runs/$id.yaml"
sed "s#TRAIN_DATA#$data#g" "models/recipes/$id.yaml" > "$config"
"$bin" train --config "$config" --out "$runs/$id" "$@"
mkdir -p "models/$id"
for f in rdf.yaml weights.pt test_input.npy test_output.npy cover.png training_curve.png history.csv train.yaml; do
  cp "$runs/$id/$f" "models/$id/$f"
done
[ -f "models/$id/README.md" ] || cp "$runs/$id/README.md" "models/$id/README.md"
echo "copied the package to models/$id (the model card models/$id/README.md is kept when it exists)"
