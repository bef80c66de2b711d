# Sourced by the run.sh of the backends tested over a fake vendor runtime (tests/hip/run.sh, tests/cuda/run.sh)
# once they have set $backend (hip, cuda), $build (the build directory) and $prog (their fake_*_test program).
# Sets $info (cuport-info) and $work (a temporary directory, removed at exit), and defines the checks the
# cases share: each prints PASS, or a FAIL line and exits 1.
info="$build/bin/cuport-info"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect_info <regex> [env...]: cuport-info's "Backend <backend>:" line must match.
expect_info() {
  local want=$1
  shift
  local line
  line=$(env "$@" CUPORT_BACKEND="$backend" "$info" 2>&1 | grep "^Backend $backend:")
  echo "$line"
  if echo "$line" | grep -Eq -- "$want"; then echo PASS; else echo "FAIL: expected /$want/"; exit 1; fi
}

# info_report [env...]: cuport-info's whole report (shown, and kept in $work/info.txt for expect_lines).
info_report() {
  env "$@" CUPORT_BACKEND="$backend" "$info" > "$work/info.txt" 2>&1
  cat "$work/info.txt"
}

# expect_lines <regex>...: info_report's report must have a line matching each (extended) regex.
expect_lines() {
  local want
  for want in "$@"; do
    grep -Eq -- "$want" "$work/info.txt" || { echo "FAIL: no line matches /$want/"; exit 1; }
  done
  echo PASS
}

# negative_control [env...]: the program's memory test, with the fake corrupting every device-to-host copy as
# the settings in env ask, must notice and fail.
negative_control() {
  env "$@" CUPORT_BACKEND="$backend" "$prog" memory > "$work/out.txt" 2>&1
  local rc=$?
  cat "$work/out.txt"
  if [ $rc -ne 0 ] && grep -q "FAIL: .*check(s) failed" "$work/out.txt"; then
    echo "the test noticed the corrupted copies: PASS"
  else
    echo "FAIL: corrupted copies went unnoticed"; exit 1
  fi
}

# skip_without_image <target> <message>: prints "SKIP: <message>" and ends the case when cuport-cc put no image
# for <target> into the program.
skip_without_image() {
  if ! grep -aq "$1" "$prog"; then
    echo "SKIP: $2"
    exit 0
  fi
}
