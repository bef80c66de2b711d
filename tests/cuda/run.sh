#!/usr/bin/env bash
# The CUDA backend's checks that run whole programs:  run.sh <build-dir> <case> <fake libcuda> <fake_cuda_test>
# Cases:
#   no-driver         CUPORT_CUDA_DRIVER names no library: cuport-info gives the "no Nvidia driver" reason
#   no-device         the fake driver with FAKE_CUDA_DEVICES=0: the "no Nvidia GPU" reason with the driver's error
#   no-device-real    the installed libcuda.so.1, on a machine without an Nvidia GPU: the "no Nvidia GPU" reason
#                     (a SKIP where no Nvidia driver is installed, or where there is a GPU)
#   stub-driver       the CUDA toolkit's stub libcuda.so (Nvidia's own export list, without a driver behind it):
#                     every entry point the backend needs resolves, and cuInit's CUDA_ERROR_STUB_LIBRARY is the
#                     reason (a SKIP where no CUDA toolkit is installed)
#   info              cuport-info on the fake driver: one device with its own properties (FAKE_CUDA_CC=8.6)
#   memory            fake_cuda_test memory on the fake driver (CUDA API calls without a device image)
#   negative-control  the same with FAKE_CUDA_CORRUPT_COPIES=1 (every device-to-host copy has a wrong byte):
#                     the program must notice and fail
#   module            fake_cuda_test module: variables, launches and a kernel fault, through the program's PTX
#                     image (a SKIP while cuport-cc emits none)
#   old-driver        fake_cuda_test old-driver with a CUDA 12.0 driver: 4096 bytes of kernel parameters at most
# Prints PASS, FAIL or "SKIP: <reason>".
set -u
build=$1 case=$2 fake=$3 prog=$4 backend=cuda
. "$(dirname "$0")/../fake_vendor/run_common.sh"  # $info, $work, expect_info, info_report, expect_lines, ...

case "$case" in
  no-driver)
    expect_info "^Backend cuda: not loaded \(backend 'cuda' reports no devices: no Nvidia driver: /nonexistent/libcuda.so.1: cannot open shared object file.*\(install the Nvidia driver, or set CUPORT_CUDA_DRIVER\)\)$" \
      CUPORT_CUDA_DRIVER=/nonexistent/libcuda.so.1 ;;
  no-device)
    expect_info "^Backend cuda: not loaded \(backend 'cuda' reports no devices: no Nvidia GPU: cuInit returned CUDA_ERROR_NO_DEVICE \(100\): no CUDA-capable device is detected \(fake libcuda\)\)$" \
      CUPORT_CUDA_DRIVER="$fake" FAKE_CUDA_DEVICES=0 ;;
  no-device-real)
    # (ctest's skip pattern matches at the start of the output: a SKIP comes first.)
    line=$(env -u CUPORT_CUDA_DRIVER CUPORT_BACKEND=cuda "$info" 2>&1 | grep "^Backend cuda:")
    case "$line" in
      *"no Nvidia driver:"*) echo "SKIP: no Nvidia driver (libcuda.so.1) is installed here: $line" ;;
      *": loaded"*) echo "SKIP: this machine has an Nvidia GPU: $line" ;;
      *"no Nvidia GPU: "*) echo "$line"; echo PASS ;;
      *) echo "$line"; echo "FAIL: expected the 'no Nvidia GPU' reason"; exit 1 ;;
    esac ;;
  stub-driver)
    stub=""
    for s in "${CUDA_HOME:-/usr/local/cuda}/lib64/stubs/libcuda.so" /usr/local/cuda/lib64/stubs/libcuda.so \
             /usr/local/cuda/targets/x86_64-linux/lib/stubs/libcuda.so /usr/lib/x86_64-linux-gnu/stubs/libcuda.so; do
      [ -f "$s" ] && { stub=$s; break; }
    done
    if [ -z "$stub" ]; then
      echo "SKIP: no CUDA toolkit stub libcuda.so here (looked in \$CUDA_HOME/lib64/stubs and /usr/local/cuda)"
      exit 0
    fi
    echo "stub: $stub"
    expect_info "^Backend cuda: not loaded \(backend 'cuda' reports no devices: no Nvidia driver: cuInit returned CUDA_ERROR_STUB_LIBRARY \(34\): this libcuda is the CUDA toolkit's stub" \
      CUPORT_CUDA_DRIVER="$stub" ;;
  info)
    info_report CUPORT_CUDA_DRIVER="$fake" FAKE_CUDA_CC=8.6
    expect_lines '^Backend cuda: loaded, 1 device' '^Device 0: "cuport fake CUDA device" \(backend cuda\)' \
      '^ *Warp size: +32$' '^ *Compute capability: +8\.6$' '^ *Multiprocessors: +80$' \
      '^ *Shared memory per block \(opt-in\): +98304 bytes$' ;;
  memory)
    CUPORT_BACKEND=cuda CUPORT_CUDA_DRIVER="$fake" "$prog" memory ;;
  negative-control)
    negative_control CUPORT_CUDA_DRIVER="$fake" FAKE_CUDA_CORRUPT_COPIES=1 ;;
  module)
    skip_without_image nvptx64-ptx "cuport-cc put no nvptx64-ptx (PTX) image into $(basename "$prog") (the compiler side of the cuda backend is not there yet)"
    CUPORT_BACKEND=cuda CUPORT_CUDA_DRIVER="$fake" FAKE_CUDA_LOG="$work/launches.log" "$prog" module ;;
  old-driver)
    skip_without_image nvptx64-ptx "cuport-cc put no nvptx64-ptx (PTX) image into $(basename "$prog")"
    CUPORT_BACKEND=cuda CUPORT_CUDA_DRIVER="$fake" FAKE_CUDA_DRIVER_VERSION=12000 FAKE_CUDA_LOG="$work/launches.log" \
      "$prog" old-driver ;;
  *)
    echo "FAIL: unknown case $case"; exit 1 ;;
esac
