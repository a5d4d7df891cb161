#!/usr/bin/env bash
# 1. ImageJ writes a hyperstack; we read its axes, calibration and marked pixel.
# 2. We write hyperstacks in several pixel types, compressions and byte orders (and
#    re-write ImageJ's); ImageJ opens each with frames as T, the calibration, and the
#    same pixel values as we read.
set -euo pipefail
NS="$1"; PROBE="$2"; IJ_JAR="$3"; HERE="$4"; DIR="$5"
rm -rf "$DIR"; mkdir -p "$DIR/ours" "$DIR/ij"
ij() { timeout 120 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch "$@" 2>&1; }
die() { echo "FAILED: $*"; exit 1; }

# --- ImageJ writes, we read ---
ij "$HERE/write_hyperstack.ijm" "$DIR/ij_hyperstack.tif" | tee "$DIR/ij_write.log"
grep -q "SAVED" "$DIR/ij_write.log" || die "ImageJ did not save the hyperstack"
desc=$("$PROBE" describe "$DIR/ij_hyperstack.tif")
echo "we read: $desc"
[[ "$desc" == "shape T=5 Z=3 C=2 Y=30 X=40 dtype uint16 pixel 0.5 0.5 micron depth 2 interval 3 sec" ]] ||
  die "ImageJ hyperstack read wrongly: $desc"
[ "$("$PROBE" pixel "$DIR/ij_hyperstack.tif" 3 2 1 6 5)" = "1234" ] || die "marked pixel not at (t3 z2 c1 y6 x5)"

# --- we write, ImageJ reads ---
"$NS" simulate --out "$DIR/sim" --frames 7 --width 64 --height 48 --cells 4 --seed 5 --pixel-size 0.4 \
      --frame-interval 2 >/dev/null
cp "$DIR/sim/video.tif" "$DIR/ours/a_simulated_lzw.tif"
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/b_uint8_big_lzw.tif" --pixel-type uint8 --byte-order big >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/c_int16_packbits.tif" --pixel-type int16 --compression packbits >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/d_float32_deflate.tif" --pixel-type float32 --compression deflate >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/e_uint16_none_big.tif" --compression none --byte-order big >/dev/null
"$NS" convert --input "$DIR/ij_hyperstack.tif" --output "$DIR/ours/f_ij_rewritten_lzw.tif" >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/g_int32_lzw.tif" --pixel-type int32 >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/h_uint32_deflate_big.tif" --pixel-type uint32 --compression deflate --byte-order big >/dev/null
"$NS" convert --input "$DIR/sim/video.tif" --output "$DIR/ours/i_float32_lzw_big.tif" --pixel-type float32 --byte-order big >/dev/null
ij "$HERE/describe_files.ijm" "$DIR/ours" | tee "$DIR/ij_read.log"
grep -q "IJ DONE" "$DIR/ij_read.log" || die "ImageJ macro did not finish"

check() {  # file, expected ImageJ description fields (without v=), probe position t z c for v
  local f="$1" want="$2" t="$3" z="$4" c="$5"
  local line; line=$(grep "^IJ $f " "$DIR/ij_read.log") || die "ImageJ did not open $f"
  [[ "$line" == "IJ $f $want v="* ]] || die "ImageJ sees '$line', expected '$want'"
  local ijv="${line##* v=}" ours; ours=$("$PROBE" pixel "$DIR/ours/$f" "$t" "$z" "$c" 12 10)
  awk -v a="$ijv" -v b="$ours" 'BEGIN { exit !((a - b) < 1e-3 && (b - a) < 1e-3) }' ||
    die "$f: ImageJ pixel $ijv, ours $ours"
  echo "match $f v=$ours"
}
sim="w=64 h=48 c=1 z=1 t=7"
check a_simulated_lzw.tif     "$sim bits=16 unit=microns pw=0.4 fi=2" 3 0 0
check b_uint8_big_lzw.tif     "$sim bits=8 unit=microns pw=0.4 fi=2" 3 0 0
check c_int16_packbits.tif    "$sim bits=16 unit=microns pw=0.4 fi=2" 3 0 0
check d_float32_deflate.tif   "$sim bits=32 unit=microns pw=0.4 fi=2" 3 0 0
check e_uint16_none_big.tif   "$sim bits=16 unit=microns pw=0.4 fi=2" 3 0 0
check f_ij_rewritten_lzw.tif  "w=40 h=30 c=2 z=3 t=5 bits=16 unit=microns pw=0.5 fi=3" 3 2 0
check g_int32_lzw.tif         "$sim bits=32 unit=microns pw=0.4 fi=2" 3 0 0
check h_uint32_deflate_big.tif "$sim bits=32 unit=microns pw=0.4 fi=2" 3 0 0
check i_float32_lzw_big.tif   "$sim bits=32 unit=microns pw=0.4 fi=2" 3 0 0
echo "IMAGEJ ROUNDTRIP OK"
