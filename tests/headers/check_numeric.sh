#!/bin/sh
# Compile numeric_device.cu to NVPTX LLVM IR with cuport's headers, retarget the IR to the host (it uses
# no NVVM intrinsics), link it with numeric_main.c and run the checks.
# usage: check_numeric.sh CLANG INCLUDE_DIR WORK_DIR
set -eu
CLANG=${1:-clang++-15}; INC=${2:-$(dirname "$0")/../../include}; WORK=${3:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
CC=$(echo "$CLANG" | sed 's/clang++/clang/')
mkdir -p "$WORK"
"$CLANG" -x cuda --cuda-device-only --cuda-gpu-arch=sm_70 -nocudainc -nocudalib -Wno-unknown-cuda-version \
  -I "$INC" -include cuda_runtime.h -std=c++17 -O1 -emit-llvm -S "$HERE/numeric_device.cu" -o "$WORK/numeric_nvptx.ll"
if grep -n 'llvm\.nvvm\.\|asm ' "$WORK/numeric_nvptx.ll"; then echo "unexpected NVVM intrinsic or asm"; exit 1; fi
# Drop the NVPTX triple/datalayout and the target attributes; the host's are used instead.
sed -e '/^target datalayout/d' -e '/^target triple/d' -e 's/"target-cpu"="[^"]*"//g' -e 's/"target-features"="[^"]*"//g' \
  "$WORK/numeric_nvptx.ll" > "$WORK/numeric_host.ll"
"$CC" -O1 -c -Wno-override-module "$WORK/numeric_host.ll" -o "$WORK/numeric_device.o"
"$CC" -O0 -frounding-math "$HERE/numeric_main.c" "$WORK/numeric_device.o" -lm -o "$WORK/numeric"
"$WORK/numeric"
