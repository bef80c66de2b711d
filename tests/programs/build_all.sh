#!/usr/bin/env bash
# Builds every user program of tests/programs the way a user builds it, for the checks of their device
# images (tests/hip/code_objects.py, tests/ptx/ptx_images.py):
#   build_all.sh <build-dir> <source-dir> <out-dir>
# compiles each single-file program with `cuport-cc -O2` (not the error tests), the relocatable-device-code
# program and the separate-compilation one into <out-dir>.  Prints PASS or FAIL.
set -u
build=$1 src=$2 out=$3
cc="$build/bin/cuport-cc"
rm -rf "$out" && mkdir -p "$out"
for f in "$src"/tests/programs/*.cu; do
  name=$(basename "$f" .cu)
  case $name in bad_*|rdc_*|separate_*) continue ;; esac # error tests; multi-file programs below
  grep -q "__global__" "$f" || continue # no device code, so no fat binary (visible_devices)
  flags=-O2
  [ "$name" = cxx20_device ] && flags="-O2 -std=c++20 --expt-relaxed-constexpr"
  "$cc" $flags -o "$out/$name" "$f" || { echo "FAIL: cuport-cc $name"; exit 1; }
done
"$cc" -O2 -rdc=true -o "$out/rdc" "$src/tests/programs/rdc_main.cu" "$src/tests/programs/rdc_lib.cu" \
  || { echo "FAIL: cuport-cc rdc"; exit 1; }
"$cc" -O2 -o "$out/separate" "$src/tests/programs/separate_kernels.cu" "$src/tests/programs/separate_main.cpp" \
  || { echo "FAIL: cuport-cc separate"; exit 1; }
echo "built $(ls "$out" | wc -l) programs in $out: PASS"
