#!/usr/bin/env bash
# Tracking the simulator's ground-truth labels must give back its lineage exactly: the CTC
# export evaluated against the ground truth scores TRA = DET = SEG = 1, the TrackMate file
# and report exist, and nothing is left under a temporary name.
set -euo pipefail
NS="$1"; DIR="$2"
rm -rf "$DIR"; mkdir -p "$DIR"
"$NS" simulate --out "$DIR/sim" --frames 40 --width 200 --height 160 --cells 10 --seed 11 --division-rate 0.03
"$NS" track --labels "$DIR/sim/01_GT/TRA" --image "$DIR/sim/video.tif" --out "$DIR/out" --name sim
for f in labels.tif tracks.tif sim.xml report.json ctc/res_track.txt ctc/mask039.tif; do
  [ -e "$DIR/out/$f" ] || { echo "missing $f"; exit 1; }
done
"$NS" evaluate --gt "$DIR/sim/01_GT" --res "$DIR/out/ctc" --json > "$DIR/eval.json"
grep -Eq '"TRA": 1(\.0+)?(,|$)' "$DIR/eval.json" || { cat "$DIR/eval.json"; exit 1; }
grep -Eq '"DET": 1(\.0+)?(,|$)' "$DIR/eval.json" || { cat "$DIR/eval.json"; exit 1; }
# The divisions of the simulation come back as divisions.
want=$(awk '$4 != 0' "$DIR/sim/01_GT/TRA/man_track.txt" | wc -l)
got=$(grep -o '"divisions": [0-9]*' "$DIR/out/report.json" | grep -o '[0-9]*$')
[ "$got" -eq $((want / 2)) ] || { echo "divisions: got $got, expected $((want / 2))"; exit 1; }
# merge-tracks: the track video merged back with the ground-truth masks is the track video.
"$NS" merge-tracks --tracks "$DIR/out/tracks.tif" --segmentation "$DIR/sim/01_GT/SEG" --output "$DIR/merged.tif"
[ -f "$DIR/merged.tif" ]
if find "$DIR" -name '.*tmp*' -o -name '.ctc.partial' | grep -q .; then echo "temporary files left"; exit 1; fi
echo "EXPECT OK"
