#!/usr/bin/env bash
# segment-video end to end with a tiny model package (a 3x3 maximum filter and a threshold,
# written by make_test_model) on a simulated blinking video: every output is written, the
# TrackMate file points at the input video, the tracks score well against the simulator's
# ground truth, and bad input fails with a one-line error.
set -euo pipefail
NS="$1"; MAKE="$2"; DIR="$3"; EXPECT="$4"
rm -rf "$DIR"; mkdir -p "$DIR"
"$MAKE" "$DIR/model" >/dev/null
"$NS" simulate --out "$DIR/sim" --frames 30 --width 256 --height 256 --cells 10 --seed 8 --blink-rate 0.03 >/dev/null
"$NS" segment-video --model "$DIR/model" --input "$DIR/sim/video.tif" --out "$DIR/out" --gap-fill temporal
for f in labels.tif tracks.tif video.xml report.json ctc/res_track.txt ctc/mask029.tif; do
  [ -e "$DIR/out/$f" ] || { echo "missing $f"; exit 1; }
done
grep -q 'filename="video.tif"' "$DIR/out/video.xml"
grep -q '"gap_fill": "temporal"' "$DIR/out/report.json"
grep -q '"segmentation"' "$DIR/out/report.json"
[ ! -e "$DIR/out/.segment-video-masks.tif" ] || { echo "temporary masks left"; exit 1; }
"$NS" evaluate --gt "$DIR/sim/01_GT" --res "$DIR/out/ctc" --json > "$DIR/eval.json"
/usr/bin/env awk '/"DET":/ { gsub(/[",]/, ""); det = $2 } /"TRA":/ { gsub(/[",]/, ""); tra = $2 }
  END { print "DET " det " TRA " tra; exit !(det > 0.8 && tra > 0.75) }' "$DIR/eval.json"
# The same job on the frames folder gives the same labels.
"$NS" segment-video --model "$DIR/model" --input "$DIR/sim/01" --out "$DIR/out_folder" --gap-fill temporal >/dev/null
cmp <("$NS" info --input "$DIR/out/labels.tif" | tail -n +2) <("$NS" info --input "$DIR/out_folder/labels.tif" | tail -n +2)
bash "$EXPECT" nonzero "neither a folder nor a known model id" -- "$NS" segment-video --model no-such-model \
  --input "$DIR/sim/video.tif" --out "$DIR/never"
bash "$EXPECT" nonzero "/no/such/video.tif" -- "$NS" segment-video --model "$DIR/model" --input /no/such/video.tif \
  --out "$DIR/never"
echo "SEGMENT VIDEO OK"
