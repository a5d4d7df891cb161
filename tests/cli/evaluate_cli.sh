#!/usr/bin/env bash
# `nativeseg evaluate` end to end: a simulated CTC sequence against itself scores 1 on every
# measure (CTC folders, label video + track file, instance and semantic kinds); a result whose
# parent links were removed loses exactly 1.5 per link (TRA, LNK computed here from the track
# file); --csv writes one row per frame; --validate accepts the GT and lists broken rules; bad
# input fails with a one-line message naming the file.
set -euo pipefail
NS="$1"; DIR="$2"
rm -rf "$DIR"; mkdir -p "$DIR"
fail() { echo "EXPECT FAILED: $*"; exit 1; }

# The value of a JSON number field (first occurrence) in a file.
field() { grep -m1 "\"$1\":" "$2" | sed -E 's/.*: *([-0-9.eE+]+|null),?$/\1/'; }
# |a - b| <= 1e-9
same() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9) }'; }

"$NS" simulate --out "$DIR/sim" --frames 12 --width 128 --height 96 --cells 8 --seed 4 --division-rate 0.08 >/dev/null
GT="$DIR/sim/01_GT"
mkdir -p "$DIR/res"
for f in "$GT"/TRA/man_track*.tif; do cp "$f" "$DIR/res/mask${f##*/man_track}"; done
cp "$GT/TRA/man_track.txt" "$DIR/res/res_track.txt"

# 1. GT against itself.
"$NS" evaluate --gt "$GT" --res "$DIR/res" --json > "$DIR/self.json"
for m in SEG DET TRA OP_CSB OP_CTB; do
  same "$(field "$m" "$DIR/self.json")" 1 || fail "$m of GT against itself is $(field "$m" "$DIR/self.json"), expected 1"
done
grep -q '"valid": true' "$DIR/self.json" || fail "GT copy not reported valid"
"$NS" evaluate --gt "$GT" --res "$DIR/res" | tee "$DIR/self.txt" | grep -q "TRA     1.000000" || fail "table: $(cat "$DIR/self.txt")"

# 2. The same as label videos (one hyperstack each) with track files.
"$NS" convert --input "$GT/TRA" --output "$DIR/gt_labels.tif" >/dev/null
"$NS" evaluate --gt "$DIR/gt_labels.tif" --gt-tracks "$GT/TRA/man_track.txt" \
               --res "$DIR/gt_labels.tif" --res-tracks "$GT/TRA/man_track.txt" --json > "$DIR/video.json"
same "$(field TRA "$DIR/video.json")" 1 || fail "label video TRA $(field TRA "$DIR/video.json")"
same "$(field SEG "$DIR/video.json")" 1 || fail "label video SEG $(field SEG "$DIR/video.json")"

# 3. Parent links removed: EA = number of tracks with a parent, nothing else.
parents=$(awk '$4 != 0' "$GT/TRA/man_track.txt" | wc -l)
[ "$parents" -gt 0 ] || fail "the simulation has no division; pick another seed"
mkdir -p "$DIR/orphans"
cp "$DIR"/res/mask*.tif "$DIR/orphans/"
awk '{ print $1, $2, $3, 0 }' "$GT/TRA/man_track.txt" > "$DIR/orphans/res_track.txt"
"$NS" evaluate --gt "$GT" --res "$DIR/orphans" --json --csv "$DIR/orphans.csv" > "$DIR/orphans.json"
read -r vertices edges < <(awk '{ v += $3 - $2 + 1; e += $3 - $2 + ($4 != 0) } END { print v, e }' "$GT/TRA/man_track.txt")
tra=$(awk -v p="$parents" -v v="$vertices" -v e="$edges" 'BEGIN { printf "%.12f", 1 - 1.5 * p / (10 * v + 1.5 * e) }')
lnk=$(awk -v p="$parents" -v e="$edges" 'BEGIN { printf "%.12f", 1 - p / e }')
same "$(field TRA "$DIR/orphans.json")" "$tra" || fail "TRA $(field TRA "$DIR/orphans.json"), expected $tra"
same "$(field LNK "$DIR/orphans.json")" "$lnk" || fail "LNK $(field LNK "$DIR/orphans.json"), expected $lnk"
[ "$(field EA "$DIR/orphans.json")" = "$parents" ] || fail "EA $(field EA "$DIR/orphans.json"), expected $parents"
same "$(field DET "$DIR/orphans.json")" 1 || fail "DET changed"
[ "$(wc -l < "$DIR/orphans.csv")" -eq 13 ] || fail "CSV has $(wc -l < "$DIR/orphans.csv") lines, expected 13"
head -1 "$DIR/orphans.csv" | grep -q "^frame,gt_objects,res_objects,matched,NS,FN,FP,ED,EA,EC" || fail "CSV header"

