#!/usr/bin/env bash
# Builds and runs one program the way a user would, with the build tree's driver and nothing else:
#   run.sh <build-dir> <case>
# Cases: a program name (tiled_matmul, tree_reduction, ...), "separate" (separate compile and link steps
# with a .cpp), "rdc" (relocatable device code), "printf", "fault", or "error-<name>" (the driver must fail
# with the expected message), or "opencl-<name>" (program <name> compiled once, run on the cpu and opencl
# backends), or "opencl-buffer-<name>" (the same, with the opencl run in buffer mode: CUPORT_OPENCL_SVM=none).
set -u
build=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
cc="$build/bin/cuport-cc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
case "$case" in
  separate)
    "$cc" -O2 -c "$here/separate_kernels.cu" -o k.o &&
    "$cc" -O2 -c "$here/separate_main.cpp" -o m.o &&
    "$cc" k.o m.o -o prog && CUPORT_BACKEND=cpu ./prog ;;
  printf)
    "$cc" -O2 -o prog "$here/device_printf.cu" && CUPORT_BACKEND=cpu ./prog > out.txt || { echo FAIL; exit 1; }
    sort out.txt > got.txt
    cat > expect.txt <<'OUT'
block 0 thread 0:  0.00 str A 7000000000 ff % 1.500000e-07
block 0 thread 1:  0.50 str B 7000000000 100 % 1.500000e-07
block 0 thread 2:  1.00 str C 7000000000 101 % 1.500000e-07
block 1 thread 0:  0.00 str A 7000000000 ff % 1.500000e-07
block 1 thread 1:  0.50 str B 7000000000 100 % 1.500000e-07
block 1 thread 2:  1.00 str C 7000000000 101 % 1.500000e-07
device_printf: done
OUT
    diff expect.txt got.txt && echo PASS || { echo FAIL; exit 1; } ;;
  fault)
    "$cc" -O2 -o prog "$here/fault_containment.cu" && CUPORT_BACKEND=cpu ./prog 2> err.txt
    rc=$?; cat err.txt
    [ $rc -eq 0 ] && grep -q "cuport: kernel divide(int\*, int const\*): arithmetic exception (integer division by zero) .* in block (9, 0, 0), thread unknown; rebuild with --memcheck to see it" err.txt \
      && echo PASS || { echo FAIL; exit 1; } ;;
  fault-fused)
    # A kernel whose blocks' rows run as one (CUPORT_CPU_KERNEL_FUSED_ROWS): the report names the range of
    # blocks that holds the faulting one (block 9), or block 9 alone where the range is one block.
    "$cc" -O2 -o prog "$here/fault_fused.cu" && CUPORT_BACKEND=cpu ./prog 2> err.txt
    rc=$?; cat err.txt
    range=$(grep -o "integer division by zero) .* in one of blocks ([0-9]*-[0-9]*, 0, 0)" err.txt | grep -o "[0-9]*-[0-9]*, 0, 0" | cut -d, -f1)
    if [ -n "$range" ]; then ok=$([ "${range%-*}" -le 9 ] && [ "${range#*-}" -ge 9 ] && echo 1); else
      ok=$(grep -q "integer division by zero) .* in block (9, 0, 0)" err.txt && echo 1); fi
    [ $rc -eq 0 ] && [ "$ok" = 1 ] && echo PASS || { echo FAIL; exit 1; } ;;
  fault-thread)
    # The same fault in an image built with --memcheck (CUPORT_MEMCHECK unset): the report names the thread, from
    # the last checked access, and that access's line.
    "$cc" --memcheck -O2 -o prog "$here/fault_containment.cu" && CUPORT_BACKEND=cpu ./prog 2> err.txt
    rc=$?; cat err.txt
    [ $rc -eq 0 ] && grep -q "cuport: kernel divide(int\*, int const\*): arithmetic exception (integer division by zero) .* in block (9, 0, 0), thread (0, 0, 0) (last checked access at .*fault_containment.cu:8)" err.txt \
      && ! grep -q "=========" err.txt && echo PASS || { echo FAIL; exit 1; } ;;
  memcheck-oob|memcheck-shared|memcheck-uaf|memcheck-misaligned|memcheck-host_ptr)
    # Memcheck (docs/memcheck.md): a planted invalid access, built with --memcheck -O2 and with -G, run with
    # CUPORT_MEMCHECK=1: the report (kind, size, kernel, file:line, thread, block, why), the error the program
    # sees, "ERROR SUMMARY: 1 error" and exit status 1.
    name=memcheck_${case#memcheck-}
    expect() { grep -q -- "$1" err.txt || { echo "FAIL ($flags): no '$1' in the report"; exit 1; }; }
    for flags in "--memcheck -O2" "-G"; do
      "$cc" $flags -o prog "$here/$name.cu" || { echo "FAIL: cuport-cc $flags"; exit 1; }
      CUPORT_BACKEND=cpu CUPORT_MEMCHECK=1 ./prog > out.txt 2> err.txt; rc=$?
      echo "--- $flags: exit status $rc"; cat out.txt err.txt
      [ $rc -eq 1 ] || { echo "FAIL ($flags): exit status $rc, not 1"; exit 1; }
      expect "^========= CUPORT MEMCHECK$"
      expect "^========= ERROR SUMMARY: 1 error$"
      [ "$(grep -c '^========= Invalid' err.txt)" = 1 ] || { echo "FAIL ($flags): not exactly one report"; exit 1; }
      case $name in
        memcheck_oob)
          expect "^========= Invalid __global__ write of size 4 bytes$"
          expect "^=========     at write_past_end(int\*, int) at .*memcheck_oob.cu:9$"
          expect "^=========     by thread (32,0,0) in block (0,0,0)$"
          expect "^=========     Address 0x[0-9a-f]* is out of bounds$"
          expect "^=========     and is 4 bytes after the nearest allocation at 0x[0-9a-f]* of size 128 bytes (cudaMalloc)$"
          grep -q "cudaDeviceSynchronize returned cudaErrorIllegalAddress, then cudaMalloc returned cudaErrorIllegalAddress" out.txt ;;
        memcheck_shared)
          expect "^========= Invalid __shared__ write of size 4 bytes$"
          expect "^=========     at shifted_tile(float\*) at .*memcheck_shared.cu:7$"
          expect "^=========     by thread (63,0,0) in block (1,0,0)$"
          expect "^=========     and is 4 bytes after the block's __shared__ memory at 0x[0-9a-f]* (256 bytes static, 0 bytes dynamic)$"
          grep -q "returned cudaErrorIllegalAddress" out.txt ;;
        memcheck_uaf)
          expect "^========= Invalid __global__ read of size 4 bytes$"
          expect "^=========     at sum(int const\*, int\*, int) at .*memcheck_uaf.cu:7$"
          expect "^=========     by thread (0,0,0) in block (0,0,0)$"
          expect "is in freed memory (use after free)$"
          expect "inside an allocation at 0x[0-9a-f]* of size 256 bytes (cudaMalloc) that was freed$"
          grep -q "returned cudaErrorIllegalAddress" out.txt ;;
        memcheck_misaligned)
          expect "^========= Invalid __global__ write of size 8 bytes$"
          expect "^=========     at fill(double\*, double) at .*memcheck_misaligned.cu:5$"
          expect "^=========     by thread (0,0,0) in block (0,0,0)$"
          expect "^=========     Address 0x[0-9a-f]*4 is misaligned$"
          grep -q "returned cudaErrorMisalignedAddress" out.txt ;;
        memcheck_host_ptr)
          expect "^========= Invalid __global__ read of size 4 bytes$"
          expect "^=========     at twice(int\*) at .*memcheck_host_ptr.cu:7$"
          expect "^=========     by thread (0,0,0) in block (0,0,0)$"
          expect "is host memory, not device memory$"
          expect "(a host pointer passed to a kernel)$"
          grep -q "returned cudaErrorIllegalAddress" out.txt ;;
      esac || { echo "FAIL ($flags): the program did not see the expected error"; exit 1; }
    done
    echo PASS ;;
  memcheck-clean)
    # Valid accesses to every kind of memory give no report, "ERROR SUMMARY: 0 errors" and the program's own exit
    # status; without CUPORT_MEMCHECK the instrumented binary prints nothing of memcheck's; an image built without
    # --memcheck gets a warning; on the OpenCL backend memcheck says that it is CPU-backend only.
    "$cc" --memcheck -O2 -o prog "$here/memcheck_clean.cu" || { echo FAIL; exit 1; }
    CUPORT_BACKEND=cpu CUPORT_MEMCHECK=1 ./prog > out.txt 2> err.txt; rc=$?; cat out.txt err.txt
    [ $rc -eq 0 ] && grep -q "memcheck_clean: PASS" out.txt && grep -qx "========= ERROR SUMMARY: 0 errors" err.txt &&
      ! grep -q "Invalid\|Warning" err.txt || { echo "FAIL: checked run"; exit 1; }
    CUPORT_BACKEND=cpu ./prog > out.txt 2> err.txt; rc=$?
    [ $rc -eq 0 ] && grep -q "memcheck_clean: PASS" out.txt && ! grep -q "=========" err.txt ||
      { cat out.txt err.txt; echo "FAIL: unchecked run of the instrumented binary"; exit 1; }
    "$cc" -O2 -o plain "$here/memcheck_clean.cu" || { echo FAIL; exit 1; }
    CUPORT_BACKEND=cpu CUPORT_MEMCHECK=1 ./plain > out.txt 2> err.txt; rc=$?; cat out.txt err.txt
    [ $rc -eq 0 ] && grep -q "memcheck_clean: PASS" out.txt && grep -qx "========= ERROR SUMMARY: 0 errors" err.txt &&
      grep -q "^========= Warning: kernel .* was not built with --memcheck: .*rebuild with \`cuport-cc --memcheck\` (or -G)$" err.txt ||
      { echo "FAIL: no warning for an image built without --memcheck"; exit 1; }
    if CUPORT_BACKEND=opencl "$build/bin/cuport-info" 2>&1 | grep -q "^Backend opencl: loaded"; then
      # (a program whose kernels all run on OpenCL: the clean program's device heap does not)
      "$cc" --memcheck -O2 -o tree "$here/tree_reduction.cu" || { echo FAIL; exit 1; }
      CUPORT_BACKEND=opencl CUPORT_MEMCHECK=1 ./tree > out.txt 2> err.txt; rc=$?; cat out.txt err.txt
      [ $rc -eq 0 ] && grep -q "PASS" out.txt && grep -qx "========= ERROR SUMMARY: 0 errors" err.txt &&
        grep -q "^========= Warning: memcheck is CPU-backend only: kernels on the opencl backend are not checked" err.txt ||
        { echo "FAIL: opencl"; exit 1; }
      echo "PASS (cpu and opencl)"
    else
      echo "PASS (cpu; no OpenCL device for the CPU-backend-only notice)"
    fi ;;
  memcheck-programs)
    # Instrumented kernels compute what uninstrumented ones do: user programs that check their own results, built
    # with --memcheck and run with CUPORT_MEMCHECK=1, pass with 0 errors and exit status 0.
    for p in tiled_matmul tree_reduction multi_kernel_scan warp_block_reduce histogram blelloch_scan template_types \
             atomic_float_max constant_stencil cxx_device_features stream_pipeline virtual_context; do
      "$cc" --memcheck -O2 -o "$p" "$here/$p.cu" || { echo "FAIL: cuport-cc --memcheck $p"; exit 1; }
      CUPORT_BACKEND=cpu CUPORT_MEMCHECK=1 "./$p" > out.txt 2> err.txt; rc=$?
      if [ $rc -ne 0 ] || ! grep -q PASS out.txt || ! grep -qx "========= ERROR SUMMARY: 0 errors" err.txt; then
        cat out.txt err.txt; echo "FAIL: $p under memcheck (exit status $rc)"; exit 1
      fi
      echo "$p: $(grep PASS out.txt | head -1); $(grep 'ERROR SUMMARY' err.txt)"
    done
    echo PASS ;;
  cxx20)
    # -std=c++20 (nvcc needs --expt-relaxed-constexpr for it too): every image builds, and it runs on cpu
    # and, where there is an OpenCL device, on opencl.
    "$cc" -std=c++20 --expt-relaxed-constexpr -O2 -o prog "$here/cxx20_device.cu" && CUPORT_BACKEND=cpu ./prog ||
      { echo FAIL; exit 1; }
    if CUPORT_BACKEND=opencl "$build/bin/cuport-info" 2>/dev/null | grep -q "^Device 0"; then
      CUPORT_BACKEND=opencl ./prog || { echo FAIL; exit 1; }
    fi ;;
  rdc)
    # Relocatable device code four ways: -dc + link, one -rdc=true call, -dlink + a host linker, a .a.
    "$cc" -O2 -rdc=true -c "$here/rdc_lib.cu" -o lib.o && "$cc" -O2 -dc "$here/rdc_main.cu" -o main.o &&
      "$cc" lib.o main.o -o prog1 && CUPORT_BACKEND=cpu ./prog1 || { echo FAIL; exit 1; }
    "$cc" -O2 -rdc=true -o prog2 "$here/rdc_lib.cu" "$here/rdc_main.cu" && CUPORT_BACKEND=cpu ./prog2 ||
      { echo FAIL; exit 1; }
    "$cc" -dlink lib.o main.o -o dlink.o && c++ lib.o main.o dlink.o -L"$build/lib" -Wl,-rpath,"$build/lib" \
      -lcuport -o prog3 && CUPORT_BACKEND=cpu ./prog3 || { echo FAIL; exit 1; }
    # ... and from a static library.
    ar rcs librdc.a lib.o && "$cc" main.o librdc.a -o prog4 && CUPORT_BACKEND=cpu ./prog4 || { echo FAIL; exit 1; } ;;
  log)
    # CUPORT_LOG=api traces launches, memory and stream calls with arguments and results; off by default.
    "$cc" -O2 -o prog "$here/stream_pipeline.cu" || { echo FAIL; exit 1; }
    CUPORT_BACKEND=cpu ./prog 2> quiet.txt > /dev/null || { echo FAIL; exit 1; }
    if grep -q "^cuport: cuda" quiet.txt; then echo "FAIL: traced without CUPORT_LOG"; exit 1; fi
    CUPORT_BACKEND=cpu CUPORT_LOG=api ./prog 2> api.txt > /dev/null || { echo FAIL; exit 1; }
    CUPORT_BACKEND=cpu CUPORT_LOG=launch ./prog 2> launch.txt > /dev/null || { echo FAIL; exit 1; }
    head -5 api.txt
    grep -q "^cuport: cudaMallocHost(ptr=0x[0-9a-f]*, size=4194304; \*ptr=0x[0-9a-f]*) -> cudaSuccess$" api.txt &&
    grep -q "^cuport: cudaLaunchKernel(func=0x[0-9a-f]* <_Z10polynomialPKfPfi>, grid=(256, 1, 1), block=(256, 1, 1), sharedMem=0, stream=0x[0-9a-f]*) -> cudaSuccess$" api.txt &&
    grep -q "^cuport: cudaMemcpyAsync(.*count=262144, kind=1, .*) -> cudaSuccess$" api.txt &&
    grep -q "^cuport: cudaStreamWaitEvent(.*) -> cudaSuccess$" api.txt &&
    grep -q "^cuport: cudaEventSynchronize(.*) -> cudaSuccess$" api.txt &&
    grep -q "^cuport: cudaLaunchKernel(" launch.txt && ! grep -q "^cuport: cudaMemcpyAsync(" launch.txt &&
    echo PASS || { echo FAIL; exit 1; } ;;
  assert)
    "$cc" -o prog "$here/device_assert.cu" && CUPORT_BACKEND=cpu ./prog 2> err.txt
    rc=$?; cat err.txt
    [ $rc -eq 0 ] && grep -q "device_assert.cu:6: .*check(.*): block: \[1,0,0\], thread: \[5,0,0\] Assertion \`v\[blockIdx.x \* blockDim.x + threadIdx.x\] >= 0\` failed." err.txt \
      && echo PASS || { echo FAIL; exit 1; } ;;
  visible-devices)
    "$cc" -o prog "$here/visible_devices.cu" || { echo FAIL; exit 1; }
    check() { got=$(CUPORT_BACKEND=cpu CUPORT_VISIBLE_DEVICES="$1" ./prog); echo "'$1' -> $got";
              [ "$got" = "$2" ] || { echo "FAIL: expected $2"; exit 1; }; }
    check 0 "count=1 cudaSuccess cpu"
    check cpu:0 "count=1 cudaSuccess cpu"
    check 0,0 "count=1 cudaSuccess cpu"
    check 1 "count=0 cudaErrorNoDevice"
    check "" "count=0 cudaErrorNoDevice"
    check opencl:0 "count=0 cudaErrorNoDevice"
    echo PASS ;;
  error-inline-asm)
    if "$cc" -c "$here/bad_inline_asm.cu" -o x.o 2> err.txt; then echo "FAIL: compiled"; exit 1; fi
    cat err.txt
    grep -q "bad_inline_asm.cu:3:.*inline PTX assembly" err.txt && echo PASS || { echo FAIL; exit 1; } ;;
  error-syntax)
    if "$cc" -c "$here/bad_syntax.cu" -o x.o 2> err.txt; then echo "FAIL: compiled"; exit 1; fi
    cat err.txt
    grep -q "bad_syntax.cu:2:.*undeclared_name" err.txt && echo PASS || { echo FAIL; exit 1; } ;;
  error-grid-sync)
    if "$cc" -c "$here/bad_grid_sync.cu" -o x.o 2> err.txt; then echo "FAIL: compiled"; exit 1; fi
    cat err.txt
    grep -q "bad_grid_sync.cu:6:.*grid-wide synchronization) is not supported" err.txt && echo PASS || { echo FAIL; exit 1; } ;;
  error-option)
    if "$cc" --no-such-option x.cu 2> err.txt; then echo "FAIL: accepted"; exit 1; fi
    cat err.txt
    grep -q "unknown option '--no-such-option'" err.txt && echo PASS || { echo FAIL; exit 1; } ;;
  leak-check)
    # CUPORT_LEAK_CHECK=1 lists what was not freed, with the code that allocated it (addr2line resolves it to
    # the cudaMalloc line); without the setting nothing is printed; a clean program is reported clean.
    "$cc" -g -O0 -o prog "$here/leak_check.cu" || { echo FAIL; exit 1; }
    CUPORT_LEAK_CHECK=1 ./prog leak 2> leak.txt || { echo "FAIL: exit status"; exit 1; }
    cat leak.txt
    grep -q "leak check: 2 allocations (1048832 bytes) not freed at exit" leak.txt &&
      grep -q "1048576 bytes of device memory (cudaMalloc)" leak.txt &&
      grep -q "256 bytes of pinned host memory" leak.txt || { echo "FAIL: report"; exit 1; }
    if command -v addr2line > /dev/null; then
      cmd=$(grep "1048576 bytes" leak.txt | sed -n 's/.*(\(addr2line [^)]*\)).*/\1/p')
      line=$($cmd | tr '\n' ' ')
      echo "$cmd -> $line"
      case "$line" in *leak_check.cu:10*) ;; *) echo "FAIL: addr2line gives '$line', not leak_check.cu:10"; exit 1 ;; esac
    fi
    ./prog leak 2> quiet.txt && ! grep -q "leak check" quiet.txt || { echo "FAIL: report without CUPORT_LEAK_CHECK"; exit 1; }
    CUPORT_LEAK_CHECK=1 ./prog clean 2> clean.txt && grep -q "leak check: every allocation was freed" clean.txt &&
      echo PASS || { cat clean.txt; echo "FAIL: clean run"; exit 1; } ;;
  error-offload-arch)
    # An unknown AMD GPU architecture is a command-line error naming it; a known non-default one compiles.
    if "$cc" --offload-arch=gfx9999 -c "$here/tree_reduction.cu" -o x.o 2> err.txt; then echo "FAIL: accepted"; exit 1; fi
    cat err.txt
    grep -q "unknown or unsupported AMD GPU architecture 'gfx9999'" err.txt || { echo FAIL; exit 1; }
    if [ -z "$(ls /usr/lib/x86_64-linux-gnu/amdgcn/bitcode/ocml.bc "${CUPORT_ROCM_DEVICE_LIBS:-/nonexistent}/ocml.bc" 2>/dev/null)" ]; then
      echo "SKIP: no ROCm device libraries (rocm-device-libs)"; exit 0
    fi
    "$cc" --offload-arch=gfx908,gfx1030 -O2 -o prog "$here/tree_reduction.cu" || { echo FAIL; exit 1; }
    python3 "$here/../hip/code_objects.py" --arch gfx908 --arch gfx1030 prog && echo PASS || { echo FAIL; exit 1; } ;;
  opencl-*)
    # One binary, two backends: the same fat binary runs on the CPU backend and on the OpenCL device.
    name=${case#opencl-} svm=
    case "$name" in buffer-*) name=${name#buffer-} svm=none ;; esac
    "$cc" -O2 -o prog "$here/$name.cu" || { echo FAIL; exit 1; }
    CUPORT_BACKEND=cpu ./prog || { echo "FAIL (cpu)"; exit 1; }
    if ! CUPORT_BACKEND=opencl "$build/bin/cuport-info" 2>&1 | grep -q "^Backend opencl: loaded"; then
      echo "SKIP: no OpenCL device: $(CUPORT_BACKEND=opencl "$build/bin/cuport-info" 2>&1 | grep '^Backend opencl')"
      exit 0
    fi
    env ${svm:+CUPORT_OPENCL_SVM=$svm} CUPORT_BACKEND=opencl ./prog > opencl.txt 2>&1; rc=$?; cat opencl.txt
    mode=opencl${svm:+ in buffer mode}
    [ $rc -eq 0 ] && grep -q PASS opencl.txt && echo "PASS (cpu and $mode)" || { echo "FAIL ($mode)"; exit 1; } ;;
  *)
    "$cc" -O2 -o prog "$here/$case.cu" && CUPORT_BACKEND=cpu ./prog ;;
esac
