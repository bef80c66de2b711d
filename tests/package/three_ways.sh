#!/usr/bin/env bash
# Builds one CUDA project (sample/: two .cu files and host C++) three ways against an installed cuport,
# with no build tree around, and runs each result on the CPU backend:
#   1. its nvcc Makefile with NVCC=<prefix>/bin/cuport-cc (then: dependency files make it up to date, and
#      touching a header rebuilds);
#   2. CMake with find_package(cuport);
#   3. CMake's CUDA language with -DCMAKE_CUDA_COMPILER=<prefix>/bin/cuport-cc, FindCUDAToolkit's
#      CUDA::cudart, and separable compilation.
# three_ways.sh <build-dir>
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > /dev/null
export CUPORT_BACKEND=cpu
fail() { echo "FAIL: $*"; exit 1; }
run() { # name, program
  local out
  out=$("$2" 2>&1) || { echo "$out"; fail "$1: the program failed"; }
  echo "$out" | grep -q '^PASS$' || { echo "$out"; fail "$1: no PASS"; }
  echo "PASS: $1: $(echo "$out" | head -1)"
}

# 1. Makefile
cp -r "$here/sample" "$work/make"
make -C "$work/make" NVCC="$prefix/bin/cuport-cc" CUDA_PATH="$prefix" > "$work/make.log" 2>&1 ||
  { cat "$work/make.log"; fail "Makefile build"; }
run "Makefile (NVCC=cuport-cc)" "$work/make/app"
make -q -C "$work/make" NVCC="$prefix/bin/cuport-cc" CUDA_PATH="$prefix" app ||
  fail "Makefile: not up to date right after a build"
sleep 1
touch "$work/make/sample.h"
if make -q -C "$work/make" NVCC="$prefix/bin/cuport-cc" CUDA_PATH="$prefix" app; then
  fail "Makefile: touching sample.h did not make the .cu objects out of date (-MD -MF dependencies)"
fi
grep -q 'sample.h' "$work/make/heat.d" || fail "Makefile: heat.d does not list sample.h"
echo "PASS: Makefile dependencies (-MD -MF) track sample.h"

# 2. find_package(cuport)
cmake -S "$here/sample/cmake-package" -B "$work/package" -Dcuport_DIR="$prefix/lib/cmake/cuport" \
  > "$work/package.log" 2>&1 && cmake --build "$work/package" >> "$work/package.log" 2>&1 ||
  { cat "$work/package.log"; fail "find_package(cuport) build"; }
run "CMake find_package(cuport)" "$work/package/app"

# 3. CMake's CUDA language
cmake -S "$here/sample/cmake-cuda" -B "$work/cuda" -DCMAKE_CUDA_COMPILER="$prefix/bin/cuport-cc" \
  > "$work/cuda.log" 2>&1 && cmake --build "$work/cuda" >> "$work/cuda.log" 2>&1 ||
  { cat "$work/cuda.log"; fail "CMake CUDA-language build"; }
grep -q "The CUDA compiler identification is NVIDIA 12.0.0" "$work/cuda.log" ||
  { cat "$work/cuda.log"; fail "CMake did not identify cuport-cc as an nvcc-compatible CUDA 12.0 compiler"; }
grep -q "CMAKE_CUDA_ARCHITECTURES:STRING=70" "$work/cuda/CMakeCache.txt" ||
  fail "CMake did not detect compute_70 as the default CUDA architecture"
run "CMake CUDA language (CUDA::cudart, separable compilation)" "$work/cuda/app"
run "CMake CUDA language (linked by cuport-cc)" "$work/cuda/app_cu"
echo "three ways: PASS"
