#!/usr/bin/env bash
# Installs every Debian package NativeSeg needs to build, test and run its demo.
# Non-interactive; does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config ca-certificates
  libtorch-dev libopencv-dev libtiff-dev libpugixml-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev
  default-jdk-headless libij-java junit4 libhamcrest-java xvfb xauth
  patchelf
  python3 python3-numpy python3-scipy python3-tifffile
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
