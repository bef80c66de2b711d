#!/usr/bin/env bash
# Thread-safety check of the runtime and the CPU backend under ThreadSanitizer: builds libcuport and the
# CPU backend with -fsanitize=thread into $BUILD_DIR (default build-tsan), then runs the stress program
# (tests/programs/stress_threads.cu: 8 host threads x 4 streams, mixed asynchronous work) built with TSan.
# Not part of `make test` (a second full build); run it by hand or in a separate CI job:
#   bash scripts/tsan.sh [rounds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-tsan}
rounds=${1:-2000}
bash "$root/scripts/setup.sh"
# Clang for everything: the programs cuport-cc links carry Clang's TSan runtime, so the libraries must be
# instrumented for the same one (GCC's libtsan in the same process crashes).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 \
  -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
  "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread -shared-libsan" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -shared-libsan" > /dev/null
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target cuport-cc cuport cuport-backend-cpu cuport-cpu-devrt
# The shared TSan runtime that every instrumented library and the program use.
export LD_LIBRARY_PATH="$(clang-15 -print-resource-dir)/lib/linux${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/bin/cuport-cc" -O1 -g -Xcompiler -fsanitize=thread,-shared-libsan -o "$out/stress" \
  "$root/tests/programs/stress_threads.cu"
# Fault containment's signal handlers are left to TSan, which intercepts the same signals.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" CUPORT_CPU_CATCH_FAULTS=0 \
  CUPORT_BACKEND=cpu "$out/stress" "$rounds"
