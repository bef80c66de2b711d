// Jacobi iteration for the 2D Laplace equation, split across MPI ranks by rows, the way CUDA+MPI codes
// scale out: each rank keeps its slab (plus one halo row above and below) in device memory, runs one kernel
// per sweep, and exchanges the edge rows with its neighbours through host buffers (MPI_Sendrecv).  Each rank
// picks its device from its node-local rank (cudaSetDevice(local_rank % device count)), so the settings
// decide where each rank runs: CUPORT_BACKEND=cpu,opencl puts rank 0 on the CPU backend and rank 1 on the
// OpenCL device.  Rank 0 gathers the grid and checks it against the same sweeps computed serially.
//
//   mpirun -np 2 ./jacobi_mpi [n] [sweeps]
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define CHECK(call)                                                                                  \
  do {                                                                                               \
    cudaError_t e_ = (call);                                                                         \
    if (e_ != cudaSuccess) {                                                                         \
      std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e_));              \
      MPI_Abort(MPI_COMM_WORLD, 1);                                                                  \
    }                                                                                                \
  } while (0)

// One sweep over the slab's rows 1..rows (rows 0 and rows+1 are halos); the outer columns stay fixed.
__global__ void sweep(const float* __restrict__ in, float* __restrict__ out, int rows, int n) {
  int c = blockIdx.x * blockDim.x + threadIdx.x;
  int r = blockIdx.y * blockDim.y + threadIdx.y + 1;
  if (r > rows || c >= n) return;
  size_t i = (size_t)r * n + c;
  out[i] = (c == 0 || c == n - 1) ? in[i] : 0.25f * (in[i - n] + in[i + n] + in[i - 1] + in[i + 1]);
}

// The largest change of this sweep, per block, then across blocks (atomicMax on the float's bits:
// non-negative floats order like their bit patterns).
__global__ void max_change(const float* a, const float* b, int rows, int n, unsigned* result) {
  __shared__ float best[256];
  float m = 0.0f;
  int t = threadIdx.y * blockDim.x + threadIdx.x;
  for (size_t i = (size_t)n + blockIdx.x * 256 + t; i < (size_t)(rows + 1) * n; i += (size_t)gridDim.x * 256)
    m = fmaxf(m, fabsf(a[i] - b[i]));
  best[t] = m;
  __syncthreads();
  for (int s = 128; s > 0; s >>= 1) {
    if (t < s) best[t] = fmaxf(best[t], best[t + s]);
    __syncthreads();
  }
  if (t == 0) atomicMax(result, __float_as_uint(best[0]));
}

