#!/usr/bin/env bash
# AMDGPU code generation for whole user programs, the way a user builds them:
#   codegen_programs.sh <build-dir> <source-dir> <readelf> <objdump>
# compiles every program of tests/programs (and the relocatable-device-code and separate-compilation ones)
# with `cuport-cc -O2`, then checks the gfx90a and gfx1100 code objects of each with code_objects.py.
# Prints PASS or FAIL.
set -u
build=$1 src=$2 readelf=$3 objdump=$4
cc="$build/bin/cuport-cc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
progs=()
for f in "$src"/tests/programs/*.cu; do
  name=$(basename "$f" .cu)
  case $name in bad_*|rdc_*|separate_*) continue ;; esac # error tests; multi-file programs below
  grep -q "__global__" "$f" || continue # no device code, so no fat binary (visible_devices)
  "$cc" -O2 -o "$work/$name" "$f" || { echo "FAIL: cuport-cc $name"; exit 1; }
  progs+=("$work/$name")
done
"$cc" -O2 -rdc=true -o "$work/rdc" "$src/tests/programs/rdc_main.cu" "$src/tests/programs/rdc_lib.cu" \
  || { echo "FAIL: cuport-cc rdc"; exit 1; }
"$cc" -O2 -o "$work/separate" "$src/tests/programs/separate_kernels.cu" "$src/tests/programs/separate_main.cpp" \
  || { echo "FAIL: cuport-cc separate"; exit 1; }
progs+=("$work/rdc" "$work/separate")
exec python3 "$src/tests/hip/code_objects.py" --readelf "$readelf" --objdump "$objdump" "${progs[@]}"
