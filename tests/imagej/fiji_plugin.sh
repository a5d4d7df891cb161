#!/usr/bin/env bash
# The Fiji plugin in ImageJ 1.x (Debian's ij.jar, under xvfb-run, -batch): Segment and Track
# Video on a simulated video with a tiny model; outputs, titles and calibration are checked.
# The plugin jar sits in an ImageJ folder's plugins/ and loads its JNI library from the jar.
set -euo pipefail
NS="$1"; MAKE="$2"; JAR="$3"; IJ_JAR="$4"; HERE="$5"; DIR="$6"
rm -rf "$DIR"; mkdir -p "$DIR/ij/plugins"
cp "$JAR" "$DIR/ij/plugins/"
ij() { timeout 240 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch "$@" 2>&1; }
die() { echo "FAILED: $*"; exit 1; }
"$MAKE" "$DIR/model" >/dev/null
"$NS" simulate --out "$DIR/sim" --frames 12 --width 128 --height 128 --cells 6 --seed 3 --pixel-size 0.5 >/dev/null

ij "$HERE/segment_and_track.ijm" "$DIR/sim/video.tif|$DIR/model|$DIR/out" | tee "$DIR/log.txt"
grep -q "^OK segment-and-track" "$DIR/log.txt" || die "macro did not finish"
line=$(grep "^RESULT " "$DIR/log.txt")
[[ "$line" == "RESULT title=video-tracks frames=12 slices=1 bits=16 "* ]] || die "unexpected result image: $line"
[[ "$line" == *" unit=micron"* && "$line" == *" pw=0.5" ]] || die "calibration lost: $line"
max=$(sed 's/.* max=\([0-9]*\).*/\1/' <<<"$line")
[ "$max" -ge 3 ] || die "expected several tracks, max label $max"
grep -q "^INPUT title=video.tif unchanged=1" "$DIR/log.txt" || die "input image changed or not current"
for f in labels.tif tracks.tif video.xml report.json ctc/res_track.txt ctc/mask011.tif; do
  [ -e "$DIR/out/$f" ] || die "missing output $f"
done
[ ! -e "$DIR/out/.segment-video-masks.tif" ] || die "temporary masks left"
/usr/bin/python3 -c "import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); \
  assert d.getElementsByTagName('Spot'), 'no spots'" "$DIR/out/video.xml" || die "TrackMate XML not valid"
# The same job from the command line gives the same tracks.
"$NS" segment-video --model "$DIR/model" --input "$DIR/sim/video.tif" --out "$DIR/cli" --gap-fill temporal >/dev/null
cmp <("$NS" info --input "$DIR/out/tracks.tif" | tail -n +2) <("$NS" info --input "$DIR/cli/tracks.tif" | tail -n +2) ||
  die "Fiji and CLI tracks differ"
echo "FIJI SEGMENT AND TRACK OK"
