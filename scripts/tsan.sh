#!/usr/bin/env bash
# Thread-safety check of the runtime and the CPU backend under ThreadSanitizer: builds libcuport and the
# CPU backend with -fsanitize=thread into $TSAN_BUILD_DIR (default build-tsan), compiles the stress program
# (tests/programs/stress_threads.cu: 8 host threads x 4 streams, mixed asynchronous work) with the regular
# build's cuport-cc (host code instrumented), links it against the instrumented runtime and runs it.
# Then the conformance suite on the CPU backend, built the same way (all but FaultTest, whose kernels
# fault on purpose while TSan owns the signals).
# Not part of `make test` (a second build); run it by hand or in a separate CI job:
#   bash scripts/tsan.sh [rounds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
tsan=${TSAN_BUILD_DIR:-$root/build-tsan}
rounds=${1:-2000}
bash "$root/scripts/setup.sh"
BUILD_DIR="$build" bash "$root/scripts/build.sh" > /dev/null
# Clang throughout: the instrumented libraries take the TSan runtime from the program (Clang links it
# statically into executables), so they are built with undefined symbols allowed.
cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUPORT_SANITIZER_BUILD=ON \
  -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 \
  -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
  -DCMAKE_SHARED_LINKER_FLAGS= -DCMAKE_MODULE_LINKER_FLAGS= > /dev/null
cmake --build "$tsan" -j "${JOBS:-$(nproc)}" --target cuport cuport-backend-cpu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/bin/cuport-cc" -O1 -g -Xcompiler -fsanitize=thread -c "$root/tests/programs/stress_threads.cu" -o "$out/stress.o"
clang++-15 -fsanitize=thread -rdynamic "$out/stress.o" -L"$tsan/lib" -Wl,-rpath,"$tsan/lib" -lcuport \
  -o "$out/stress"
# Fault containment's signal handlers are left to TSan, which intercepts the same signals.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" CUPORT_CPU_CATCH_FAULTS=0 \
  CUPORT_BACKEND=cpu "$out/stress" "$rounds"

# The conformance suite on the CPU backend, host code instrumented too.  FaultTest is left out: its kernels
# fault on purpose, and under TSan fault containment is off (TSan owns those signals).
conf="$root/tests/conformance"
objs=()
for src in "$conf"/*.cu "$conf"/cuport_test.cpp; do
  o="$out/$(basename "$src").o"
  "$build/bin/cuport-cc" -O1 -g -Xcompiler -fsanitize=thread -I"$conf" \
    -DCUPORT_KNOWN_FAILURES_FILE="\"$conf/known-failures.txt\"" -c "$src" -o "$o"
  objs+=("$o")
done
clang++-15 -fsanitize=thread -rdynamic "${objs[@]}" -L"$tsan/lib" -Wl,-rpath,"$tsan/lib" -lcuport -lgtest -lpthread \
  -o "$out/conformance"
# allocator_may_return_null: ErrorTest.OutOfMemoryIsReported asks for more memory than exists, expecting
# cudaErrorMemoryAllocation, which TSan's allocator would otherwise turn into a report.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 allocator_may_return_null=1 ${TSAN_OPTIONS:-}" \
  CUPORT_CPU_CATCH_FAULTS=0 CUPORT_BACKEND=cpu "$out/conformance" --gtest_filter='*/cpu:-*FaultTest*' --gtest_brief=1
echo "tsan: stress program and conformance suite (cpu) clean"
