#!/usr/bin/env bash
# Installs the Debian 12 packages cuport needs to build and test, if any are missing.
# Idempotent; needs root (or sudo).  Used by `make demo`, `make test` and CI.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache python3
  clang-15 llvm-15-dev libclang-15-dev lld-15 llvm-15-tools   # the LLVM Debian's PoCL and HIP are built on
  libgtest-dev                                                 # conformance suite
  pkg-config                                                   # package test (cuport.pc)
  openmpi-bin libopenmpi-dev                                   # the CUDA+MPI sample (samples/mpi)
  ocl-icd-opencl-dev opencl-headers                            # OpenCL backend: ICD loader and headers
  pocl-opencl-icd clinfo                                       # an OpenCL CPU device to run it on; clinfo
  llvm-15 libamdhip64-dev rocm-device-libs                     # HIP backend: HIP headers and runtime, the ROCm
                                                               # device libraries for AMDGPU code objects, and
                                                               # llvm-readelf/llvm-objdump to check them
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
