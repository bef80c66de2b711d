// cuport-info: what cuport sees on this machine, like deviceQuery/clinfo.
//
//   cuport-info            every installed backend (CUPORT_BACKEND=all unless CUPORT_BACKEND is set)
//   CUPORT_BACKEND=cpu cuport-info
//
// Prints each requested backend with its load status (and the reason when it is unavailable), then every
// CUDA device with the properties deviceQuery prints.  Exit status: 0 when at least one device exists,
// 1 otherwise.
#include <cuda_runtime_api.h>
#include <cuport/cuport_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void print_device(int d) {
  cudaDeviceProp p;
  if (cudaGetDeviceProperties(&p, d) != cudaSuccess) {
    std::printf("Device %d: cannot read properties\n", d);
    return;
  }
  const char* backend = "?";
  cuportDeviceGetBackend(d, &backend);
  std::printf("\nDevice %d: \"%s\" (backend %s)\n", d, p.name, backend);
  auto row = [](const char* k) { std::printf("  %-52s ", k); };
  // The cuda backend reports the GPU's own compute capability; the others the one their code generation
  // follows (sm_70).
  row(std::strcmp(backend, "cuda") == 0 ? "Compute capability:" : "Compute capability (emulated):");
  std::printf("%d.%d\n", p.major, p.minor);
  row("Total global memory:");
  std::printf("%.0f MiB (%llu bytes)\n", double(p.totalGlobalMem) / 1048576.0, (unsigned long long)p.totalGlobalMem);
  size_t free_b = 0, total_b = 0;
  if (cudaSetDevice(d) == cudaSuccess && cudaMemGetInfo(&free_b, &total_b) == cudaSuccess) {
    row("Free global memory:"); std::printf("%.0f MiB\n", double(free_b) / 1048576.0);
  }
  row("Multiprocessors:"); std::printf("%d\n", p.multiProcessorCount);
  int clock = 0, memclock = 0;
  cudaDeviceGetAttribute(&clock, cudaDevAttrClockRate, d);
  cudaDeviceGetAttribute(&memclock, cudaDevAttrMemoryClockRate, d);
  row("Clock rate:"); std::printf("%.0f MHz\n", clock / 1000.0);
  row("Memory clock rate:"); std::printf("%.0f MHz\n", memclock / 1000.0);
  row("Memory bus width:"); std::printf("%d bits\n", p.memoryBusWidth);
  row("L2 cache size:"); std::printf("%d bytes\n", p.l2CacheSize);
  row("Total constant memory:"); std::printf("%zu bytes\n", p.totalConstMem);
  row("Shared memory per block:"); std::printf("%zu bytes\n", p.sharedMemPerBlock);
  row("Shared memory per block (opt-in):"); std::printf("%zu bytes\n", p.sharedMemPerBlockOptin);
  row("Shared memory per multiprocessor:"); std::printf("%zu bytes\n", p.sharedMemPerMultiprocessor);
  row("Registers per block:"); std::printf("%d\n", p.regsPerBlock);
  row("Warp size:"); std::printf("%d\n", p.warpSize);
  row("Max threads per multiprocessor:"); std::printf("%d\n", p.maxThreadsPerMultiProcessor);
  row("Max threads per block:"); std::printf("%d\n", p.maxThreadsPerBlock);
  row("Max block dimensions:");
  std::printf("(%d, %d, %d)\n", p.maxThreadsDim[0], p.maxThreadsDim[1], p.maxThreadsDim[2]);
  row("Max grid dimensions:");
  std::printf("(%d, %d, %d)\n", p.maxGridSize[0], p.maxGridSize[1], p.maxGridSize[2]);
  row("Max blocks per multiprocessor:"); std::printf("%d\n", p.maxBlocksPerMultiProcessor);
  row("Max memory pitch:"); std::printf("%zu bytes\n", p.memPitch);
  row("Texture alignment:"); std::printf("%zu bytes\n", p.textureAlignment);
  row("Concurrent copy and kernel execution:");
  std::printf("%s with %d copy engine(s)\n", p.deviceOverlap ? "Yes" : "No", p.asyncEngineCount);
  row("Concurrent kernels:"); std::printf("%s\n", p.concurrentKernels ? "Yes" : "No");
  row("Integrated (shares host memory):"); std::printf("%s\n", p.integrated ? "Yes" : "No");
  row("Can map host memory:"); std::printf("%s\n", p.canMapHostMemory ? "Yes" : "No");
  row("Unified addressing:"); std::printf("%s\n", p.unifiedAddressing ? "Yes" : "No");
  row("Managed memory:"); std::printf("%s\n", p.managedMemory ? "Yes" : "No");
  row("Host memory registration:"); std::printf("%s\n", p.hostRegisterSupported ? "Yes" : "No");
  row("Cooperative launch:"); std::printf("%s\n", p.cooperativeLaunch ? "Yes" : "No");
  row("ECC enabled:"); std::printf("%s\n", p.ECCEnabled ? "Yes" : "No");
  row("Compute mode:"); std::printf("%s\n", p.computeMode == cudaComputeModeDefault ? "Default" : "Restricted");
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--help")) {
      std::printf("usage: cuport-info\n  Lists cuport backends (all installed ones unless CUPORT_BACKEND is set) and "
                  "the properties of every device.\n");
      return 0;
    }
    std::fprintf(stderr, "cuport-info: unknown argument '%s'\n", argv[i]);
    return 2;
  }
  const char* requested = std::getenv("CUPORT_BACKEND");
  if (!requested || !*requested) setenv("CUPORT_BACKEND", "all", 1);
  std::printf("cuport-info: CUPORT_BACKEND=%s%s\n", std::getenv("CUPORT_BACKEND"),
              requested && *requested ? "" : " (default for this tool)");
  int rt = 0, drv = 0;
  cudaRuntimeGetVersion(&rt);
  cudaDriverGetVersion(&drv);
  std::printf("CUDA runtime API version %d.%d, driver (backends) version %d.%d\n\n", rt / 1000, (rt % 1000) / 10,
              drv / 1000, (drv % 1000) / 10);

  const int nb = cuportGetBackendCount();
  std::printf("%d backend(s) requested:\n", nb);
  for (int b = 0; b < nb; ++b) {
    const char *name = "?", *status = "";
    int devices = 0;
    cuportGetBackendInfo(b, &name, &devices, &status);
    if (status && *status)
      std::printf("Backend %s: not loaded (%s)\n", name, status);
    else
      std::printf("Backend %s: loaded, %d device%s\n", name, devices, devices == 1 ? "" : "s");
  }

  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    std::printf("\nNo CUDA devices: %s (%s)\n", cudaGetErrorName(e), cudaGetErrorString(e));
    return 1;
  }
  std::printf("\n%d CUDA device%s:\n", count, count == 1 ? "" : "s");
  for (int d = 0; d < count; ++d) print_device(d);
  return 0;
}
