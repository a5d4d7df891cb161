#!/usr/bin/env bash
# simulate → a tiny model package (make_test_model) → validate-model and model-info →
# predict labels, masks and probabilities; tiled = untiled when the halo covers the model's
# receptive field; the calibration and frame count of the input survive.
set -euo pipefail
NS="$1"; PROBE="$2"; MAKE="$3"; DIR="$4"
rm -rf "$DIR"; mkdir -p "$DIR"
"$NS" simulate --out "$DIR/sim" --frames 6 --width 96 --height 72 --cells 5 --seed 4 >/dev/null
"$MAKE" "$DIR/models/fg" >/dev/null
"$MAKE" "$DIR/models/fg04" --version 0.4 >/dev/null

"$NS" validate-model "$DIR/models/fg" | tee "$DIR/validate.txt"
head -1 "$DIR/validate.txt" | grep -q '^PASS'
"$NS" validate-model "$DIR/models/fg04" | head -1 | grep -q '^PASS'
"$NS" model-info "$DIR/models/fg" | tee "$DIR/info.txt"
grep -q "NativeSeg test foreground" "$DIR/info.txt"
grep -q "min 16, step 8" "$DIR/info.txt"
grep -q "foreground: channel 1" "$DIR/info.txt"

# A model id is found through $NATIVESEG_MODELS.
NATIVESEG_MODELS="$DIR/models" "$NS" predict --model fg --input "$DIR/sim/video.tif" --output "$DIR/labels.tif" \
  --output-type labels --device cpu | tee "$DIR/predict.txt"
grep -q "note: model 'NativeSeg test foreground' on cpu" "$DIR/predict.txt"
"$PROBE" describe "$DIR/labels.tif" | tee "$DIR/labels.txt"
grep -q "shape T=6 Z=1 C=1 Y=72 X=96 dtype uint16 pixel 0.25 0.25 micron depth 1 interval 5 min" "$DIR/labels.txt"
# Cells are found: some label > 0 where the ground truth has a cell in frame 0.
"$NS" predict --model "$DIR/models/fg" --input "$DIR/sim/01" --output "$DIR/mask.tif" --output-type mask >/dev/null
"$PROBE" describe "$DIR/mask.tif" | grep -q "shape T=6 Z=1 C=1 Y=72 X=96 dtype uint8"

# Probabilities, whole frames vs small tiles with a halo that covers the 3x3 filter.
"$NS" predict --model "$DIR/models/fg" --input "$DIR/sim/video.tif" --output "$DIR/prob_whole.tif" >/dev/null
"$NS" predict --model "$DIR/models/fg" --input "$DIR/sim/video.tif" --output "$DIR/prob_tiles.tif" \
  --tile 32 --halo 4 --batch 3 --json > "$DIR/report.json"
grep -q '"tiles": 72' "$DIR/report.json"   # 6 frames x (3 x 4) tiles
"$PROBE" describe "$DIR/prob_whole.tif" | grep -q "shape T=6 Z=1 C=2 Y=72 X=96 dtype float32"
"$PROBE" equal "$DIR/prob_whole.tif" "$DIR/prob_tiles.tif"
# Nothing may be left under a temporary name.
if ls -a "$DIR" | grep -q '\.tmp'; then echo "temporary files left"; exit 1; fi
echo "EXPECT OK"
