#!/usr/bin/env bash
# The runtime and the backends under AddressSanitizer + UndefinedBehaviorSanitizer: builds libcuport and
# the backend plugins instrumented into $ASAN_BUILD_DIR (default build-asan), then runs the regular build's
# test programs (conformance suite on every available backend, runtime end-to-end tests, the samples) against
# them: LD_LIBRARY_PATH selects the instrumented libraries, LD_PRELOAD the shared ASan runtime.  Any ASan
# report or UBSan "runtime error" fails the run.  Not part of `make test` (a second build); run it by hand:
#   bash scripts/asan.sh [gtest filter]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
asan=${ASAN_BUILD_DIR:-$root/build-asan}
filter=${1:-*}
bash "$root/scripts/setup.sh"
BUILD_DIR="$build" bash "$root/scripts/build.sh" > /dev/null
flags="-fsanitize=address,undefined -shared-libasan -fno-omit-frame-pointer"
cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUPORT_SANITIZER_BUILD=ON \
  -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" > /dev/null
targets=(cuport cuport-backend-cpu)
grep -q "cuport-backend-opencl" "$asan/build.ninja" && targets+=(cuport-backend-opencl)
grep -q "cuport-backend-hip" "$asan/build.ninja" && targets+=(cuport-backend-hip)
grep -q "cuport-backend-cuda" "$asan/build.ninja" && targets+=(cuport-backend-cuda)
cmake --build "$asan" -j "${JOBS:-$(nproc)}" --target "${targets[@]}"
runtime=$(clang-15 -print-file-name=libclang_rt.asan-x86_64.so)
log=$(mktemp)
trap 'rm -f "$log" "$log.hip" "$log.cuda"' EXIT
run() {
  # Kernel faults are contained by the CPU backend's own signal handlers (FaultTest), on its own alternate
  # signal stacks: leave both to it (ASan's per-thread sigaltstack clashes with them at thread exit).
  # The out-of-memory tests ask for absurd sizes: cudaMalloc must fail, not ASan abort.
  LD_PRELOAD="$runtime" LD_LIBRARY_PATH="$asan/lib" \
    ASAN_OPTIONS="handle_segv=0:handle_sigbus=0:handle_sigfpe=0:use_sigaltstack=0:detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
    UBSAN_OPTIONS="print_stacktrace=1" "$@" >> "$log" 2>&1
}
status=0
run "$build/bin/cuport-conformance" --gtest_filter="$filter" || status=1
for t in cuport-runtime-unit-tests cuport-runtime-e2e-tests; do
  [ -x "$build/bin/$t" ] && { run "$build/bin/$t" || status=1; }
done
[ -x "$build/bin/cuport-opencl-runtime-tests" ] &&
  { CUPORT_BACKEND=opencl run "$build/bin/cuport-opencl-runtime-tests" || status=1; }
# The HIP plugin on the fake HIP runtime (tests/hip), which needs no AMD GPU.
[ -x "$build/bin/cuport-fake-hip-test" ] && [ -f "$asan/lib/libcuport-backend-hip.so" ] &&
  { CUPORT_BACKEND=hip CUPORT_HIP_LIBRARY="$build/tests/hip/libcuport-fake-amdhip64.so" FAKE_HIP_LOG="$log.hip" \
      run "$build/bin/cuport-fake-hip-test" all || status=1; }
# The CUDA plugin on the fake CUDA driver (tests/cuda), which needs no Nvidia GPU.
[ -x "$build/bin/cuport-fake-cuda-test" ] && [ -f "$asan/lib/libcuport-backend-cuda.so" ] &&
  { CUPORT_BACKEND=cuda CUPORT_CUDA_DRIVER="$build/tests/cuda/libcuport-fake-cuda.so" FAKE_CUDA_LOG="$log.cuda" \
      run "$build/bin/cuport-fake-cuda-test" all || status=1; }
for s in vectorAdd matrixMul reduction; do
  [ -x "$build/bin/$s" ] && { CUPORT_BACKEND=all run "$build/bin/$s" || status=1; }
done
if grep -q "ERROR: AddressSanitizer\|runtime error:" "$log"; then
  grep -m5 -A20 "ERROR: AddressSanitizer\|runtime error:" "$log"
  status=1
fi
grep -E "^\[  PASSED  \]|^\[  FAILED  \] [0-9]|PASS$" "$log" | sort | uniq -c
[ $status -eq 0 ] && echo "asan+ubsan: clean" || echo "asan+ubsan: FAIL"
exit $status
