#!/usr/bin/env bash
# libFuzzer targets (tests/fuzz/*_fuzz.cpp), built with clang-15 and AddressSanitizer + UBSan:
#   fat-binary container and manifest reader, cuport-cc's command-line parser, the HIP backend's
#   offload-bundle reader, launch-configuration checks.
# Usage: scripts/fuzz.sh [seconds per target | --seeds]
#   --seeds   runs every seed of tests/fuzz/corpus once (a fast regression check; ctest runs this)
#   N         fuzzes each target for N seconds (default 60), growing a work corpus in $BUILD_DIR/fuzz
# Exits non-zero if any target crashes; the crashing input is left in $BUILD_DIR/fuzz/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
mode=${1:-60}
out="$build/fuzz"
mkdir -p "$out"
cxx=${CUPORT_CLANGXX:-clang++-15}
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/runtime" -I"$root/include" -I"$root/compiler/tools/cuport-cc" -I"$root/backends/hip")
declare -A sources=(
  [fatbin]="$root/tests/fuzz/fatbin_fuzz.cpp $root/runtime/fatbin.cpp"
  [options]="$root/tests/fuzz/options_fuzz.cpp $root/compiler/tools/cuport-cc/Options.cpp"
  [offload_bundle]="$root/tests/fuzz/offload_bundle_fuzz.cpp $root/backends/hip/offload_bundle.cpp"
  [launch_config]="$root/tests/fuzz/launch_config_fuzz.cpp $root/runtime/launch_config.cpp"
)
status=0
for t in fatbin options offload_bundle launch_config; do
  bin="$out/${t}_fuzz"
  # shellcheck disable=SC2086
  "$cxx" "${flags[@]}" ${sources[$t]} -o "$bin"
  seeds="$root/tests/fuzz/corpus/$t"
  if [ "$mode" = "--seeds" ]; then
    if "$bin" -runs=0 "$seeds" > "$out/$t.log" 2>&1; then
      echo "fuzz $t: $(ls "$seeds" | wc -l) seeds: PASS"
    else
      tail -30 "$out/$t.log"; echo "fuzz $t: FAIL"; status=1
    fi
    continue
  fi
  work="$out/$t"
  mkdir -p "$work/corpus"
  if (cd "$work" && "$bin" -max_total_time="$mode" -print_final_stats=1 corpus "$seeds" > "../$t.log" 2>&1); then
    execs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$out/$t.log" | grep -o "[0-9]*$" || echo "?")
    echo "fuzz $t: ${mode}s, $execs inputs, corpus $(ls "$work/corpus" | wc -l) files: no crash"
  else
    tail -40 "$out/$t.log"; echo "fuzz $t: CRASH (input in $work)"; status=1
  fi
done
exit $status
