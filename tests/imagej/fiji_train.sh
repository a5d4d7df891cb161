#!/usr/bin/env bash
# Train Model in ImageJ 1.x (xvfb-run, -batch): a tiny network on an open simulated video and its
# ground-truth labels; the package is written, the curve plot is the current image, and the
# trained model segments the video.
set -euo pipefail
NS="$1"; JAR="$2"; IJ_JAR="$3"; HERE="$4"; DIR="$5"
rm -rf "$DIR"; mkdir -p "$DIR/ij/plugins"
cp "$JAR" "$DIR/ij/plugins/"
die() { echo "FAILED: $*"; exit 1; }
"$NS" simulate --out "$DIR/sim" --frames 6 --width 64 --height 64 --cells 4 --seed 2 >/dev/null
timeout 400 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch \
  "$HERE/fiji_train.ijm" "$DIR/sim|$DIR/model" 2>&1 | tee "$DIR/log.txt"
log="$DIR/log.txt"
grep -q "^OK fiji-train" "$log" || die "macro did not finish"
grep -q "^TRAIN error=\[\] title=fiji-test training curve" "$log" || die "training failed or no curve"
grep -q "^Train Model: epoch 2/2: train loss" "$log" || die "no per-epoch log line"
for f in rdf.yaml history.csv training-pairs/x/frame_0005.tif training-pairs/y/frame_0005.tif; do
  [ -e "$DIR/model/$f" ] || die "missing $f"
done
grep -q "fiji-test" "$DIR/model/rdf.yaml" || die "the package does not describe itself"
grep -q "^USE error=\[\] title=video-mask bits=8" "$log" || die "the trained model did not segment"
grep -q "^BAD train: give both image and labels" "$log" || die "no message for a missing label image"
echo "FIJI TRAIN OK"
