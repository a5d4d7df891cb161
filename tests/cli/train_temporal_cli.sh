#!/usr/bin/env bash
# `nativeseg train` with architecture temporal_unet on a simulated video (CTC layout): the
# package passes validate-model, segment-video runs it over every frame (its windows come
# from config.nativeseg.temporal_*), data without frame order fails before training, and
# Debian's python3-torch loads the weights and reproduces the test output.
set -euo pipefail
NS="$1"; DIR="$2"
rm -rf "$DIR"; mkdir -p "$DIR"
"$NS" simulate --out "$DIR/sim" --frames 8 --width 64 --height 64 --cells 5 --seed 9 >/dev/null
cat > "$DIR/train.yaml" <<YAML
training_data: [$DIR/sim/01]
out: $DIR/model
model_name: tiny-temporal
architecture: temporal_unet
temporal_window: 3
temporal_mode: causal
depth: 2
base_filters: 4
epochs: 2
steps_per_epoch: 2
batch_size: 2
patch_size: 32
validation_split: time
threads: 1
YAML
"$NS" train --config "$DIR/train.yaml" --device cpu 2> "$DIR/train.log" | tee "$DIR/train.txt"
grep -q "trained 2 epochs" "$DIR/train.txt"
grep -q "each with its causal window of 3 frames" "$DIR/train.log"
grep -q "temporal_window: 3" "$DIR/model/rdf.yaml"
"$NS" validate-model "$DIR/model" | head -1 | grep -q '^PASS'
"$NS" segment-video --model "$DIR/model" --input "$DIR/sim/video.tif" --out "$DIR/video" --device cpu > "$DIR/video.txt" 2>&1
grep -q "segmented and tracked 8 frames" "$DIR/video.txt"
test "$(ls "$DIR/video/ctc" | grep -c '^mask')" -eq 8

# A 'sets' folder has no frame order: refused before training.
mkdir -p "$DIR/sets/set1"
cp "$DIR/sim/01/t000.tif" "$DIR/sets/set1/raw.tif"
: > "$DIR/sets/set1/instances_ids.png"  # never read: the layout alone is refused
if "$NS" train --training-data "$DIR/sets" --out "$DIR/never" --architecture temporal_unet 2> "$DIR/bad.txt"; then
  echo "sets accepted for temporal_unet"; exit 1
fi
grep -q "temporal_unet needs sequences" "$DIR/bad.txt"
test ! -e "$DIR/never/weights.pt"

# Debian's PyTorch: the frames of the window are the input's channels, each normalised on its own.
if /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  /usr/bin/python3 - "$DIR/model" <<'PY'
import os, sys
import numpy as np, torch
d = sys.argv[1]
m = torch.jit.load(os.path.join(d, "weights.pt")).eval()
x = np.load(os.path.join(d, "test_input.npy")).astype(np.float64)
ref = np.load(os.path.join(d, "test_output.npy"))
assert x.shape[1] == 3, x.shape
lo = np.percentile(x, 0.1, axis=(2, 3), keepdims=True)
hi = np.percentile(x, 99.1, axis=(2, 3), keepdims=True)
x = np.clip((x - lo) / (hi - lo + 1e-6), 0, 1)
with torch.no_grad():
    out = m(torch.from_numpy(x.astype(np.float32))).numpy()
diff = np.abs(out - ref)
bad = (diff > 1e-3 + 1e-3 * np.abs(ref)).sum()
print(f"python torch {torch.__version__}: {d}: max difference {diff.max():.3g}, {bad} values outside the tolerance")
assert out.shape == ref.shape and bad <= max(1, ref.size * 100 // 1000000), d
PY
fi
echo "EXPECT OK"
