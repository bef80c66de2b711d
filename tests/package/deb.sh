#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from this build, its metadata and file list checked with dpkg-deb, then
# unpacked into an empty directory (no build tree, no install) where its cuport-cc builds a sample that
# runs on the CPU backend.  deb.sh <build-dir> <source-dir>.  Prints PASS, FAIL or SKIP.
set -u
build=$1 src=$2
command -v dpkg-deb > /dev/null || { echo "SKIP: no dpkg-deb"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" > "$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$work"/out/cuport_*.deb 2> /dev/null | head -1)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL: no .deb written"; exit 1; }
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb --field "$deb" Package Version Architecture Depends
dpkg-deb --contents "$deb" > "$work/contents.txt"
for f in ./opt/cuport/bin/cuport-cc ./opt/cuport/bin/cuport-info ./opt/cuport/lib/libcuport.so \
         ./opt/cuport/lib/libcuport-backend-cpu.so ./opt/cuport/lib/libcuport-cpu-devrt.a \
         ./opt/cuport/include/cuda_runtime.h ./opt/cuport/lib/cmake/cuport/cuportConfig.cmake \
         ./opt/cuport/lib/pkgconfig/cuport.pc; do
  grep -q " $f\$" "$work/contents.txt" || { echo "FAIL: $f is not in the package"; exit 1; }
done
echo "$(wc -l < "$work/contents.txt") entries, the expected files present"
dpkg-deb --extract "$deb" "$work/root"
prefix="$work/root/opt/cuport"
"$prefix/bin/cuport-cc" -O2 -o "$work/vectorAdd" "$src/samples/vectorAdd.cu" || { echo "FAIL: the packaged cuport-cc"; exit 1; }
CUPORT_BACKEND=cpu "$work/vectorAdd" || { echo "FAIL: the sample built by the packaged cuport-cc"; exit 1; }
ldd "$work/vectorAdd" | grep -q "$prefix/lib/libcuport.so" || { echo "FAIL: the sample does not use the packaged libcuport"; ldd "$work/vectorAdd"; exit 1; }
echo "the packaged tree builds and runs samples/vectorAdd.cu: PASS"
