#!/usr/bin/env bash
# The cuda backend on a real Nvidia GPU, in one go (a few minutes on a 16-core machine):
#   1. checks that there is an Nvidia GPU with its driver (and stops at once, exit 2, when there is none);
#   2. configures and builds cuport (Release, -j$(nproc)): only what the checks below need;
#   3. runs the conformance suite on the cuda backend (CUPORT_BACKEND=cuda, --gtest_filter='*/cuda') and prints
#      its pass/fail/skip counts and the failed tests;
#   4. builds samples/*.cu with cuport-cc (run with CUPORT_BACKEND=cuda) and with `nvcc -O3`, runs each binary
#      three times, and prints per sample PASS/FAIL for both and the ratio of their best wall times (cuport/nvcc).
# Needs no network: cmake, ninja, clang-15/llvm-15 and GoogleTest must be installed (scripts/setup.sh installs
# them where apt can reach a mirror); nvcc comes from PATH, $NVCC, $CUDA_HOME/bin or /usr/local/cuda/bin, and
# without it the nvcc column is "n/a".
#
# Usage: bash scripts/nvidia_check.sh
# Settings: BUILD_DIR (default build-nvidia), JOBS (default nproc), NVCC, CONFORMANCE_TIMEOUT (seconds, default
# 300), SAMPLE_TIMEOUT (seconds per run, default 60).  Logs go to $BUILD_DIR/nvidia-check/.
# NVIDIA_CHECK_SKIP_GPU_CHECK=1 skips step 1: only for testing this script on a stand-in driver.
# Exit status: 0 all passed, 1 something failed, 2 no Nvidia GPU or a missing tool (nothing was run).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-nvidia}
case "$build" in /*) ;; *) build=$root/$build ;; esac
jobs=${JOBS:-$(nproc)}
conformance_timeout=${CONFORMANCE_TIMEOUT:-300}
sample_timeout=${SAMPLE_TIMEOUT:-60}
start=$(date +%s)

say() { printf '%s\n' "nvidia_check: $*"; }
stop() {  # stop <status> <message>
  printf '%s\n' "nvidia_check: FAIL: $2" >&2
  exit "$1"
}

# ---- 1. An Nvidia GPU and its driver, before anything is built. ----
gpus=""
if [ "${NVIDIA_CHECK_SKIP_GPU_CHECK:-0}" = 1 ]; then
  # Only for testing this script without a GPU, with CUPORT_CUDA_DRIVER naming a stand-in driver
  # (tests/cuda/fake_libcuda.cpp): its kernels do not run, so the suite and the samples fail.
  gpus="(not checked: NVIDIA_CHECK_SKIP_GPU_CHECK=1, CUPORT_CUDA_DRIVER=${CUPORT_CUDA_DRIVER:-})"
elif command -v nvidia-smi > /dev/null 2>&1; then
  gpus=$(nvidia-smi -L 2>&1 | grep '^GPU ' || true)
  [ -n "$gpus" ] || stop 2 "no Nvidia GPU: nvidia-smi lists none ($(nvidia-smi -L 2>&1 | head -1))"
else
  have_dev=""
  for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && { have_dev=$d; break; }; done
  have_lib=$( (ldconfig -p 2> /dev/null || true) | grep -m1 'libcuda\.so\.1' || true)
  if [ -z "$have_dev" ] || [ -z "$have_lib" ]; then
    stop 2 "no Nvidia GPU on this machine: nvidia-smi is not installed, $([ -n "$have_dev" ] && echo "/dev/nvidia0 is there" || echo "there is no /dev/nvidia0"), and $([ -n "$have_lib" ] && echo "libcuda.so.1 is installed" || echo "no libcuda.so.1 (the Nvidia driver) is installed"). This script needs an Nvidia GPU and its driver."
  fi
  gpus="$have_dev (nvidia-smi not installed)"
fi
say "GPU(s): $(echo "$gpus" | tr '\n' ';' | sed 's/;$//')"

nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
  for c in "$(command -v nvcc 2> /dev/null)" "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    [ -n "$c" ] && [ -x "$c" ] && { nvcc=$c; break; }
  done
fi
if [ -n "$nvcc" ]; then
  say "nvcc: $nvcc ($("$nvcc" --version 2>&1 | grep -o 'release [0-9.]*' | head -1))"
else
  say "no nvcc found (PATH, \$NVCC, \$CUDA_HOME/bin, /usr/local/cuda/bin): the nvcc column will be n/a"
fi

# ---- 2. Tools, then the build. ----
missing=()
command -v cmake > /dev/null || missing+=(cmake)
command -v ninja > /dev/null || missing+=(ninja-build)
{ command -v clang-15 > /dev/null || [ -x /usr/lib/llvm-15/bin/clang ]; } || missing+=(clang-15)
[ -f /usr/lib/llvm-15/lib/cmake/llvm/LLVMConfig.cmake ] || missing+=(llvm-15-dev)
{ [ -f /usr/include/gtest/gtest.h ] || [ -f /usr/local/include/gtest/gtest.h ]; } || missing+=(libgtest-dev)
if [ ${#missing[@]} -gt 0 ]; then
  say "missing ${missing[*]}: trying scripts/setup.sh"
  bash "$root/scripts/setup.sh" > /tmp/nvidia_check_setup.log 2>&1 ||
    stop 2 "cannot build cuport: missing ${missing[*]}, and scripts/setup.sh failed (see /tmp/nvidia_check_setup.log; it needs apt and a reachable package mirror)"
fi

logs=$build/nvidia-check
mkdir -p "$logs" || stop 2 "cannot create $logs"
say "building cuport (Release, -j$jobs) in $build"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > "$logs/configure.log" 2>&1 ||
    { tail -20 "$logs/configure.log"; stop 1 "cmake failed (log: $logs/configure.log)"; }
fi
targets=(cuport-cc cuport cuport-info cuport-backend-cpu cuport-backend-cuda cuport-conformance vectorAdd matrixMul
         reduction)
t0=$(date +%s)
cmake --build "$build" -j "$jobs" --target "${targets[@]}" > "$logs/build.log" 2>&1 ||
  { grep -E 'error|FAILED' "$logs/build.log" | head -20; stop 1 "the build failed (log: $logs/build.log)"; }
say "built in $(( $(date +%s) - t0 )) s"

# The cuda backend must see the GPU (else its reason, e.g. a driver that is too old).
backend=$(CUPORT_BACKEND=cuda "$build/bin/cuport-info" 2>&1 | grep '^Backend cuda:')
say "$backend"
case "$backend" in
  *": loaded"*) ;;
  *) stop 1 "the cuda backend has no device: $backend" ;;
esac
CUPORT_BACKEND=cuda "$build/bin/cuport-info" > "$logs/cuport-info.txt" 2>&1
grep -E '^Device [0-9]+:|Compute capability' "$logs/cuport-info.txt" | sed 's/^ */  /'

