#!/usr/bin/env bash
# The demo: installs dependencies, builds, simulates a 60-frame 512x512 fluorescence video
# with blinking, dividing, entering and leaving cells (fixed seed), and shows what NativeSeg
# sees. Once the shipped nuclei-fluo model and segment-video land, the demo segments and
# tracks that video and prints the evaluation against the simulator's ground truth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
OUT="${1:-demo-output}"
NS=build/native/nativeseg
"$NS" info
"$NS" simulate --out "$OUT" --frames 60 --width 512 --height 512 --cells 25 --seed 42
"$NS" info --input "$OUT/video.tif"
echo "demo: open $OUT/video.tif in Fiji; ground truth is in $OUT/01_GT (Cell Tracking Challenge layout)"
