#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs every test suite with CTest
# (C++ unit tests, command-line tests, ImageJ macro tests under a virtual display).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j"${JOBS:-2}"
