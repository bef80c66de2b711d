// Runs on the out-of-tree "mini" backend: the device is listed with its backend, memory calls go through
// the plugin, and a kernel launch reports that the fat binary has no image for it.
#include <cuport/cuport_runtime.h>

#include <cstdio>
#include <cstring>

__global__ void touch(int *p) { p[threadIdx.x] = 1; }

int main() {
  int count = 0;
  bool ok = cudaGetDeviceCount(&count) == cudaSuccess && count == 1;
  const char *backend = nullptr;
  ok = ok && cuportDeviceGetBackend(0, &backend) == cudaSuccess && backend && std::strcmp(backend, "mini") == 0;
  cudaDeviceProp prop;
  ok = ok && cudaGetDeviceProperties(&prop, 0) == cudaSuccess && std::strstr(prop.name, "mini") != nullptr;
  int host[4] = {1, 2, 3, 4}, back[4] = {0, 0, 0, 0};
  int *d = nullptr;
  ok = ok && cudaMalloc(&d, sizeof host) == cudaSuccess;
  ok = ok && cudaMemcpy(d, host, sizeof host, cudaMemcpyHostToDevice) == cudaSuccess;
  ok = ok && cudaMemset(d, 0, sizeof(int)) == cudaSuccess;
  ok = ok && cudaMemcpy(back, d, sizeof back, cudaMemcpyDeviceToHost) == cudaSuccess;
  ok = ok && back[0] == 0 && back[1] == 2 && back[3] == 4;
  touch<<<1, 4>>>(d);
  cudaError_t launch = cudaGetLastError();
  if (launch == cudaSuccess)
    launch = cudaDeviceSynchronize();
  ok = ok && launch == cudaErrorNoKernelImageForDevice;
  ok = ok && cudaFree(d) == cudaSuccess;
  std::printf("mini backend: device '%s', launch -> %s: %s\n", ok ? prop.name : "?", cudaGetErrorName(launch),
              ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
