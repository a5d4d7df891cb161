#!/usr/bin/env bash
# JNI and Java overhead of the Fiji plugin: the same video through Plugins > NativeSeg > Segment
# and Track Video (ImageJ 1.x, -batch under xvfb-run) and through `nativeseg segment-video`.
#
#   bench/fiji_overhead.sh [BUILD_DIR] [WORK_DIR] [REPEATS] [FRAMES] [SIZE]
#
# The model is the benchmark U-Net of bench/make_unet.py (Debian python3-torch). Each repeat runs,
# in this order, a fresh `nativeseg segment-video` process (wall time of the whole process:
# start, LibTorch, model, job, writers), a fresh ImageJ running the command on the open image
# (planes streamed through JNI, the track video read back into an ImagePlus), and a fresh ImageJ
# running it with input= (the core reads the file). The Fiji times are measured inside the macro
# around run(...): they include loading the JNI library and LibTorch into the JVM, the model, the
# job, the plane transfers and building the result image, but not ImageJ's own start-up or
# open() (printed apart). Overhead = (Fiji command - CLI process) / CLI process, medians.
# Because the machine is shared, the table also splits each run into the time inside the job
# (report.json: segmentation seconds + tracking total) and the rest (start-up, library and model
# loading, plane transfers, result image): the Fiji side's extra cost is the difference of the rests.
set -euo pipefail
BUILD="$(realpath "${1:-build}")"; WORK="${2:-/tmp/nativeseg-fiji-bench}"; REPEATS="${3:-3}"
FRAMES="${4:-40}"; SIZE="${5:-256}"
NS="$BUILD/native/nativeseg"; JAR="$BUILD/fiji/plugins/NativeSeg_.jar"; IJ_JAR=/usr/share/java/ij.jar
HERE="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$WORK"; mkdir -p "$WORK/ij/plugins"; cd "$WORK"
cp "$JAR" ij/plugins/
/usr/bin/python3 "$HERE/make_unet.py" model >/dev/null
"$NS" simulate --out sim --frames "$FRAMES" --width "$SIZE" --height "$SIZE" --cells 30 --seed 4 >/dev/null 2>&1
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
cli=(); img=(); fil=(); opens=(); rcli=(); rimg=(); rfil=()
inside() { /usr/bin/python3 -c "import json,sys; r = json.load(open(sys.argv[1])); \
print(int(1000 * (r['segmentation']['seconds'] + r['seconds']['total'])))" "$1/report.json"; }
for r in $(seq "$REPEATS"); do
  t0=$(now); "$NS" segment-video --model model --input sim/video.tif --out "cli$r" --name bench >/dev/null 2>&1; t1=$(now)
  cli+=("$(ms "$t0" "$t1")"); rcli+=($(( cli[-1] - $(inside "cli$r") )))
  for mode in image file; do
    line=$(timeout 600 xvfb-run -a java -Djava.awt.headless=false -jar "$IJ_JAR" -ijpath ij -batch \
             "$HERE/fiji_overhead.ijm" "$WORK/sim/video.tif|$WORK/model|$WORK/$mode$r|$mode" 2>&1 | grep "^BENCH")
    case "$line" in *FAILED*) echo "$line"; exit 1;; esac
    c=$(sed 's/.*command_ms=\([0-9]*\).*/\1/' <<<"$line")
    if [ "$mode" = image ]; then
      img+=("$c"); rimg+=($(( c - $(inside "image$r") ))); opens+=("$(sed 's/.*open_ms=\([0-9]*\).*/\1/' <<<"$line")")
    else
      fil+=("$c"); rfil+=($(( c - $(inside "file$r") )))
    fi
  done
  cmp <("$NS" info --input "cli$r/tracks.tif" | tail -n +2) <("$NS" info --input "image$r/tracks.tif" | tail -n +2) ||
    { echo "Fiji and CLI results differ"; exit 1; }
  echo "repeat $r: CLI ${cli[-1]} ms, Fiji (open image) ${img[-1]} ms, Fiji (input=) ${fil[-1]} ms, ImageJ open() ${opens[-1]} ms"
done
median() { printf "%s\n" "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mc=$(median "${cli[@]}"); mi=$(median "${img[@]}"); mf=$(median "${fil[@]}")
oc=$(median "${rcli[@]}"); oi=$(median "${rimg[@]}"); of=$(median "${rfil[@]}")
echo
echo "| ${FRAMES} frames ${SIZE}x${SIZE}, median of ${REPEATS} | end to end, ms | vs CLI | outside the job, ms | extra vs CLI, % of CLI end to end |"
echo "|---|---|---|---|---|"
echo "| \`nativeseg segment-video\` (whole process) | $mc | — | $oc | — |"
awk -v c="$mc" -v i="$mi" -v f="$mf" -v oc="$oc" -v oi="$oi" -v of="$of" 'BEGIN {
  printf "| Fiji command on the open image (JNI planes in, ImagePlus out) | %d | %+.1f%% | %d | %+.1f%% |\n", i, 100 * (i - c) / c, oi, 100 * (oi - oc) / c
  printf "| Fiji command with input= (core reads the file) | %d | %+.1f%% | %d | %+.1f%% |\n", f, 100 * (f - c) / c, of, 100 * (of - oc) / c }'
echo "| (ImageJ open() of the video, not counted) | $(median "${opens[@]}") | | | |"
