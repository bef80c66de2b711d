#!/usr/bin/env bash
# Runs the CUDA+MPI Jacobi sample under mpirun -np 2, with the settings choosing each rank's device:
#   1. CUPORT_BACKEND=cpu: both ranks on the CPU backend (each with one worker thread);
#   2. CUPORT_BACKEND=cpu,opencl: two visible devices, so rank 0 runs on the CPU backend and rank 1 on the
#      OpenCL device (skipped, visibly, on a machine without one).
# run.sh <mpirun> <jacobi_mpi> <cuport-info>
set -u
mpirun=$1 prog=$2 info=$3
# Open MPI refuses to run as root unless told; containers and CI often are root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export CUPORT_CPU_THREADS=1
run() { # label
  local out
  out=$("$mpirun" -np 2 -x CUPORT_BACKEND -x CUPORT_CPU_THREADS "$prog" 2>&1); local rc=$?
  echo "$out"
  if [ $rc -ne 0 ] || ! grep -q '^PASS$' <<<"$out"; then echo "FAIL: $1 (exit $rc)"; exit 1; fi
  echo "$out" | grep -q "^rank 0 of 2" && echo "$out" | grep -q "^rank 1 of 2" || { echo "FAIL: $1: not two ranks"; exit 1; }
}
CUPORT_BACKEND=cpu run "both ranks on cpu"
if CUPORT_BACKEND=opencl "$info" 2>&1 | grep -q "^Backend opencl: loaded"; then
  export CUPORT_BACKEND=cpu,opencl
  out=$(run "rank 0 on cpu, rank 1 on opencl") || { echo "$out"; exit 1; }
  echo "$out"
  grep -q "^rank 1 of 2: .* on device 1 (.*OpenCL" <<<"$out" || { echo "FAIL: rank 1 did not run on the OpenCL device"; exit 1; }
else
  echo "note: no OpenCL device, so only the cpu run: $(CUPORT_BACKEND=opencl "$info" 2>&1 | grep '^Backend opencl')"
fi
echo "mpi sample: PASS"
