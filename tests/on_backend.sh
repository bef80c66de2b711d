#!/usr/bin/env bash
# Runs a program on one backend:  on_backend.sh <build-dir> <backend> <program> [args...]
# Prints "SKIP: ..." (a ctest skip) when the backend has no device on this machine, else runs the program
# with CUPORT_BACKEND=<backend> and passes its output and exit status through.
set -u
build=$1 backend=$2
shift 2
status=$(CUPORT_BACKEND=$backend "$build/bin/cuport-info" 2>&1 | grep "^Backend $backend:")
case "$status" in
  *": loaded"*) CUPORT_BACKEND=$backend exec "$@" ;;
  *) echo "SKIP: ${status:-backend $backend not built}"; exit 0 ;;
esac
