#!/usr/bin/env bash
# simulate → convert to a folder of frames → convert back with another compression and byte
# order → the pixels of every plane equal the simulator's hyperstack (checked by tiff_probe).
set -euo pipefail
NS="$1"; PROBE="$2"; DIR="$3"
rm -rf "$DIR"; mkdir -p "$DIR"
"$NS" simulate --out "$DIR/sim" --frames 12 --width 96 --height 80 --cells 6 --seed 3
"$NS" convert --input "$DIR/sim/video.tif" --out "$DIR/frames" --compression packbits
[ -f "$DIR/frames/t000.tif" ] && [ -f "$DIR/frames/t011.tif" ] && [ ! -f "$DIR/frames/t012.tif" ]
"$NS" convert --input "$DIR/frames" --output "$DIR/back.tif" --compression deflate --byte-order big
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/float.tif" --pixel-type float32 --tile-size 32
"$NS" info --input "$DIR/back.tif" | tee "$DIR/info.txt"
grep -q "T=12 Z=1 C=1 Y=80 X=96" "$DIR/info.txt"
grep -q "big-endian" "$DIR/info.txt"
grep -q "deflate" "$DIR/info.txt"
"$PROBE" equal "$DIR/sim/video.tif" "$DIR/back.tif"
"$PROBE" equal "$DIR/sim/video.tif" "$DIR/float.tif"
"$PROBE" equal "$DIR/sim/video.tif" "$DIR/sim/01"
# Nothing may be left under a temporary name.
if ls -a "$DIR" "$DIR/frames" | grep -q '\.tmp'; then echo "temporary files left"; exit 1; fi
echo "EXPECT OK"
