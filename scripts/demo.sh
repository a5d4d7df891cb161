#!/usr/bin/env bash
# The demo: installs dependencies, builds, simulates a 60-frame 512x512 fluorescence video
# with blinking, dividing, entering and leaving cells (fixed seed), tracks its ground-truth masks as if they were a segmentation and prints the
# evaluation against the simulator's ground truth. Once the shipped nuclei-fluo model and
# segment-video land, the demo segments and tracks the raw video instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
OUT="${1:-demo-output}"
NS=build/native/nativeseg
"$NS" info
"$NS" simulate --out "$OUT" --frames 60 --width 512 --height 512 --cells 25 --seed 42
"$NS" info --input "$OUT/video.tif"
# Until segment-video and the nuclei-fluo model land: track the ground-truth masks as a
# binary segmentation (touching cells fuse, as in a real one), then
# score the tracks against the ground truth (CTC measures).
"$NS" track --masks "$OUT/01_GT/SEG" --image "$OUT/video.tif" --out "$OUT/tracked" --name demo
"$NS" evaluate --gt "$OUT/01_GT" --res "$OUT/tracked/ctc"
echo "demo: open $OUT/video.tif and $OUT/tracked/tracks.tif in Fiji, or $OUT/tracked/demo.xml in TrackMate"
