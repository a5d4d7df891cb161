#!/usr/bin/env bash
# nativeseg predict against Python PyTorch (Debian's python3-torch) on the same TorchScript
# U-Net file, the same tiles and the same videos (docs/benchmarks.md, "Inference").
#
#   bench/inference_bench.sh [BUILD_DIR] [WORK_DIR] [REPEATS] [THREADS] [MEMORY=yes|no]
#
# Both sides: the model loaded once, frames read one page at a time from an uncompressed TIFF
# (tifffile cannot decode LZW without imagecodecs), float32 probabilities appended one page at
# a time, batch 1, the same number of CPU threads, whole frames mirror-padded by the halo
# (16 px) or the same tiles (the Python side ports native/src/tiling.cpp). The runs
# alternate and each configuration is repeated; the table gives the median over the repeats
# of each run's median time per frame (read + predict + write), as wall time and as CPU time
# of the process (all threads), which other jobs on a shared machine disturb less. Peak
# memory is the maximum resident set size from /usr/bin/time -v.
set -euo pipefail
BUILD="${1:-build}"; WORK="${2:-/tmp/nativeseg-bench}"; REPEATS="${3:-3}"; THREADS="${4:-$(nproc)}"; MEMORY="${5:-yes}"
NS="$(realpath "$BUILD")/native/nativeseg"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3
mkdir -p "$WORK"; cd "$WORK"
"$PY" "$HERE/make_unet.py" model >/dev/null
"$NS" validate-model model | head -2

video() {  # video NAME FRAMES SIZE: simulated fluorescence, uncompressed uint16
  [ -f "$1.tif" ] && return
  "$NS" simulate --out "sim_$1" --frames "$2" --width "$3" --height "$3" --cells 40 >/dev/null 2>&1
  "$NS" convert --input "sim_$1/video.tif" --output "$1.tif" --compression none >/dev/null 2>&1
  rm -rf "sim_$1"
}
field() { sed -n "s/.*\"$1\": *\([0-9.e+-]*\).*/\1/p" "$2" | head -1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# ms per frame: alternating runs, median of the runs' medians.
speed() {  # speed LABEL VIDEO TILE
  local ns=() py=() nsc=() pyc=()
  for r in $(seq "$REPEATS"); do
    "$NS" predict --model model --input "$2.tif" --output ns_out.tif --threads "$THREADS" --batch 1 --tile "$3" \
      --json 2>/dev/null > ns.json
    "$PY" "$HERE/predict_python.py" model "$2.tif" py_out.tif --threads "$THREADS" --batch 1 --tile "$3" > py.json
    ns+=("$(field median_ms_per_prediction ns.json)"); py+=("$(field median_ms_per_prediction py.json)")
    nsc+=("$(field median_cpu_ms_per_prediction ns.json)"); pyc+=("$(field median_cpu_ms_per_prediction py.json)")
  done
  local a b ca cb diff
  a=$(printf '%s\n' "${ns[@]}" | median); b=$(printf '%s\n' "${py[@]}" | median)
  ca=$(printf '%s\n' "${nsc[@]}" | median); cb=$(printf '%s\n' "${pyc[@]}" | median)
  diff=$("$PY" -c "import tifffile, numpy as n; print('%.1e' % n.abs(tifffile.imread('ns_out.tif') - tifffile.imread('py_out.tif')).max())")
  printf '| %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s |\n' "$1" "$a" "$b" "$(echo "$b / $a" | bc -l)" \
    "$ca" "$cb" "$(echo "$cb / $ca" | bc -l)" "$diff"
}

# Peak memory of one whole run.
memory() {  # memory LABEL VIDEO
  /usr/bin/time -v "$NS" predict --model model --input "$2.tif" --output ns_out.tif --threads "$THREADS" --batch 1 \
    --json 2>ns_time.txt > ns.json
  /usr/bin/time -v "$PY" "$HERE/predict_python.py" model "$2.tif" py_out.tif --threads "$THREADS" --batch 1 \
    2>py_time.txt > py.json
  local mn mp
  mn=$(sed -n 's/.*Maximum resident set size (kbytes): //p' ns_time.txt)
  mp=$(sed -n 's/.*Maximum resident set size (kbytes): //p' py_time.txt)
  printf '| %s | %.0f | %.0f | %.1f | %.1f |\n' "$1" "$(echo "$mn / 1024" | bc -l)" "$(echo "$mp / 1024" | bc -l)" \
    "$(field frames_per_second ns.json)" "$(field frames_per_second py.json)"
}

video v512 20 512
video v1024 6 1024
video v256x100 100 256
video v256x1000 1000 256
echo
echo "Threads: $THREADS; repeats: $REPEATS; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| frames | nativeseg ms/frame | Python ms/frame | Python / nativeseg | nativeseg CPU ms/frame | Python CPU ms/frame | Python / nativeseg (CPU) | max difference |"
echo "|---|---|---|---|---|---|---|---|"
speed "512² (one 544² tile)" v512 1536
speed "1024² (one 1056² tile)" v1024 1536
speed "1024² (3×3 tiles of 376²)" v1024 512
speed "256² (one 288² tile)" v256x100 1536
[ "$MEMORY" = yes ] || exit 0
echo
echo "| video | nativeseg peak RSS (MiB) | Python peak RSS (MiB) | nativeseg frames/s | Python frames/s |"
echo "|---|---|---|---|---|"
memory "256² × 100 frames" v256x100
memory "256² × 1000 frames" v256x1000
