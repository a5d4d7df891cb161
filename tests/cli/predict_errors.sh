#!/usr/bin/env bash
# Bad model packages and devices give one-line errors naming the file or parameter.
set -uo pipefail
NS="$1"; MAKE="$2"; DIR="$3"; EXPECT="bash $4"
rm -rf "$DIR"; mkdir -p "$DIR"
"$NS" simulate --out "$DIR/sim" --frames 2 --width 48 --height 40 --cells 2 >/dev/null
"$MAKE" "$DIR/good" >/dev/null
fails=0
check() { "$@" || fails=$((fails + 1)); }

# A folder without weights.
cp -r "$DIR/good" "$DIR/noweights"; rm "$DIR/noweights/weights.pt"
check $EXPECT nonzero "noweights: the weights file 'weights.pt' named in rdf.yaml is missing" -- \
  "$NS" predict --model "$DIR/noweights" --input "$DIR/sim/video.tif" --output "$DIR/o.tif"
# A malformed rdf.yaml.
cp -r "$DIR/good" "$DIR/malformed"; printf 'format_version: 0.5.3\ninputs: [unclosed\n' > "$DIR/malformed/rdf.yaml"
check $EXPECT nonzero "malformed/rdf.yaml: malformed YAML at line" -- "$NS" model-info "$DIR/malformed"
# A required field missing.
cp -r "$DIR/good" "$DIR/noaxes"; sed -i '/^    axes:$/,/id: x, size/d' "$DIR/noaxes/rdf.yaml"
check $EXPECT nonzero "missing required field 'inputs\[0\]\.axes'" -- "$NS" model-info "$DIR/noaxes"
# Weights LibTorch cannot load.
cp -r "$DIR/good" "$DIR/badweights"; echo "not a model" > "$DIR/badweights/weights.pt"
check $EXPECT nonzero "weights.pt: the TorchScript weights cannot be loaded by LibTorch .*not a TorchScript archive" -- \
  "$NS" validate-model "$DIR/badweights"
# Test outputs that do not match: FAIL on stdout, an error line on stderr.
"$MAKE" "$DIR/badtest" --bad-test-output >/dev/null
check $EXPECT nonzero "at \(0, 1, 10, 10\): .* expected" -- "$NS" validate-model "$DIR/badtest"
# A CUDA device on a machine without one (skipped where CUDA works).
if "$NS" info --json | grep -q '"cuda_available": false'; then
  check $EXPECT nonzero "device 'cuda:0': no CUDA GPU can be used" -- \
    "$NS" predict --model "$DIR/good" --input "$DIR/sim/video.tif" --output "$DIR/o.tif" --device cuda:0
fi
check $EXPECT nonzero "device: expected auto, cpu, cuda or cuda:N, got 'quantum'" -- \
  "$NS" predict --model "$DIR/good" --input "$DIR/sim/video.tif" --output "$DIR/o.tif" --device quantum
# An unsupported input (no such file) and an output that cannot be written.
check $EXPECT nonzero "/no/such/video.tif" -- \
  "$NS" predict --model "$DIR/good" --input /no/such/video.tif --output "$DIR/o.tif"
check $EXPECT nonzero "/proc/nativeseg" -- \
  "$NS" predict --model "$DIR/good" --input "$DIR/sim/video.tif" --output /proc/nativeseg/o.tif
[ ! -e "$DIR/o.tif" ] || { echo "EXPECT FAILED: an output was written"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "ALL EXPECT OK"
