#!/usr/bin/env bash
# The ready-made macros in macros/ under ImageJ 1.x (xvfb-run, -batch): a folder of videos
# (a TIFF, a CTC folder of frames and a broken file) is segmented and tracked with a summary
# table that reports the broken file and goes on; the results are evaluated against ground
# truth; a folder of images is segmented; a model is trained from a folder.
set -euo pipefail
NS="$1"; MAKE="$2"; JAR="$3"; IJ_JAR="$4"; MACROS="$5"; DIR="$6"
rm -rf "$DIR"; mkdir -p "$DIR/ij/plugins" "$DIR/videos" "$DIR/gt" "$DIR/images"
cp "$JAR" "$DIR/ij/plugins/"
die() { echo "FAILED: $*"; exit 1; }
ij() { timeout 400 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch "$@" 2>&1; }
"$MAKE" "$DIR/model" >/dev/null
"$NS" simulate --out "$DIR/sim1" --frames 8 --width 96 --height 96 --cells 4 --seed 11 >/dev/null
"$NS" simulate --out "$DIR/sim2" --frames 8 --width 96 --height 96 --cells 4 --seed 12 >/dev/null
cp "$DIR/sim1/video.tif" "$DIR/videos/a.tif"
cp -r "$DIR/sim2/01" "$DIR/videos/b"
echo "not a TIFF" > "$DIR/videos/c_broken.tif"
cp -r "$DIR/sim1/01_GT" "$DIR/gt/a_GT"; cp -r "$DIR/sim2/01_GT" "$DIR/gt/b_GT"
cp "$DIR/sim1/01/t000.tif" "$DIR/sim1/01/t001.tif" "$DIR/images/"

ij "$MACROS/segment_and_track_folder.ijm" \
  "input=[$DIR/videos] output=[$DIR/results] model=[$DIR/model] options=[fill_holes divisions gap_fill=temporal]" |
  tee "$DIR/batch.log"
grep -q "NativeSeg batch: 2 video(s) done, 1 failed" "$DIR/batch.log" || die "batch summary line missing"
csv="$DIR/results/summary.csv"; [ -s "$csv" ] || die "no summary.csv"
cat "$csv"
grep -qE "^(1,)?a\.tif,ok,8,[1-9][0-9]*,[1-9]" "$csv" || die "a.tif not ok in the summary"
grep -qE "^(2,)?b/,ok,8," "$csv" || die "the folder of frames not ok in the summary"
grep -qE "^(3,)?c_broken\.tif,failed,.*c_broken\.tif" "$csv" || die "the broken file is not reported"
for f in a/tracks.tif a/a.xml a/ctc/res_track.txt b/tracks.tif b/b.xml; do [ -e "$DIR/results/$f" ] || die "missing $f"; done
[ ! -e "$DIR/results/c_broken/tracks.tif" ] || die "outputs for the broken file"

ij "$MACROS/evaluate_results_folder.ijm" "results=[$DIR/results] gt=[$DIR/gt]" | tee "$DIR/eval.log"
ecsv="$DIR/results/evaluation.csv"; [ -s "$ecsv" ] || die "no evaluation.csv"
cat "$ecsv"
[ "$(grep -cE "^([0-9]+,)?[ab],ok," "$ecsv")" = 2 ] || die "expected two evaluated videos"

ij "$MACROS/segment_images_folder.ijm" \
  "input=[$DIR/images] output=[$DIR/masks] model=[$DIR/model] options=[output_type=mask]" | tee "$DIR/images.log"
for f in t000.tif t001.tif summary.csv; do [ -s "$DIR/masks/$f" ] || die "segment_images_folder: missing $f"; done

ij "$MACROS/train_from_folder.ijm" \
  "data=[$DIR/sim1/01] out=[$DIR/trained] options=[epochs=1 steps_per_epoch=2 batch_size=2 patch_size=32 depth=2 base_filters=4]" |
  tee "$DIR/train.log"
grep -q "NativeSeg training: best epoch 1" "$DIR/train.log" || die "train_from_folder did not finish"
[ -s "$DIR/trained/rdf.yaml" ] || die "no model package"
echo "FIJI MACROS OK"
