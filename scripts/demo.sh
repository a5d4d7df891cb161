#!/usr/bin/env bash
# The demo: installs dependencies, builds, simulates a 60-frame 512x512 fluorescence video
# with blinking, dividing, entering and leaving cells (fixed seed), segments and tracks it with
# the shipped nuclei-fluo model (network masks → clean-up → temporal gap filling → instances →
# tracks → TrackMate XML, CTC result, label videos) and scores the result against the
# simulator's exact ground truth with the Cell Tracking Challenge measures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
OUT="${1:-demo-output}"
NS=build/native/nativeseg
"$NS" info
"$NS" simulate --out "$OUT" --frames 60 --width 512 --height 512 --cells 25 --seed 42
"$NS" info --input "$OUT/video.tif"
"$NS" segment-video --model nuclei-fluo --input "$OUT/video.tif" --out "$OUT/tracked" --name demo
"$NS" evaluate --gt "$OUT/01_GT" --res "$OUT/tracked/ctc"
echo "demo: open $OUT/video.tif and $OUT/tracked/tracks.tif in Fiji, or $OUT/tracked/demo.xml in TrackMate"
