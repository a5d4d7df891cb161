#!/usr/bin/env bash
# Configures and builds NativeSeg in ./build (Release). Extra arguments go to CMake,
# e.g. -DTorch_DIR=/opt/libtorch/share/cmake/Torch for a CUDA LibTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-2}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$JOBS"