status=0

# ---- 3. The conformance suite on cuda. ----
say "conformance suite on cuda (timeout ${conformance_timeout} s)"
t0=$(date +%s)
CUPORT_BACKEND=cuda timeout -k 10 "$conformance_timeout" "$build/bin/cuport-conformance" \
  --gtest_filter='*/cuda' --gtest_color=no > "$logs/conformance.log" 2>&1
rc=$?
count() { grep -E "^\[  $1 *\] [0-9]+ test" "$logs/conformance.log" | tail -1 | grep -oE '[0-9]+' | head -1; }
passed=$(count PASSED) skipped=$(count SKIPPED) failed=$(count FAILED)
ran=$(grep -E '^\[==========\] [0-9]+ tests? from .* ran' "$logs/conformance.log" | grep -oE '[0-9]+' | head -1)
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  last=$(grep '^\[ RUN      \]' "$logs/conformance.log" | tail -1 | sed 's/^\[ RUN      \] //')
  say "conformance: TIMEOUT after ${conformance_timeout} s, in $last (log: $logs/conformance.log)"
  status=1
elif [ -z "$ran" ]; then
  tail -5 "$logs/conformance.log"
  say "conformance: did not finish (exit status $rc; log: $logs/conformance.log)"
  status=1
else
  say "conformance: ${ran} run: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped ($(( $(date +%s) - t0 )) s)"
  grep -E '^\[  FAILED  \] .*/cuda' "$logs/conformance.log" | sed 's/, where GetParam.*//; s/^/  /' | sort -u
  grep -E '^\[  SKIPPED \] .*/cuda' "$logs/conformance.log" | head -20 | sed 's/^/  /'
  [ "${failed:-0}" -eq 0 ] || status=1
