#!/bin/sh
# Compile the header test snippets in every mode cuport uses and check the results:
#  (a) Clang CUDA device side -> NVPTX LLVM IR: no inline asm, and every intrinsic / external function
#      is listed in allowed_device_symbols.txt (no stray llvm.nvvm.*);
#  (b) Clang CUDA host side (new launch ABI);
#  (c) plain host C++ with g++ and clang++ (host.cpp and sizes.cu as C++);
# for -std=c++11/14/17/20; then, if nvcc is available, that the snippets are valid CUDA for nvcc.
# usage: check_modes.sh [CLANG] [INCLUDE_DIR] [WORK_DIR] [NVCC]
set -u
CLANG=${1:-clang++-15}; INC=${2:-$(dirname "$0")/../../include}; WORK=${3:-$(mktemp -d)}
NVCC=${4:-/usr/local/cuda/bin/nvcc}
HERE=$(cd "$(dirname "$0")" && pwd); SN="$HERE/snippets"
mkdir -p "$WORK"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
CUDA="-x cuda -nocudainc -nocudalib -Wno-unknown-cuda-version -I $INC -include cuda_runtime.h -Wall -Werror -Wno-unused-variable -Wno-unused-function"

allowed() { # $1 = symbol; matches allowed_device_symbols.txt (trailing * = any suffix)
  grep -v '^#' "$HERE/allowed_device_symbols.txt" | while read -r pat; do
    [ -z "$pat" ] && continue
    case "$1" in $pat) echo yes; break;; esac
  done
}

for std in 11 14 17 20; do
  for src in "$SN"/*.cu; do
    base=$(basename "$src" .cu)
    ll="$WORK/$base.c++$std.ll"
    if "$CLANG" $CUDA --cuda-device-only --cuda-gpu-arch=sm_70 -std=c++$std -emit-llvm -S "$src" -o "$ll"; then
      grep -q 'asm ' "$ll" && fail "(a) $base c++$std: inline asm in device IR"
      for sym in $(sed -n 's/^declare [^@]*@\([^(]*\)(.*/\1/p' "$ll" | tr -d '"' | sort -u); do
        [ -n "$(allowed "$sym")" ] || fail "(a) $base c++$std: device IR uses '$sym', not in allowed_device_symbols.txt"
      done
    else
      fail "(a) device compile $base c++$std"
    fi
    if [ "$std" = 17 ]; then # optimised device IR too (the optimiser forms further intrinsics)
      "$CLANG" $CUDA --cuda-device-only --cuda-gpu-arch=sm_70 -std=c++$std -O2 -emit-llvm -S "$src" -o "$ll.O2.ll" \
        || fail "(a) device compile -O2 $base"
      for sym in $(sed -n 's/^declare [^@]*@\([^(]*\)(.*/\1/p' "$ll.O2.ll" | tr -d '"' | sort -u); do
        [ -n "$(allowed "$sym")" ] || fail "(a) $base -O2: device IR uses '$sym', not in allowed_device_symbols.txt"
      done
    fi
    "$CLANG" $CUDA --cuda-host-only -Xclang -target-sdk-version=11.5 -std=c++$std -c "$src" -o "$WORK/$base.c++$std.o" \
      || fail "(b) host compile $base c++$std"
  done
  for cxx in g++ clang++ "$CLANG"; do
    command -v "$cxx" >/dev/null 2>&1 || continue
    "$cxx" -x c++ -std=c++$std -Wall -Wextra -Werror -I "$INC" -include cuda_runtime.h -c "$SN/host.cpp" -o "$WORK/host.o" \
      || fail "(c) $cxx c++$std host.cpp"
    "$cxx" -x c++ -std=c++$std -Wall -Wextra -Werror -I "$INC" -include cuda_runtime.h -c "$SN/sizes.cu" -o "$WORK/sizes.o" \
      || fail "(c) $cxx c++$std sizes.cu"
  done
done
# C: cuda_runtime.h's C-compatible parts (types, make_ functions) compile as C99.
echo 'int main(void) { float2 v = make_float2(1, 2); dim3 d = {1, 1, 1}; return (int)v.x + (int)d.x; }' > "$WORK/c.c"
for cc in gcc clang; do
  command -v $cc >/dev/null 2>&1 || continue
  $cc -std=c99 -Wall -Werror -I "$INC" -include cuda_runtime.h -c "$WORK/c.c" -o "$WORK/c.o" || fail "(c) $cc C99"
done
# nvcc: the snippets are valid CUDA with Nvidia's own headers (compile only; no GPU needed).
if [ -x "$NVCC" ]; then
  for src in "$SN"/*.cu; do
    "$NVCC" -std=c++17 -arch=sm_75 --expt-relaxed-constexpr -Xcompiler -Wno-deprecated-declarations -diag-suppress 1444 -c "$src" -o "$WORK/nvcc.$(basename "$src").o" \
      || fail "nvcc $(basename "$src")"
  done
  "$NVCC" -std=c++17 -x c++ -c "$SN/host.cpp" -o "$WORK/nvcc.host.o" || fail "nvcc host.cpp"
else
  echo "note: $NVCC not found, skipping the nvcc validity check"
fi
if [ $fails -ne 0 ]; then echo "$fails failure(s)"; exit 1; fi
echo "check_modes: all modes passed"
