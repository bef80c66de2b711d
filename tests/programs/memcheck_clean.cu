// Memcheck without false alarms: kernels touch every kind of memory a CUDA kernel may use — cudaMalloc'd,
// managed, mapped pinned and registered host memory, __device__ and __constant__ variables, static and
// dynamic __shared__ memory, the device heap (malloc/new in device code), private arrays (also through a
// pointer handed to a device function, and across a barrier), by-value structs, device memcpy/memset, atomics
// and a recursive device function.  Built with --memcheck and run with CUPORT_MEMCHECK=1, it prints PASS,
// memcheck reports 0 errors and the exit status stays 0 (memcheck-clean in run.sh).
#include <cstdio>
#include <cstring>

__device__ int counter;
__constant__ float coeff[4];

struct Params {
  int n;
  float scale;
  int pad[3];
};

__device__ __noinline__ int sum_private(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += v[i];
  return s;
}

__device__ int tree_sum(const int *v, int lo, int hi) {  // recursive
  if (hi - lo == 1) return v[lo];
  int mid = (lo + hi) / 2;
  return tree_sum(v, lo, mid) + tree_sum(v, mid, hi);
}

__global__ void mixed(const float *in, float *out, float *managed, float *mapped, const int *registered, Params p) {
  __shared__ float tile[128];
  extern __shared__ float dyn[];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  int priv[8];
  for (int k = 0; k < 8; ++k) priv[k] = k + threadIdx.x;
  tile[threadIdx.x] = in[i] * p.scale;
  dyn[threadIdx.x] = coeff[threadIdx.x % 4];
  __syncthreads();  // priv lives across the barrier
  float v = tile[(threadIdx.x + 1) % blockDim.x] + dyn[threadIdx.x];
  v += float(sum_private(priv, 8));
  out[i] = v;
  managed[i] = v * 2.0f;
  mapped[i] = float(registered[i]);
  atomicAdd(&counter, 1);
}

__global__ void heap_and_copies(int *out, int n) {
  int *scratch = static_cast<int *>(malloc(n * sizeof(int)));
  int *objects = new int[4];
  if (!scratch || !objects) return;
  memset(scratch, 0, n * sizeof(int));
  for (int k = 0; k < n; ++k) scratch[k] = k;
  memcpy(out + threadIdx.x * n, scratch, n * sizeof(int));
  objects[0] = tree_sum(scratch, 0, n);
  out[blockDim.x * n + threadIdx.x] = objects[0];
  delete[] objects;
  free(scratch);
}

int main() {
  const int blocks = 4, threads = 128, n = blocks * threads;
  float *in, *out, *managed, *mapped_host, *mapped;
  int *registered_host = new int[n];
  cudaMalloc(&in, n * sizeof(float));
  cudaMalloc(&out, n * sizeof(float));
  cudaMallocManaged(&managed, n * sizeof(float));
  cudaHostAlloc(&mapped_host, n * sizeof(float), cudaHostAllocMapped);
  cudaHostGetDevicePointer(&mapped, mapped_host, 0);
  for (int k = 0; k < n; ++k) registered_host[k] = 3 * k;
  cudaHostRegister(registered_host, n * sizeof(int), cudaHostRegisterDefault);
  float h_in[n], h_coeff[4] = {1, 2, 3, 4};
  for (int k = 0; k < n; ++k) h_in[k] = float(k);
  cudaMemcpy(in, h_in, sizeof h_in, cudaMemcpyHostToDevice);
  cudaMemcpyToSymbol(coeff, h_coeff, sizeof h_coeff);
  Params p{n, 0.5f, {0, 0, 0}};
  mixed<<<blocks, threads, threads * sizeof(float)>>>(in, out, managed, mapped, registered_host, p);

  const int per = 16, t = 8;
  int *copies;
  cudaMalloc(&copies, (t * per + t) * sizeof(int));
  heap_and_copies<<<1, t>>>(copies, per);
  cudaError_t e = cudaDeviceSynchronize();

  float h_out[n];
  int h_copies[t * per + t], h_counter = 0;
  cudaMemcpy(h_out, out, sizeof h_out, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_copies, copies, sizeof h_copies, cudaMemcpyDeviceToHost);
  cudaMemcpyFromSymbol(&h_counter, counter, sizeof h_counter);
  bool ok = e == cudaSuccess && h_counter == n;
  for (int k = 0; k < n && ok; ++k) {
    const int tid = k % threads, base = k - tid, next = base + (tid + 1) % threads;
    int priv = 0;
    for (int j = 0; j < 8; ++j) priv += j + tid;
    const float want = float(next) * 0.5f + h_coeff[tid % 4] + float(priv);
    ok = h_out[k] == want && managed[k] == 2.0f * want && mapped_host[k] == float(3 * k);
  }
  for (int k = 0; k < t * per && ok; ++k) ok = h_copies[k] == k % per;
  for (int k = 0; k < t && ok; ++k) ok = h_copies[t * per + k] == per * (per - 1) / 2;
  cudaHostUnregister(registered_host);
  cudaFreeHost(mapped_host);
  cudaFree(managed);
  cudaFree(in);
  cudaFree(out);
  cudaFree(copies);
  delete[] registered_host;
  printf("memcheck_clean: %s (%s)\n", ok ? "PASS" : "FAIL", cudaGetErrorName(e));
  return ok ? 0 : 1;
}