fi

# ---- 4. The samples: cuport-cc on cuda vs nvcc -O3. ----
nvcc_dir=$logs/nvcc
mkdir -p "$nvcc_dir"
nvcc_arch=()
if [ -n "$nvcc" ]; then
  # -arch=native (CUDA 11.5+) compiles SASS for the GPU here; an older nvcc uses its default.
  echo '__global__ void k() {} int main() { return 0; }' > "$nvcc_dir/probe.cu"
  "$nvcc" -arch=native -o "$nvcc_dir/probe" "$nvcc_dir/probe.cu" > /dev/null 2>&1 && nvcc_arch=(-arch=native)
fi

# run_best <log> <binary> [env...]: runs the binary 3 times; prints "<PASS|FAIL> <best seconds>".
run_best() {
  local log=$1 bin=$2 best="" verdict=PASS
  shift 2
  : > "$log"
  for _ in 1 2 3; do
    local t_start t_end out
    t_start=$(date +%s%N)
    out=$(env "$@" timeout -k 5 "$sample_timeout" "$bin" 2>&1)
    local rc=$?
    t_end=$(date +%s%N)
    printf '%s\n' "$out" >> "$log"
    if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q PASS || printf '%s\n' "$out" | grep -q FAIL; then
      verdict=FAIL
    fi
    local secs
    secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    if [ -z "$best" ] || awk -v x="$secs" -v y="$best" 'BEGIN { exit !(x < y) }'; then best=$secs; fi
  done
  echo "$verdict $best"
}

say "samples, best of 3 wall times (whole programs: context creation included, and for cuport the PTX JIT, which the driver caches after the first run)"
printf '  %-10s  %-22s  %-22s  %s\n' sample "cuport-cc on cuda" "nvcc -O3" "time cuport/nvcc"
for src in "$root"/samples/*.cu; do
  s=$(basename "$src" .cu)
  read -r c_verdict c_time < <(run_best "$logs/$s.cuport.log" "$build/bin/$s" CUPORT_BACKEND=cuda)
  [ "$c_verdict" = PASS ] || status=1
  n_verdict=n/a n_time="" ratio=n/a
  if [ -n "$nvcc" ]; then
    if "$nvcc" -O3 "${nvcc_arch[@]}" -o "$nvcc_dir/$s" "$src" > "$logs/$s.nvcc-build.log" 2>&1; then
      read -r n_verdict n_time < <(run_best "$logs/$s.nvcc.log" "$nvcc_dir/$s")
      [ "$n_verdict" = PASS ] || status=1
      ratio=$(awk -v c="$c_time" -v n="$n_time" 'BEGIN { if (n > 0) printf "%.2fx", c / n; else print "n/a" }')
    else
      n_verdict="BUILD-FAIL"
      status=1
    fi
  fi
  printf '  %-10s  %-22s  %-22s  %s\n' "$s" "$c_verdict ${c_time:+${c_time}s}" "$n_verdict ${n_time:+${n_time}s}" "$ratio"
  grep -m1 "$s:" "$logs/$s.cuport.log" | sed 's/^/      cuport: /'
  [ -f "$logs/$s.nvcc.log" ] && grep -m1 "$s:" "$logs/$s.nvcc.log" | sed 's/^/      nvcc:   /'
done

say "done in $(( $(date +%s) - start )) s; logs in $logs; $([ $status -eq 0 ] && echo "all PASS" || echo "FAILURES above")"
exit $status
