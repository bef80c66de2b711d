#!/usr/bin/env bash
# cuport-cc answers the way nvcc does where build systems look: --version, -v's environment lines, the
# macros a .cu file sees, options files, flags forwarded to the host compiler and linker, and the CUDA
# runtime's library names.  nvcc_flags.sh <build-dir>
set -u
build=$1
cc="$build/bin/cuport-cc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
check() { # description, command...
  local what=$1; shift
  if "$@" > out.txt 2>&1; then echo "ok: $what"; else echo "FAIL: $what"; cat out.txt; fails=$((fails + 1)); fi
}

# --version: the vendor line CMake matches, and the CUDA version cuport implements.
"$cc" --version > version.txt
check "--version has nvcc's vendor line" grep -q "nvcc: NVIDIA (R) Cuda compiler driver" version.txt
check "--version says it is cuport" grep -q "cuport" version.txt
check "--version gives release 12.0, V12.0.0" grep -q "release 12.0, V12.0.0" version.txt

# -v prints nvcc's environment lines, with the prefix's real directories.
"$cc" -v __probe__ > v.txt 2>&1
top=$(sed -n 's/^#\$ TOP=//p' v.txt)
check "-v prints TOP, a directory with bin/cuport-cc" test -x "$top/bin/cuport-cc"
inc=$(sed -n 's/^#\$ INCLUDES=-I//p' v.txt)
check "-v prints INCLUDES, the directory of cuda_runtime.h" test -f "$inc/cuda_runtime.h"
libs=$(sed -n 's/^#\$ LIBRARIES=-L\([^ ]*\) .*/\1/p' v.txt)
check "-v prints LIBRARIES, the directory of libcudart.so" test -e "$libs/libcudart.so"
check "-v names the PTX image's virtual architecture" grep -q -- "-arch compute_70" v.txt

# The macros of a .cu file: those nvcc defines, and not __NVCC__ (cuport is Clang's CUDA dialect).
cat > macros.cu <<'CU'
#ifndef __CUDACC__
#error "__CUDACC__ is not defined"
#endif
#if __CUDACC_VER_MAJOR__ != 12 || __CUDACC_VER_MINOR__ != 0
#error "__CUDACC_VER_MAJOR__/MINOR__ are not 12.0"
#endif
#ifdef __NVCC__
#error "__NVCC__ is defined"
#endif
#ifndef FROM_OPTIONS_FILE
#error "the options file was not read"
#endif
#ifdef __CUDACC_RDC__
#error "__CUDACC_RDC__ without -rdc"
#endif
__global__ void k(int* x) { x[0] = FROM_OPTIONS_FILE; }
int main() { return 0; }
CU
printf -- '-DFROM_OPTIONS_FILE=7 "-DSPACED=a b"\n' > opts.txt
check "__CUDACC__ and __CUDACC_VER_* defined, __NVCC__ not; --options-file read" "$cc" --options-file opts.txt -c macros.cu -o m.o
check "@file (GCC-style response file) read" "$cc" @opts.txt -c macros.cu -o m2.o
if timeout 20 "$cc" @/dev/zero -c macros.cu -o z.o > out.txt 2>&1; then
  echo "FAIL: @/dev/zero was accepted"; fails=$((fails + 1))
elif grep -q "cannot read '/dev/zero' (it must be a regular file" out.txt; then
  echo "ok: @/dev/zero is an error, not an endless read"
else
  echo "FAIL: @/dev/zero"; cat out.txt; fails=$((fails + 1))
fi
printf '#ifndef __CUDACC_RDC__\n#error no rdc macro\n#endif\n__global__ void k() {}\n' > rdc.cu
check "__CUDACC_RDC__ with -rdc=true" "$cc" -rdc=true -c rdc.cu -o r.o

# Unknown flags are errors, unless -forward-unknown-to-host-compiler (which CMake passes) forwards them.
if "$cc" -fno-omit-frame-pointer -c macros.cu -DFROM_OPTIONS_FILE=1 -o u.o > out.txt 2>&1; then
  echo "FAIL: an unknown flag was accepted without -forward-unknown-to-host-compiler"; fails=$((fails + 1))
else
  echo "ok: an unknown flag is an error by default"
fi
check "-forward-unknown-to-host-compiler forwards an unknown flag" \
  "$cc" -forward-unknown-to-host-compiler -fno-omit-frame-pointer -c macros.cu -DFROM_OPTIONS_FILE=1 -o u.o
check "-Werror all-warnings takes its value" "$cc" -Werror all-warnings -c macros.cu -DFROM_OPTIONS_FILE=1 -o w.o

# cuport's --cpu-vector-width takes 128, 256 or 512 bits; anything else is an error that names it.
check "--cpu-vector-width=256 accepted" "$cc" --cpu-vector-width=256 -c macros.cu -DFROM_OPTIONS_FILE=1 -o vw.o
if "$cc" --cpu-vector-width=300 -c macros.cu -DFROM_OPTIONS_FILE=1 -o vw2.o > out.txt 2>&1; then
  echo "FAIL: --cpu-vector-width=300 was accepted"; fails=$((fails + 1))
elif grep -q "'--cpu-vector-width=300': expected 128, 256 or 512" out.txt; then
  echo "ok: --cpu-vector-width=300 is an error that names the option"
else
  echo "FAIL: --cpu-vector-width=300"; cat out.txt; fails=$((fails + 1))
fi

# Link flags reach the linker; the CUDA runtime's names link (libcuport), the device runtime is empty.
check "-Wl,-rpath and -Xlinker reach the link" \
  "$cc" m.o -o prog -Wl,-rpath,/cuport/test/one -Xlinker -rpath=/cuport/test/two -lcudart -lcudadevrt
check "the program's run path has both directories" sh -c "readelf -d prog | grep -q '/cuport/test/one.*/cuport/test/two\|/cuport/test/two.*/cuport/test/one'"
printf '#include <cuda_runtime.h>\nint main() { int n = 0; return cudaGetDeviceCount(&n) == cudaSuccess && n > 0 ? 0 : 1; }\n' > host.cpp
check "c++ links host code with -lcudart (libcudart.so -> libcuport.so)" \
  c++ -I"$inc" host.cpp -L"$libs" -Wl,-rpath,"$libs" -lcudart -o host1
check "... and runs" env CUPORT_BACKEND=cpu ./host1
check "c++ links with -lcudart_static -lcudadevrt (the linker script and the empty archive)" \
  c++ -I"$inc" host.cpp -L"$libs" -Wl,-rpath,"$libs" -lcudadevrt -lcudart_static -lrt -lpthread -ldl -o host2
check "... and runs" env CUPORT_BACKEND=cpu ./host2

[ $fails -eq 0 ] && echo "driver flags: PASS" || echo "driver flags: FAIL ($fails)"
