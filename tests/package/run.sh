#!/usr/bin/env bash
# Installs this build into a temporary prefix (with no build tree in the way) and builds outside projects
# against it: one with find_package(cuport) (static and shared libraries of .cu files, an executable), one
# host-only program with pkg-config's flags, and a vendor backend built out of tree (backend/) that a CUDA
# program then runs on.  run.sh <build-dir> <source-dir>
set -eu
build=$1 src=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > /dev/null
cmake -S "$here/project" -B "$work/consumer" -Dcuport_DIR="$work/prefix/lib/cmake/cuport" > "$work/configure.log" ||
  { cat "$work/configure.log"; echo FAIL; exit 1; }
cmake --build "$work/consumer" > "$work/build.log" || { cat "$work/build.log"; echo FAIL; exit 1; }
CUPORT_BACKEND=cpu "$work/consumer/consumer"
cmake -S "$here/backend" -B "$work/backend" -Dcuport_DIR="$work/prefix/lib/cmake/cuport" > "$work/backend.log" &&
  cmake --build "$work/backend" >> "$work/backend.log" || { cat "$work/backend.log"; echo FAIL; exit 1; }
CUPORT_BACKEND=mini CUPORT_BACKEND_PATH="$work/backend/cuport-backends" "$work/backend/use_mini" ||
  { echo "FAIL: the out-of-tree backend"; exit 1; }
if command -v pkg-config > /dev/null; then
  export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
  c++ "$here/project/host_only.cpp" $(pkg-config --cflags --libs cuport) -o "$work/host_only"
  CUPORT_BACKEND=cpu "$work/host_only"
else
  echo "pkg-config not installed: pkg-config consumer not built"
fi
