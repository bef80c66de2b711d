#!/usr/bin/env bash
# CUDA features cuport does not implement are compile errors at the line that uses them, naming the
# feature, and never a crash of the compiler (exit status 1, not a signal).  unsupported.sh <build-dir>
set -u
build=$1
cc="$build/bin/cuport-cc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
expect_error() { # name, source, expected stderr regex (a line of it)
  printf '%s\n' "$2" > "$1.cu"
  "$cc" -c "$1.cu" -o "$1.o" 2> "$1.err"
  local rc=$?
  if [ $rc -ne 1 ]; then
    echo "FAIL: $1: exit status $rc (expected 1: a compile error, not success or a crash)"; cat "$1.err"; fails=$((fails + 1))
  elif ! grep -Eq "$3" "$1.err"; then
    echo "FAIL: $1: no line matching: $3"; cat "$1.err"; fails=$((fails + 1))
  else
    echo "ok: $1: $(grep -E "$3" "$1.err" | head -1)"
  fi
}
expect_error texture-object '__global__ void k(float* o, cudaTextureObject_t t) {
  o[0] = tex1Dfetch<float>(t, 0);
}' "^texture-object.cu:2:[0-9]+: error: .*tex1Dfetch.* is unavailable: textures and surfaces are not supported by cuport"
expect_error texture-host-api 'int main() {
  cudaResourceDesc r = {};
  cudaTextureObject_t t;
  return cudaCreateTextureObject(&t, &r, nullptr, nullptr);
}' "^texture-host-api.cu:2:[0-9]+: error: 'cudaResourceDesc' is unavailable: textures and surfaces are not supported"
expect_error texture-reference 'texture<float, 1, cudaReadModeElementType> ref;' \
  "texture references \(texture<T, dim, mode>\) are not supported by cuport"
expect_error surface '__global__ void k(cudaSurfaceObject_t s) {
  surf2Dwrite(1.0f, s, 0, 0);
}' "^surface.cu:2:[0-9]+: error: .*surf2Dwrite.* is unavailable: textures and surfaces are not supported"
expect_error dynamic-parallelism '__global__ void child(int* x) { *x = 1; }
__global__ void parent(int* x) {
  child<<<1, 1>>>(x);
}' "^dynamic-parallelism.cu:3:[0-9]+: note: launching a kernel from device code \(dynamic parallelism\) is not supported"
expect_error managed-anonymous-namespace 'namespace {
__managed__ int counter;
}
__global__ void k() { counter++; }' \
  "^managed-anonymous-namespace.cu:2: error: __managed__ variables in an anonymous namespace are not supported"
expect_error managed-address-initializer '__device__ int target;
__managed__ int* where = &target;
__global__ void k() { *where = 1; }' \
  "^managed-address-initializer.cu:2: error: the __managed__ variable .where. is initialized with addresses"
expect_error inline-ptx '__global__ void k(int* x) {
  int v;
  asm("mov.u32 %0, %%laneid;" : "=r"(v));
  *x = v;
}' "^inline-ptx.cu:3:[0-9]+: error: inline PTX assembly .* is not supported by cuport"
expect_error grid-sync '#include <cooperative_groups.h>
__global__ void k() {
  cooperative_groups::this_grid().sync();
}' "grid-sync.cu:3.*grid-wide synchronization\) is not supported"

# __grid_constant__ is supported: kernel parameters are already constant copies on every backend.
printf 'struct P { int a[4]; };\n__global__ void k(const __grid_constant__ P p, int* o) { o[0] = p.a[1]; }\n' > gc.cu
if "$cc" -c gc.cu -o gc.o 2> gc.err; then echo "ok: __grid_constant__ compiles"; else
  echo "FAIL: __grid_constant__"; cat gc.err; fails=$((fails + 1)); fi

# Supported constructs that once crashed a code generator: each image must build (LLVM's AMDGPU backend
# aborts on llvm.lrint/llround, so cuport rounds in floating point first).
printf '%s\n' '#include <cmath>' \
  '__global__ void k(long* o, const float* x, const double* y) {' \
  '  o[0] = lrintf(x[0]); o[1] = lround(y[0]); o[2] = llrint(y[1]); o[3] = llroundf(x[1]);' '}' > rounding.cu
if "$cc" -c rounding.cu -o rounding.o > rounding.err 2>&1; then echo "ok: lrint/lround/llrint/llround build for every image"; else
  echo "FAIL: lrint/lround kernels"; head -5 rounding.err; fails=$((fails + 1)); fi

[ $fails -eq 0 ] && echo "unsupported features: PASS" || echo "unsupported features: FAIL ($fails)"
