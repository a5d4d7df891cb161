#!/usr/bin/env bash
# Every Fiji command from one batch macro in ImageJ 1.x (xvfb-run): outputs, titles, files,
# and the messages for bad input (no image, RGB, a single frame, a missing model, a video
# saved with time as Z). ImageJ keeps running after each error: the macro goes on.
set -euo pipefail
NS="$1"; MAKE="$2"; JAR="$3"; IJ_JAR="$4"; HERE="$5"; DIR="$6"
rm -rf "$DIR"; mkdir -p "$DIR/ij/plugins" "$DIR/out"
cp "$JAR" "$DIR/ij/plugins/"
die() { echo "FAILED: $*"; exit 1; }
"$MAKE" "$DIR/model" >/dev/null
"$NS" simulate --out "$DIR/sim" --frames 12 --width 128 --height 128 --cells 6 --seed 3 >/dev/null
timeout 300 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch \
  "$HERE/fiji_commands.ijm" "$DIR/sim|$DIR/model|$DIR/out" 2>&1 | tee "$DIR/log.txt"
log="$DIR/log.txt"
grep -q "^OK fiji-commands" "$log" || die "macro did not finish"
! grep -q "Exception\|at org\.nativeseg" "$log" || die "a stack trace reached the user"
expect() { grep -qE "$1" "$log" || die "no line matching: $1"; echo "ok: $1"; }
expect "^BAD no_image: no image is open"
expect "^BAD rgb: 'rgb' is an RGB/colour image.*8-bit"
expect "^BAD single_frame: 'single' has a single frame; Segment and Track Video needs a video"
expect "^BAD missing_model: .*/no/such/model"
expect "^BAD z_for_t: 'video.tif' has 12 slices and 1 frame.*treat_z_as_t"
[ ! -e "$DIR/out/never" ] || [ -z "$(ls -A "$DIR/out/never")" ] || die "a failed job left outputs"
expect "^ZT error=\[\]"
expect "^ZT title=video-tracks frames=12 slices=1 bits=16 max=[1-9]"
expect "^SEGMENT error=\[\]"
expect "^SEGMENT title=video-labels frames=12 slices=1 bits=16 max=[1-9]"
expect "^PROBABILITY title=video-probability frames=12 slices=1 bits=32 "
[ -s "$DIR/out/probability.tif" ] || die "save= did not write the file"
expect "^VIDEO title=video-tracks frames=12 slices=1 bits=16 max=[1-9]"
expect "^TRACK error=\[\]"
expect "^TRACK title=labels-tracks frames=12 slices=1 bits=16 max=[1-9]"
for f in relabelled.xml tracks.tif labels.tif ctc/res_track.txt; do [ -e "$DIR/out/track/$f" ] || die "track: missing $f"; done
expect "^MERGE error=\[\]"
expect "^MERGE title=labels-tracks-merged frames=12 slices=1 bits=16 max=[1-9]"
expect "^EVALUATE error=\[\]"
det=$(sed -n 's/^MEASURE DET=//p' "$log"); tra=$(sed -n 's/^MEASURE TRA=//p' "$log")
awk -v d="$det" -v t="$tra" 'BEGIN { exit !(d > 0.5 && t > 0.5) }' || die "DET=$det TRA=$tra too low"
expect "^NativeSeg device: cpu \("
expect "^MODELS error=\[\] rows=[1-9][0-9]* status=valid"
echo "FIJI COMMANDS OK"
