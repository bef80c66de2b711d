#!/usr/bin/env bash
# The demo: compiles every sample in samples/ with the build tree's cuport-cc, exactly as a user would
# (cuport-cc -O2 -o prog prog.cu), runs it on the CPU backend and prints PASS/FAIL per sample; then runs the
# same binaries on the OpenCL backend when this machine has an OpenCL device (PoCL, from scripts/setup.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out="$build/demo"
mkdir -p "$out"
pass=0 fail=0
for src in "$root"/samples/*.cu; do
  name=$(basename "$src" .cu)
  if ! "$build/bin/cuport-cc" -O2 -o "$out/$name" "$src"; then
    printf '%-12s FAIL (compile)\n' "$name"; fail=$((fail + 1)); continue
  fi
  log=$(CUPORT_BACKEND=cpu "$out/$name" 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -q PASS <<<"$log"; then
    printf '%-12s PASS  %s\n' "$name" "$(grep PASS <<<"$log" | tail -1)"; pass=$((pass + 1))
  else
    printf '%-12s FAIL (exit %d)\n%s\n' "$name" "$rc" "$log"; fail=$((fail + 1))
  fi
done
if CUPORT_BACKEND=opencl "$build/bin/cuport-info" 2>/dev/null | grep -q "^Backend opencl: loaded"; then
  echo "the same binaries with CUPORT_BACKEND=opencl:"
  for src in "$root"/samples/*.cu; do
    name=$(basename "$src" .cu)
    [ -x "$out/$name" ] || continue
    log=$(CUPORT_BACKEND=opencl "$out/$name" 2>&1); rc=$?
    if [ $rc -eq 0 ] && grep -q PASS <<<"$log"; then
      printf '%-12s PASS  %s\n' "$name" "$(grep PASS <<<"$log" | tail -1)"; pass=$((pass + 1))
    else
      printf '%-12s FAIL (exit %d)\n%s\n' "$name" "$rc" "$log"; fail=$((fail + 1))
    fi
  done
fi
echo "demo: $pass passed, $fail failed"
[ $fail -eq 0 ]