static float initial(int row, int col, int n) {
  // Hot top edge, cold elsewhere, and a warm square in the middle.
  if (row == 0) return 100.0f;
  if (row > n / 3 && row < 2 * n / 3 && col > n / 3 && col < 2 * n / 3) return 50.0f;
  return 0.0f;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int n = argc > 1 ? std::atoi(argv[1]) : 256;
  const int sweeps = argc > 2 ? std::atoi(argv[2]) : 200;

  // The device of this rank: its node-local rank modulo the devices the settings make visible.
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  int local_rank;
  MPI_Comm_rank(node, &local_rank);
  int devices = 0;
  CHECK(cudaGetDeviceCount(&devices));
  int device = local_rank % devices;
  CHECK(cudaSetDevice(device));
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, device));

  // Rows 1..n-2 are computed (rows 0 and n-1 are fixed boundaries), split as evenly as possible.
  const int inner = n - 2;
  const int first = 1 + (int)((long)inner * rank / size);          // first global row of this slab
  const int rows = 1 + (int)((long)inner * (rank + 1) / size) - first;
  std::vector<float> slab((size_t)(rows + 2) * n);
  for (int r = 0; r < rows + 2; ++r)
    for (int c = 0; c < n; ++c) slab[(size_t)r * n + c] = initial(first - 1 + r, c, n);

  float *a, *b;
  unsigned* change;
  size_t bytes = slab.size() * sizeof(float);
  CHECK(cudaMalloc(&a, bytes));
  CHECK(cudaMalloc(&b, bytes));
  CHECK(cudaMalloc(&change, sizeof(unsigned)));
  CHECK(cudaMemcpy(a, slab.data(), bytes, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(b, slab.data(), bytes, cudaMemcpyHostToDevice));

  const int up = rank > 0 ? rank - 1 : MPI_PROC_NULL, down = rank + 1 < size ? rank + 1 : MPI_PROC_NULL;
  std::vector<float> send(n), recv(n);
  dim3 block(32, 8), grid((n + 31) / 32, (rows + 7) / 8);
  double t0 = MPI_Wtime();
  for (int s = 0; s < sweeps; ++s) {
    sweep<<<grid, block>>>(a, b, rows, n);
    CHECK(cudaGetLastError());
    std::swap(a, b);
    // Host-staged halo exchange: my first row goes up, my last row goes down.
    CHECK(cudaMemcpy(send.data(), a + n, n * sizeof(float), cudaMemcpyDeviceToHost));
    MPI_Sendrecv(send.data(), n, MPI_FLOAT, up, 0, recv.data(), n, MPI_FLOAT, down, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    if (down != MPI_PROC_NULL) CHECK(cudaMemcpy(a + (size_t)(rows + 1) * n, recv.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(send.data(), a + (size_t)rows * n, n * sizeof(float), cudaMemcpyDeviceToHost));
    MPI_Sendrecv(send.data(), n, MPI_FLOAT, down, 1, recv.data(), n, MPI_FLOAT, up, 1, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    if (up != MPI_PROC_NULL) CHECK(cudaMemcpy(a, recv.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  }
  // The last sweep's largest change, reduced on the device, then across ranks.
  CHECK(cudaMemset(change, 0, sizeof(unsigned)));
  max_change<<<16, dim3(32, 8)>>>(a, b, rows, n, change);
  unsigned bits;
  CHECK(cudaMemcpy(&bits, change, sizeof(unsigned), cudaMemcpyDeviceToHost));
  float local_change, global_change;
  std::memcpy(&local_change, &bits, sizeof(float));
  MPI_Allreduce(&local_change, &global_change, 1, MPI_FLOAT, MPI_MAX, MPI_COMM_WORLD);
  double seconds = MPI_Wtime() - t0;
  CHECK(cudaMemcpy(slab.data(), a, bytes, cudaMemcpyDeviceToHost));
  std::printf("rank %d of %d: rows %d..%d on device %d (%s), %.3f s\n", rank, size, first, first + rows - 1, device,
              prop.name, seconds);
  std::fflush(stdout);

  // Rank 0 gathers the computed rows and checks them against the serial sweeps.
  std::vector<int> counts(size), offsets(size);
  int mine = rows * n;
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<float> gathered(rank == 0 ? (size_t)inner * n : 1);
  MPI_Gatherv(slab.data() + n, mine, MPI_FLOAT, gathered.data(), counts.data(), offsets.data(), MPI_FLOAT, 0,
              MPI_COMM_WORLD);
  int ok = 1;
  if (rank == 0) {
    std::vector<float> u((size_t)n * n), v;
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) u[(size_t)r * n + c] = initial(r, c, n);
    v = u;
    float serial_change = 0.0f;
    for (int s = 0; s < sweeps; ++s) {
      serial_change = 0.0f;
      for (int r = 1; r < n - 1; ++r)
        for (int c = 0; c < n; ++c) {
          size_t i = (size_t)r * n + c;
          v[i] = (c == 0 || c == n - 1) ? u[i] : 0.25f * (u[i - n] + u[i + n] + u[i - 1] + u[i + 1]);
          serial_change = std::fmax(serial_change, std::fabs(v[i] - u[i]));
        }
      u.swap(v);
    }
    int bad = 0;
    for (int r = 1; r < n - 1; ++r)
      for (int c = 0; c < n; ++c)
        if (std::fabs(gathered[(size_t)(r - 1) * n + c] - u[(size_t)r * n + c]) > 1e-4f) ++bad;
    ok = bad == 0 && std::fabs(global_change - serial_change) <= 1e-5f;
    std::printf("jacobi %dx%d, %d sweeps on %d ranks: %d cells differ from the serial sweeps, last change %.6f "
                "(serial %.6f)\n%s\n", n, n, sweeps, size, bad, global_change, serial_change, ok ? "PASS" : "FAIL");
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  CHECK(cudaFree(a));
  CHECK(cudaFree(b));
  CHECK(cudaFree(change));
  MPI_Comm_free(&node);
  MPI_Finalize();
  return ok ? 0 : 1;
}
