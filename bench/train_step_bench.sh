#!/bin/bash
# Training cost per network, as ratios against the plain U-Net measured in the same run:
# seconds per training step (batch 8 of 128² patches) and peak memory, for unet, residual_unet,
# dlinknet and temporal_unet (window 5) at depth 4 / 16 base filters, on a simulated video.
# Usage (repository root): bench/train_step_bench.sh [OUT] [STEPS] [THREADS]
set -euo pipefail
out=${1:-build/bench-train-step}
steps=${2:-6}
threads=${3:-2}
bin=${NATIVESEG:-build/native/nativeseg}
rm -rf "$out"; mkdir -p "$out"
"$bin" simulate --out "$out/sim" --frames 12 --width 256 --height 256 --seed 7 > /dev/null 2>&1
echo "| network | parameters | s/step | ratio to unet | peak RSS MB | ratio to unet |"
echo "|---|---|---|---|---|---|"
base_s=""; base_m=""
for arch in unet residual_unet dlinknet temporal_unet; do
  log="$out/$arch.log"
  /usr/bin/time -f "%M" -o "$out/$arch.mem" "$bin" train --training-data "$out/sim/01" --out "$out/$arch" \
      --architecture "$arch" --temporal-window 5 --depth 4 --base-filters 16 --batch-size 8 --patch-size 128 \
      --epochs 1 --steps-per-epoch "$steps" --threads "$threads" --device cpu --no-resume > "$log" 2>&1
  # Seconds of the epoch (the `epoch 1/1: … N s` line: the steps plus one validation pass) over its steps;
  # parameters from the network line.
  secs=$(grep -o 'epoch 1/1:.* \([0-9.]*\) s' "$log" | grep -o '[0-9.]* s$' | tr -d ' s')
  params=$(grep -o '[0-9]* parameters' "$log" | head -1 | cut -d' ' -f1)
  mem=$(( $(tail -1 "$out/$arch.mem") / 1024 ))
  per=$(/usr/bin/python3 -c "print(round($secs / $steps, 2))")
  [ -z "$base_s" ] && base_s=$per && base_m=$mem
  echo "| $arch | $params | $per | $(/usr/bin/python3 -c "print(round($per / $base_s, 2))") | $mem | $(/usr/bin/python3 -c "print(round($mem / $base_m, 2))") |"
done
