#!/usr/bin/env bash
# make bench: builds the benchmark suite (benchmarks/suite) and prints one table: each kernel's median time
# as CUDA on cuport (CPU backend), as OpenCL C on PoCL (the best of its work-group methods) and as OpenMP
# C++, the speed ratios and their geometric means, STREAM-triad bandwidth, launch latency, cudaMemcpy
# against memcpy, and cuport-cc's compile time against nvcc's.
#   bash scripts/bench.sh [--quick] [bench_suite options, e.g. --reps=9 --kernels=triad,matmul]
# PoCL reads POCL_WORK_GROUP_METHOD once, at start-up, so each method runs in its own process first (its
# medians go to a file); the last process runs cuport and OpenMP interleaved and prints the table.
# The table is also left in $BUILD_DIR/bench/table.txt, each PoCL run's log next to it.
# Exits non-zero only when versions disagree (MISMATCH) or something fails to build or run, never on a time.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} || exit 1
fi
cmake --build "$build" -j "$jobs" --target bench_suite cuport-cc || exit 1
bin="$build/bin/bench_suite"
out="$build/bench"
mkdir -p "$out"
status=0

load="load average (1, 5, 15 min) before the benchmark: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: build $build ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")), $load"
if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
  load+=" -- busy: the times are noisy"
  echo "bench: warning: the machine is busy; the times will be noisy"
fi

# PoCL, one process per work-group method.  PoCL 3.1 knows loopvec (its default), workitemloops and
# workitemrepl; each gets its own kernel cache, so that no method reuses another's compiled kernels.
pocl=()
for method in loopvec workitemloops workitemrepl; do
  echo "bench: OpenCL C on PoCL, POCL_WORK_GROUP_METHOD=$method"
  rm -f "$out/pocl-$method.txt"
  POCL_WORK_GROUP_METHOD=$method POCL_CACHE_DIR="$out/pocl-cache-$method" \
    "$bin" --only=opencl --emit="$out/pocl-$method.txt" "$@" >"$out/pocl-$method.log" 2>&1
  rc=$?
  if grep -q "OpenCL version skipped" "$out/pocl-$method.log"; then
    echo "bench: $(grep -m1 'OpenCL version skipped' "$out/pocl-$method.log"): no PoCL column"
    pocl=()
    break
  fi
  grep MISMATCH "$out/pocl-$method.log"
  if [ $rc -ne 0 ]; then
    echo "bench: PoCL run with $method exited with $rc (log: $out/pocl-$method.log)"
    status=1
  fi
  pocl+=("--pocl=$method:$out/pocl-$method.txt")
done

# Compile time of a sample: cuport-cc against nvcc, same file, same flags, median of 3, alternating.
sample="$root/samples/matrixMul.cu"
nvcc=$(command -v nvcc || ls /usr/local/cuda*/bin/nvcc 2>/dev/null | head -1)
ms_of() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed"; return; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median3() { if [[ " $* " == *" failed "* ]]; then echo failed; else printf '%s\n' "$@" | sort -n | sed -n 2p; fi; }
cc_times=() nv_times=()
for _ in 1 2 3; do
  cc_times+=("$(ms_of "$build/bin/cuport-cc" -c "$sample" -o "$out/matrixMul.cuport.o")")
  [ -n "$nvcc" ] && nv_times+=("$(ms_of "$nvcc" -c "$sample" -o "$out/matrixMul.nvcc.o")")
done
cc_ms=$(median3 "${cc_times[@]}")
compile=("--compile=cuport-cc -c matrixMul.cu=$cc_ms")
if [ -n "$nvcc" ]; then
  nv_ms=$(median3 "${nv_times[@]}")
  compile+=("--compile=nvcc $($nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p') -c matrixMul.cu=$nv_ms")
  [[ $cc_ms =~ ^[0-9]+$ && $nv_ms =~ ^[0-9]+$ ]] &&
    compile+=("--compile=cuport-cc speed (nvcc time / cuport-cc time)=$(awk -v a="$nv_ms" -v b="$cc_ms" 'BEGIN { printf "%.2fx", a / b }')")
else
  compile+=("--compile=nvcc=not installed: row skipped")
fi

"$bin" --only=cuda,openmp "${pocl[@]}" "${compile[@]}" --note="$load" "$@" | tee "$out/table.txt" || status=1
echo "bench: load average after (this benchmark's own load included): $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
