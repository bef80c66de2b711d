#!/usr/bin/env bash
# The HIP backend's checks that run whole programs:  run.sh <build-dir> <case> <fake libamdhip64> <fake_hip_test>
# Cases:
#   no-runtime        CUPORT_HIP_LIBRARY names no library: cuport-info gives the "no HIP runtime" reason
#   no-device         the installed HIP runtime, on a machine without an AMD GPU: the "no HIP device" reason
#                     (a SKIP where HIP is not installed, or where there is a GPU)
#   no-device-fake    the fake runtime with FAKE_HIP_DEVICES=0: the "no HIP device" reason with HIP's error
#   info              cuport-info on the fake runtime: one device, CUDA-shaped
#   memory            fake_hip_test memory on the fake runtime (CUDA API calls without a device image)
#   negative-control  the same with FAKE_HIP_CORRUPT_COPIES=1 (every device-to-host copy has a wrong byte):
#                     the program must notice and fail
#   module            fake_hip_test module: __device__ variables and launches, through the program's amdgcn
#                     image (a SKIP while cuport-cc emits none)
# Prints PASS, FAIL or "SKIP: <reason>".
set -u
build=$1 case=$2 fake=$3 prog=$4 backend=hip
. "$(dirname "$0")/../fake_vendor/run_common.sh"  # $info, $work, expect_info, info_report, expect_lines, ...

case "$case" in
  no-runtime)
    expect_info "^Backend hip: not loaded \(backend 'hip' reports no devices: no HIP runtime: /nonexistent/libamdhip64.so.5: cannot open shared object file.*\(install libamdhip64-5, or set CUPORT_HIP_LIBRARY\)\)$" \
      CUPORT_HIP_LIBRARY=/nonexistent/libamdhip64.so.5 ;;
  no-device)
    line=$(env -u CUPORT_HIP_LIBRARY CUPORT_BACKEND=hip "$info" 2>&1 | grep "^Backend hip:")
    echo "$line"
    case "$line" in
      *"no HIP runtime:"*) echo "SKIP: the HIP runtime is not installed here: $line" ;;
      *": loaded"*) echo "SKIP: this machine has a HIP device" ;;
      *"no HIP device: hipGetDeviceCount returned hipErrorNoDevice"*) echo PASS ;;
      *) echo "FAIL: expected the 'no HIP device' reason"; exit 1 ;;
    esac ;;
  no-device-fake)
    expect_info "no HIP device: hipGetDeviceCount returned hipErrorNoDevice \(no ROCm-capable device is detected \(fake HIP runtime\)\)" \
      CUPORT_HIP_LIBRARY="$fake" FAKE_HIP_DEVICES=0 ;;
  info)
    info_report CUPORT_HIP_LIBRARY="$fake"
    expect_lines '^Backend hip: loaded, 1 device' '^Device 0: "cuport fake HIP device" \(backend hip\)' \
      '^ *Warp size: +32$' '^ *Compute capability \(emulated\): +7\.0$' ;;
  memory)
    CUPORT_BACKEND=hip CUPORT_HIP_LIBRARY="$fake" "$prog" memory ;;
  negative-control)
    negative_control CUPORT_HIP_LIBRARY="$fake" FAKE_HIP_CORRUPT_COPIES=1 ;;
  module)
    # The fat binary's amdgcn image, if cuport-cc wrote one, is an offload bundle whose entry ids name the
    # architectures: run the fake as one of them (gfx1100 when present).
    skip_without_image amdgcn-amd-amdhsa "cuport-cc put no amdgcn-amd-amdhsa image into $(basename "$prog") (the compiler side of the HIP backend is not there yet)"
    archs=$(grep -ao 'hipv4-amdgcn-amd-amdhsa--gfx[0-9a-z]*' "$prog" | sed 's/.*--//' | sort -u | tr '\n' ' ')
    arch=gfx1100
    case " $archs " in *" gfx1100 "*) ;; *) [ -n "$archs" ] && arch=${archs%% *} ;; esac
    echo "code objects for: ${archs:-?}; fake device: $arch"
    CUPORT_BACKEND=hip CUPORT_HIP_LIBRARY="$fake" FAKE_HIP_ARCH=$arch FAKE_HIP_LOG="$work/launches.log" "$prog" module ;;
  *)
    echo "FAIL: unknown case $case"; exit 1 ;;
esac