# 4. Instance and semantic kinds on the label video.
"$NS" evaluate --kind instance --gt "$DIR/gt_labels.tif" --res "$DIR/gt_labels.tif" --json > "$DIR/inst.json"
same "$(field mean_ap "$DIR/inst.json")" 1 || fail "instance mean AP $(field mean_ap "$DIR/inst.json")"
"$NS" evaluate --kind semantic --gt "$DIR/gt_labels.tif" --res "$DIR/gt_labels.tif" --no-rand-scores --json > "$DIR/sem.json"
same "$(field dice "$DIR/sem.json")" 1 || fail "semantic Dice $(field dice "$DIR/sem.json")"

# 5. --validate: the GT copy passes; a track declared one frame too short is listed and fails.
"$NS" evaluate --validate --res "$DIR/res" | grep -q "follows the Cell Tracking Challenge rules" || fail "validate GT copy"
mkdir -p "$DIR/short"
cp "$DIR"/res/mask*.tif "$DIR/short/"
awk '!done && $3 > $2 { $3 = $3 - 1; done = 1 } { print }' "$GT/TRA/man_track.txt" > "$DIR/short/res_track.txt"
set +e
"$NS" evaluate --validate --res "$DIR/short" > "$DIR/short.out" 2> "$DIR/short.err"
code=$?
set -e
[ "$code" -ne 0 ] || fail "--validate accepted a broken result"
grep -q "outside its frames" "$DIR/short.out" || fail "broken rule not listed: $(cat "$DIR/short.out")"
grep -q "breaks 1 CTC rule" "$DIR/short.err" || fail "error line: $(cat "$DIR/short.err")"
[ "$(wc -l < "$DIR/short.err")" -eq 1 ] || fail "expected a one-line error, got: $(cat "$DIR/short.err")"

# 6. Bad input: one-line errors that name the file.
expect_error() {  # expect_error REGEX COMMAND...
  local regex="$1"; shift
  set +e
  "$@" > "$DIR/err.out" 2> "$DIR/err.txt"
  local code=$?
  set -e
  [ "$code" -ne 0 ] || fail "no failure for: $*"
  [ "$(wc -l < "$DIR/err.txt")" -eq 1 ] || fail "expected a one-line error for $*, got: $(cat "$DIR/err.txt")"
  grep -Eq -- "$regex" "$DIR/err.txt" || fail "error does not match /$regex/: $(cat "$DIR/err.txt")"
}
mkdir -p "$DIR/few"
cp "$DIR"/res/res_track.txt "$DIR"/res/mask00[0-9].tif "$DIR/few/"
expect_error "has 10 frames but ground truth .* has 12" "$NS" evaluate --gt "$GT" --res "$DIR/few"
mkdir -p "$DIR/notracks"
cp "$DIR"/res/mask*.tif "$DIR/notracks/"
expect_error "notracks/res_track.txt" "$NS" evaluate --gt "$GT" --res "$DIR/notracks"
expect_error "needs --res-tracks" "$NS" evaluate --gt "$GT" --res "$DIR/gt_labels.tif"
expect_error "iou-thresholds|iou_thresholds" "$NS" evaluate --kind instance --gt "$DIR/gt_labels.tif" \
             --res "$DIR/gt_labels.tif" --iou-thresholds 0.2,0.5
expect_error "--gt is required" "$NS" evaluate --res "$DIR/res"

if ls -a "$DIR" | grep -q '\.tmp'; then fail "temporary files left"; fi
echo "EXPECT OK"
