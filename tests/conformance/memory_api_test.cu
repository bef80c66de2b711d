// Memory API beyond cudaMalloc/cudaMemcpy: managed memory, pitched 2D and 3D allocations, copies and
// memsets, pointer attributes, host registration, stream-ordered allocation, peer copies, cudaMemcpyDefault,
// cudaMemGetInfo, managed-memory hints, and a table of invalid arguments with CUDA's error codes.
#include "cuport_test.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

using cuport_test::BackendTest;

namespace {

__global__ void addToEach(int *p, int n, int v) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    p[i] += v;
}

// One thread per element of a pitched 2D array of ints: p[y][x] = p[y][x] * 2 + y.
__global__ void scalePitched(int *base, size_t pitch, int width, int height) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x < width && y < height) {
    int *row = reinterpret_cast<int *>(reinterpret_cast<char *>(base) + y * pitch);
    row[x] = row[x] * 2 + y;
  }
}

__global__ void writeIndex(int *p, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    p[i] = i * 3 + 1;
}

// CUDA 13 replaced the device-number forms of cudaMemPrefetchAsync/cudaMemAdvise with cudaMemLocation ones;
// cuport implements the CUDA 12 API.  These helpers keep the test valid for both.
cudaError_t prefetch(const void *p, size_t n, int device, cudaStream_t s = 0) {
#if CUDART_VERSION >= 13000
  cudaMemLocation loc;
  loc.type = device == cudaCpuDeviceId ? cudaMemLocationTypeHost : cudaMemLocationTypeDevice;
  loc.id = device == cudaCpuDeviceId ? 0 : device;
  return cudaMemPrefetchAsync(p, n, loc, 0, s);
#else
  return cudaMemPrefetchAsync(p, n, device, s);
#endif
}

cudaError_t advise(const void *p, size_t n, cudaMemoryAdvise a, int device) {
#if CUDART_VERSION >= 13000
  cudaMemLocation loc;
  loc.type = device == cudaCpuDeviceId ? cudaMemLocationTypeHost : cudaMemLocationTypeDevice;
  loc.id = device == cudaCpuDeviceId ? 0 : device;
  return cudaMemAdvise(p, n, a, loc);
#else
  return cudaMemAdvise(p, n, a, device);
#endif
}

} // namespace

class MemoryApiTest : public BackendTest {};

TEST_P(MemoryApiTest, ManagedMemoryUsedByHostAndKernel) {
  const int n = 5000;
  int *m = nullptr;
  CUDA_OK(cudaMallocManaged(&m, n * sizeof(int)));
  ASSERT_NE(m, nullptr);
  for (int i = 0; i < n; ++i)
    m[i] = i;
  addToEach<<<(n + 255) / 256, 256>>>(m, n, 7);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(m[i], i + 7) << i;
  // Host-attached memory works the same way; the copy APIs accept managed pointers on either side.
  int *h = nullptr;
  CUDA_OK(cudaMallocManaged(&h, n * sizeof(int), cudaMemAttachHost));
  CUDA_OK(cudaMemcpy(h, m, n * sizeof(int), cudaMemcpyDefault));
  EXPECT_EQ(h[n - 1], n - 1 + 7);
  CUDA_OK(prefetch(m, n * sizeof(int), device_));
  CUDA_OK(prefetch(m, n * sizeof(int), cudaCpuDeviceId));
  CUDA_OK(advise(m, n * sizeof(int), cudaMemAdviseSetReadMostly, device_));
  CUDA_OK(advise(m, n * sizeof(int), cudaMemAdviseSetPreferredLocation, cudaCpuDeviceId));
  CUDA_OK(advise(m, n * sizeof(int), cudaMemAdviseSetAccessedBy, device_));
  CUDA_OK(cudaStreamAttachMemAsync(0, m, 0, cudaMemAttachGlobal));
  CUDA_OK(cudaFree(h));
  CUDA_OK(cudaFree(m));
}

TEST_P(MemoryApiTest, PitchedAllocCopyMemsetWithOddWidths) {
  const int widths[] = {1, 3, 37, 129};
  const int height = 19;
  for (int width : widths) {
    SCOPED_TRACE(width);
    const size_t rowBytes = width * sizeof(int);
    int *d = nullptr;
    size_t pitch = 0;
    CUDA_OK(cudaMallocPitch(&d, &pitch, rowBytes, height));
    ASSERT_GE(pitch, rowBytes);
    EXPECT_EQ(pitch % 256, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(d) % 256, 0u);
    // Fill the padding too, so that a copy that ignores the pitch would be visible.
    CUDA_OK(cudaMemset2D(d, pitch, 0x7f, pitch, height));
    std::vector<int> src(width * height);
    for (int i = 0; i < width * height; ++i)
      src[i] = i * 5 - 3;
    CUDA_OK(cudaMemcpy2D(d, pitch, src.data(), rowBytes, rowBytes, height, cudaMemcpyHostToDevice));
    dim3 block(16, 8), grid((width + 15) / 16, (height + 7) / 8);
    scalePitched<<<grid, block>>>(d, pitch, width, height);
    CUDA_OK(cudaGetLastError());
    // Copy back into a host buffer with its own, wider pitch: the gaps must stay untouched.
    const size_t hostPitch = rowBytes + 3 * sizeof(int);
    std::vector<int> back(hostPitch / sizeof(int) * height, -1);
    CUDA_OK(cudaMemcpy2D(back.data(), hostPitch, d, pitch, rowBytes, height, cudaMemcpyDeviceToHost));
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x)
        ASSERT_EQ(back[y * (hostPitch / sizeof(int)) + x], src[y * width + x] * 2 + y) << x << "," << y;
      for (size_t x = width; x < hostPitch / sizeof(int); ++x)
        ASSERT_EQ(back[y * (hostPitch / sizeof(int)) + x], -1);
    }
    // A memset of an odd number of bytes in the middle of each row: only bytes [2, 7) of each row change.
    if (rowBytes >= 7) {
      std::vector<unsigned char> before(pitch * height), after(pitch * height);
      CUDA_OK(cudaMemcpy(before.data(), d, pitch * height, cudaMemcpyDeviceToHost));
      CUDA_OK(cudaMemset2D(reinterpret_cast<char *>(d) + 2, pitch, 0, 5, height));
      CUDA_OK(cudaMemcpy(after.data(), d, pitch * height, cudaMemcpyDeviceToHost));
      for (int y = 0; y < height; ++y)
        for (size_t b = 0; b < pitch; ++b) {
          const size_t i = y * pitch + b;
          if (b >= 2 && b < 7)
            ASSERT_EQ(after[i], 0) << y << ":" << b;
          else
            ASSERT_EQ(after[i], before[i]) << y << ":" << b;
        }
      // Restore the values for the copies below.
      CUDA_OK(cudaMemcpy(d, before.data(), pitch * height, cudaMemcpyHostToDevice));
    }
    // Device-to-device 2D copy between two pitched allocations, asynchronously in a stream.
    int *e = nullptr;
    size_t epitch = 0;
    CUDA_OK(cudaMallocPitch(&e, &epitch, rowBytes, height));
    cudaStream_t s;
    CUDA_OK(cudaStreamCreate(&s));
    CUDA_OK(cudaMemset2DAsync(e, epitch, 0, rowBytes, height, s));
    CUDA_OK(cudaMemcpy2DAsync(e, epitch, d, pitch, rowBytes, height, cudaMemcpyDeviceToDevice, s));
    std::vector<int> fromE(width * height, 0);
    CUDA_OK(cudaMemcpy2DAsync(fromE.data(), rowBytes, e, epitch, rowBytes, height, cudaMemcpyDefault, s));
    CUDA_OK(cudaStreamSynchronize(s));
    std::vector<int> fromD(width * height, 0);
    CUDA_OK(cudaMemcpy2D(fromD.data(), rowBytes, d, pitch, rowBytes, height, cudaMemcpyDeviceToHost));
    EXPECT_EQ(fromD, fromE);
    CUDA_OK(cudaStreamDestroy(s));
    CUDA_OK(cudaFree(e));
    CUDA_OK(cudaFree(d));
  }
}

TEST_P(MemoryApiTest, Copy3DSubBoxBetweenPitchedAndLinearMemory) {
  const int X = 23, Y = 9, Z = 6;  // the host volume, linear (pitch = X ints)
  std::vector<int> host(X * Y * Z);
  for (int i = 0; i < X * Y * Z; ++i)
    host[i] = i + 1000;
  const int DX = 31, DY = 11, DZ = 7;  // the device volume, pitched
  cudaPitchedPtr dev;
  CUDA_OK(cudaMalloc3D(&dev, make_cudaExtent(DX * sizeof(int), DY, DZ)));
  ASSERT_GE(dev.pitch, DX * sizeof(int));
  EXPECT_EQ(dev.xsize, DX * sizeof(int));
  EXPECT_EQ(dev.ysize, size_t(DY));
  CUDA_OK(cudaMemset3D(dev, 0, make_cudaExtent(DX * sizeof(int), DY, DZ)));

  // Box of 5 x 4 x 3 ints from host (2, 3, 1) to device (7, 1, 2).
  const int bx = 5, by = 4, bz = 3;
  cudaMemcpy3DParms p;
  std::memset(&p, 0, sizeof p);
  p.srcPtr = make_cudaPitchedPtr(host.data(), X * sizeof(int), X, Y);
  p.srcPos = make_cudaPos(2 * sizeof(int), 3, 1);
  p.dstPtr = dev;
  p.dstPos = make_cudaPos(7 * sizeof(int), 1, 2);
  p.extent = make_cudaExtent(bx * sizeof(int), by, bz);
  p.kind = cudaMemcpyHostToDevice;
  CUDA_OK(cudaMemcpy3D(&p));

  // The whole device volume back into linear host memory, asynchronously.
  std::vector<int> back(DX * DY * DZ, -1);
  cudaMemcpy3DParms q;
  std::memset(&q, 0, sizeof q);
  q.srcPtr = dev;
  q.dstPtr = make_cudaPitchedPtr(back.data(), DX * sizeof(int), DX, DY);
  q.extent = make_cudaExtent(DX * sizeof(int), DY, DZ);
  q.kind = cudaMemcpyDefault;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  CUDA_OK(cudaMemcpy3DAsync(&q, s));
  CUDA_OK(cudaStreamSynchronize(s));
  CUDA_OK(cudaStreamDestroy(s));
  for (int z = 0; z < DZ; ++z)
    for (int y = 0; y < DY; ++y)
      for (int x = 0; x < DX; ++x) {
        const bool inBox = x >= 7 && x < 7 + bx && y >= 1 && y < 1 + by && z >= 2 && z < 2 + bz;
        const int expect = inBox ? host[((z - 2 + 1) * Y + (y - 1 + 3)) * X + (x - 7 + 2)] : 0;
        ASSERT_EQ(back[(z * DY + y) * DX + x], expect) << x << "," << y << "," << z;
      }
  CUDA_OK(cudaFree(dev.ptr));
}

TEST_P(MemoryApiTest, PointerAttributesOfEveryKind) {
  int *d = nullptr, *h = nullptr, *m = nullptr;
  CUDA_OK(cudaMalloc(&d, 1024));
  CUDA_OK(cudaMallocHost(&h, 1024));
  CUDA_OK(cudaMallocManaged(&m, 1024));
  std::vector<int> reg(300);
  CUDA_OK(cudaHostRegister(reg.data(), reg.size() * sizeof(int), cudaHostRegisterDefault));
  int stackValue = 0;

  cudaPointerAttributes a;
  CUDA_OK(cudaPointerGetAttributes(&a, d + 10));
  EXPECT_EQ(a.type, cudaMemoryTypeDevice);
  EXPECT_EQ(a.device, device_);
  EXPECT_EQ(a.devicePointer, d + 10);
  EXPECT_EQ(a.hostPointer, nullptr);

  CUDA_OK(cudaPointerGetAttributes(&a, h));
  EXPECT_EQ(a.type, cudaMemoryTypeHost);
  EXPECT_EQ(a.hostPointer, h);
  EXPECT_NE(a.devicePointer, nullptr);

  CUDA_OK(cudaPointerGetAttributes(&a, reg.data() + 5));
  EXPECT_EQ(a.type, cudaMemoryTypeHost);
  EXPECT_EQ(a.hostPointer, reg.data() + 5);

  CUDA_OK(cudaPointerGetAttributes(&a, m));
  EXPECT_EQ(a.type, cudaMemoryTypeManaged);
  EXPECT_EQ(a.devicePointer, m);
  EXPECT_EQ(a.hostPointer, m);

  CUDA_OK(cudaPointerGetAttributes(&a, &stackValue));
  EXPECT_EQ(a.type, cudaMemoryTypeUnregistered);
  EXPECT_EQ(a.devicePointer, nullptr);
  EXPECT_EQ(a.hostPointer, nullptr);

  CUDA_OK(cudaHostUnregister(reg.data()));
  CUDA_OK(cudaPointerGetAttributes(&a, reg.data()));
  EXPECT_EQ(a.type, cudaMemoryTypeUnregistered);
  CUDA_OK(cudaFree(m));
  CUDA_OK(cudaFreeHost(h));
  CUDA_OK(cudaFree(d));
  CUDA_OK(cudaPointerGetAttributes(&a, d));
  EXPECT_EQ(a.type, cudaMemoryTypeUnregistered) << "a freed allocation is forgotten";
}

TEST_P(MemoryApiTest, RegisteredHostMemoryUsedByKernel) {
  const int n = 4096;
  std::vector<int> buf(n, 0);
  CUDA_OK(cudaHostRegister(buf.data(), n * sizeof(int), cudaHostRegisterMapped | cudaHostRegisterPortable));
  unsigned flags = 0;
  CUDA_OK(cudaHostGetFlags(&flags, buf.data()));
  EXPECT_EQ(flags, unsigned(cudaHostRegisterMapped | cudaHostRegisterPortable));
  int *dp = nullptr;
  CUDA_OK(cudaHostGetDevicePointer(&dp, buf.data(), 0));
  ASSERT_NE(dp, nullptr);
  writeIndex<<<(n + 127) / 128, 128>>>(dp, n);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(buf[i], i * 3 + 1) << i;
  // Overlapping registrations are refused; unregistering twice is an error.
  EXPECT_EQ(cudaHostRegister(buf.data() + 100, 64, 0), cudaErrorHostMemoryAlreadyRegistered);
  (void)cudaGetLastError();
  CUDA_OK(cudaHostUnregister(buf.data()));
  EXPECT_EQ(cudaHostUnregister(buf.data()), cudaErrorHostMemoryNotRegistered);
  EXPECT_EQ(cudaGetLastError(), cudaErrorHostMemoryNotRegistered);

  // Mapped pinned memory from cudaHostAlloc has a device pointer too, and its flags read back.
  int *mapped = nullptr;
  CUDA_OK(cudaHostAlloc(&mapped, n * sizeof(int), cudaHostAllocMapped));
  CUDA_OK(cudaHostGetFlags(&flags, mapped));
  EXPECT_EQ(flags, unsigned(cudaHostAllocMapped));
  CUDA_OK(cudaHostGetDevicePointer(&dp, mapped, 0));
  writeIndex<<<(n + 127) / 128, 128>>>(dp, n);
  CUDA_OK(cudaDeviceSynchronize());
  EXPECT_EQ(mapped[n - 1], (n - 1) * 3 + 1);
  CUDA_OK(cudaFreeHost(mapped));
}

TEST_P(MemoryApiTest, StreamOrderedAllocation) {
  const int n = 10000;
  cudaStream_t s;
  CUDA_OK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  int *pinned = nullptr;
  CUDA_OK(cudaMallocHost(&pinned, n * sizeof(int)));
  for (int round = 0; round < 20; ++round) {
    int *d = nullptr;
    CUDA_OK(cudaMallocAsync(&d, n * sizeof(int), s));
    ASSERT_NE(d, nullptr);
    CUDA_OK(cudaMemsetAsync(d, 0, n * sizeof(int), s));
    addToEach<<<(n + 255) / 256, 256, 0, s>>>(d, n, round);
    CUDA_OK(cudaMemcpyAsync(pinned, d, n * sizeof(int), cudaMemcpyDeviceToHost, s));
    CUDA_OK(cudaFreeAsync(d, s));
    CUDA_OK(cudaStreamSynchronize(s));
    ASSERT_EQ(pinned[0], round);
    ASSERT_EQ(pinned[n - 1], round);
    // Freed in stream order: the pointer is no longer an allocation.
    EXPECT_EQ(cudaFreeAsync(d, s), cudaErrorInvalidValue);
    (void)cudaGetLastError();
  }
  CUDA_OK(cudaFreeHost(pinned));
  CUDA_OK(cudaStreamDestroy(s));
}

TEST_P(MemoryApiTest, PeerCopies) {
  int count = 0;
  CUDA_OK(cudaGetDeviceCount(&count));
  int can = -1;
  CUDA_OK(cudaDeviceCanAccessPeer(&can, device_, device_));
  EXPECT_EQ(can, 0) << "a device is not its own peer";
  EXPECT_EQ(cudaDeviceEnablePeerAccess(device_, 0), cudaErrorInvalidDevice);
  (void)cudaGetLastError();
  const int n = 3000;
  std::vector<int> h(n), back(n, 0);
  for (int i = 0; i < n; ++i)
    h[i] = i ^ 0x5a5a;
  int *a = nullptr, *b = nullptr;
  CUDA_OK(cudaMalloc(&a, n * sizeof(int)));
  CUDA_OK(cudaMalloc(&b, n * sizeof(int)));
  CUDA_OK(cudaMemcpy(a, h.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  // With one device the peer is the device itself (any other device of the same backend works the same).
  const int peer = count > 1 && device_ + 1 < count ? device_ + 1 : device_;
  int *c = nullptr;
  if (peer != device_) {
    CUDA_OK(cudaSetDevice(peer));
    CUDA_OK(cudaMalloc(&c, n * sizeof(int)));
    CUDA_OK(cudaSetDevice(device_));
  }
  CUDA_OK(cudaMemcpyPeer(b, device_, a, device_, n * sizeof(int)));
  CUDA_OK(cudaMemcpy(back.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_EQ(back, h);
  cudaStream_t s;
  CUDA_OK(cudaStreamCreate(&s));
  CUDA_OK(cudaMemsetAsync(b, 0, n * sizeof(int), s));
  if (c) {
    CUDA_OK(cudaMemcpyPeerAsync(c, peer, a, device_, n * sizeof(int), s));
    CUDA_OK(cudaMemcpyPeerAsync(b, device_, c, peer, n * sizeof(int), s));
  } else {
    CUDA_OK(cudaMemcpyPeerAsync(b, device_, a, device_, n * sizeof(int), s));
  }
  CUDA_OK(cudaStreamSynchronize(s));
  std::fill(back.begin(), back.end(), 0);
  CUDA_OK(cudaMemcpy(back.data(), b, n * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_EQ(back, h);
  EXPECT_EQ(cudaMemcpyPeer(b, count + 3, a, device_, 16), cudaErrorInvalidDevice);
  (void)cudaGetLastError();
  CUDA_OK(cudaStreamDestroy(s));
  if (c) {
    CUDA_OK(cudaSetDevice(peer));
    CUDA_OK(cudaFree(c));
    CUDA_OK(cudaSetDevice(device_));
  }
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(b));
}

TEST_P(MemoryApiTest, MemcpyDefaultUsesThePointersOwner) {
  const int n = 777;
  int *d = nullptr, *m = nullptr, *pinned = nullptr;
  CUDA_OK(cudaMalloc(&d, n * sizeof(int)));
  CUDA_OK(cudaMallocManaged(&m, n * sizeof(int)));
  CUDA_OK(cudaMallocHost(&pinned, n * sizeof(int)));
  std::vector<int> h(n), back(n, 0);
  for (int i = 0; i < n; ++i)
    h[i] = 7 * i;
  CUDA_OK(cudaMemcpy(d, h.data(), n * sizeof(int), cudaMemcpyDefault));
  CUDA_OK(cudaMemcpy(m, d, n * sizeof(int), cudaMemcpyDefault));
  CUDA_OK(cudaMemcpy(pinned, m, n * sizeof(int), cudaMemcpyDefault));
  CUDA_OK(cudaMemcpyAsync(back.data(), pinned, n * sizeof(int), cudaMemcpyDefault, 0));
  CUDA_OK(cudaDeviceSynchronize());
  EXPECT_EQ(back, h);
  CUDA_OK(cudaFree(d));
  CUDA_OK(cudaFree(m));
  CUDA_OK(cudaFreeHost(pinned));
}

TEST_P(MemoryApiTest, MemGetInfoIsHonest) {
  size_t freeBytes = 0, total = 0;
  CUDA_OK(cudaMemGetInfo(&freeBytes, &total));
  cudaDeviceProp prop;
  CUDA_OK(cudaGetDeviceProperties(&prop, device_));
  EXPECT_EQ(total, prop.totalGlobalMem);
  EXPECT_GT(freeBytes, 0u);
  EXPECT_LE(freeBytes, total);
}

// Every call here is invalid; each must return CUDA's error code, record it for cudaGetLastError, and
// leave the context usable.
TEST_P(MemoryApiTest, InvalidArgumentsReturnCudaErrors) {
  int *d = nullptr, *pinned = nullptr, *m = nullptr;
  size_t pitch = 0;
  CUDA_OK(cudaMalloc(&d, 4096));
  CUDA_OK(cudaMallocHost(&pinned, 4096));
  CUDA_OK(cudaMallocManaged(&m, 4096));
  static int hostArray[64];
  void *out = nullptr;
  cudaPitchedPtr pp = make_cudaPitchedPtr(d, 256, 64, 16);
  cudaMemcpy3DParms p3;
  std::memset(&p3, 0, sizeof p3);
  p3.srcPtr = make_cudaPitchedPtr(hostArray, 64, 64, 1);
  p3.dstPtr = pp;
  p3.extent = make_cudaExtent(65, 1, 1);  // wider than the source pitch
  p3.kind = cudaMemcpyHostToDevice;
  cudaMemcpy3DParms p3kind = p3;
  p3kind.extent = make_cudaExtent(16, 1, 1);
  p3kind.kind = cudaMemcpyKind(9);
  cudaMemcpy3DParms p3past = p3kind;
  p3past.kind = cudaMemcpyHostToDevice;
  p3past.dstPtr = make_cudaPitchedPtr(d, 256, 64, 16);
  p3past.dstPos = make_cudaPos(0, 0, 1);  // slice 1 of 16-row slices of 256 bytes = 4096: past the end
  cudaMemcpy3DParms p3box = p3kind;
  p3box.kind = cudaMemcpyHostToDevice;
  p3box.dstPos = make_cudaPos(250, 0, 0);  // 250 + 16 > pitch 256

  struct Case {
    const char *what;
    std::function<cudaError_t()> call;
    cudaError_t expected;
  };
  const Case cases[] = {
      {"cudaMallocManaged null", [] { return cudaMallocManaged(nullptr, 16); }, cudaErrorInvalidValue},
      {"cudaMallocManaged size 0", [&] { return cudaMallocManaged(&out, 0); }, cudaErrorInvalidValue},
      {"cudaMallocManaged flags", [&] { return cudaMallocManaged(&out, 16, cudaMemAttachSingle); },
       cudaErrorInvalidValue},
      {"cudaMallocManaged unknown flags", [&] { return cudaMallocManaged(&out, 16, 0x80); }, cudaErrorInvalidValue},
      {"cudaMallocPitch null pitch", [&] { return cudaMallocPitch(&out, nullptr, 16, 16); }, cudaErrorInvalidValue},
      {"cudaMallocPitch overflowing", [&] { return cudaMallocPitch(&out, &pitch, SIZE_MAX / 2, 4); },
       cudaErrorMemoryAllocation},
      {"cudaMalloc huge", [&] { return cudaMalloc(&out, SIZE_MAX - 4096); }, cudaErrorMemoryAllocation},
      {"cudaMalloc3D null", [] { return cudaMalloc3D(nullptr, make_cudaExtent(4, 4, 4)); }, cudaErrorInvalidValue},
      {"cudaMemcpy2D width > dpitch",
       [&] { return cudaMemcpy2D(d, 16, hostArray, 64, 32, 2, cudaMemcpyHostToDevice); }, cudaErrorInvalidPitchValue},
      {"cudaMemcpy2D width > spitch",
       [&] { return cudaMemcpy2D(d, 64, hostArray, 16, 32, 2, cudaMemcpyHostToDevice); }, cudaErrorInvalidPitchValue},
      {"cudaMemcpy2D null dst", [&] { return cudaMemcpy2D(nullptr, 64, hostArray, 64, 32, 2, cudaMemcpyHostToDevice); },
       cudaErrorInvalidValue},
      {"cudaMemcpy2D unknown kind", [&] { return cudaMemcpy2D(d, 64, hostArray, 64, 32, 2, cudaMemcpyKind(7)); },
       cudaErrorInvalidMemcpyDirection},
      {"cudaMemcpy2D past the allocation",
       [&] { return cudaMemcpy2D(d, 1024, hostArray, 64, 64, 5, cudaMemcpyHostToDevice); }, cudaErrorInvalidValue},
      {"cudaMemcpy2D overflowing height",
       [&] { return cudaMemcpy2D(d, 1024, hostArray, 64, 64, SIZE_MAX / 512, cudaMemcpyHostToDevice); },
       cudaErrorInvalidValue},
      {"cudaMemcpy2DAsync bad stream",
       [&] { return cudaMemcpy2DAsync(d, 64, hostArray, 64, 32, 2, cudaMemcpyHostToDevice, (cudaStream_t)0x1234); },
       cudaErrorInvalidResourceHandle},
      {"cudaMemset2D width > pitch", [&] { return cudaMemset2D(d, 16, 0, 32, 2); }, cudaErrorInvalidValue},
      {"cudaMemset2D null", [] { return cudaMemset2D(nullptr, 64, 0, 32, 2); }, cudaErrorInvalidValue},
      {"cudaMemset3D past the allocation",
       [&] { return cudaMemset3D(pp, 0, make_cudaExtent(64, 16, 2)); }, cudaErrorInvalidValue},
      {"cudaMemcpy3D null", [] { return cudaMemcpy3D(nullptr); }, cudaErrorInvalidValue},
      {"cudaMemcpy3D width > pitch", [&] { return cudaMemcpy3D(&p3); }, cudaErrorInvalidPitchValue},
      {"cudaMemcpy3D unknown kind", [&] { return cudaMemcpy3D(&p3kind); }, cudaErrorInvalidMemcpyDirection},
      {"cudaMemcpy3D past the allocation", [&] { return cudaMemcpy3D(&p3past); }, cudaErrorInvalidValue},
      {"cudaMemcpy3D box outside the pitch", [&] { return cudaMemcpy3D(&p3box); }, cudaErrorInvalidValue},
      {"cudaMemcpy past the allocation", [&] { return cudaMemcpy(d, hostArray, 4097, cudaMemcpyHostToDevice); },
       cudaErrorInvalidValue},
      {"cudaMemcpy interior past the end",
       [&] { return cudaMemcpy(hostArray, d + 1000, 128, cudaMemcpyDeviceToHost); }, cudaErrorInvalidValue},
      {"cudaMemcpy unknown kind", [&] { return cudaMemcpy(d, hostArray, 4, cudaMemcpyKind(5)); },
       cudaErrorInvalidMemcpyDirection},
      {"cudaMemcpy negative kind", [&] { return cudaMemcpy(d, hostArray, 4, cudaMemcpyKind(-1)); },
       cudaErrorInvalidMemcpyDirection},
      {"cudaMemset negative size", [&] { return cudaMemset(d, 0, size_t(-8)); }, cudaErrorInvalidValue},
      {"cudaFree foreign pointer", [] { return cudaFree(hostArray); }, cudaErrorInvalidValue},
      {"cudaFree interior pointer", [&] { return cudaFree(d + 1); }, cudaErrorInvalidValue},
      {"cudaFree pinned host memory", [&] { return cudaFree(pinned); }, cudaErrorInvalidValue},
      {"cudaFreeHost device memory", [&] { return cudaFreeHost(d); }, cudaErrorInvalidValue},
      {"cudaFreeHost managed memory", [&] { return cudaFreeHost(m); }, cudaErrorInvalidValue},
      {"cudaFreeAsync foreign pointer", [] { return cudaFreeAsync(hostArray, 0); }, cudaErrorInvalidValue},
      {"cudaMallocAsync null", [] { return cudaMallocAsync(nullptr, 16, 0); }, cudaErrorInvalidValue},
      {"cudaMallocAsync bad stream", [&] { return cudaMallocAsync(&out, 16, (cudaStream_t)0x1234); },
       cudaErrorInvalidResourceHandle},
      {"cudaHostAlloc unknown flags", [&] { return cudaHostAlloc(&out, 16, 0x40); }, cudaErrorInvalidValue},
      {"cudaHostRegister null", [] { return cudaHostRegister(nullptr, 16, 0); }, cudaErrorInvalidValue},
      {"cudaHostRegister size 0", [] { return cudaHostRegister(hostArray, 0, 0); }, cudaErrorInvalidValue},
      {"cudaHostRegister unknown flags", [] { return cudaHostRegister(hostArray, 16, 0x100); },
       cudaErrorInvalidValue},
      {"cudaHostRegister pinned memory", [&] { return cudaHostRegister(pinned, 16, 0); },
       cudaErrorHostMemoryAlreadyRegistered},
      {"cudaHostUnregister foreign", [] { return cudaHostUnregister(hostArray); }, cudaErrorHostMemoryNotRegistered},
      {"cudaHostGetDevicePointer foreign", [&] { return cudaHostGetDevicePointer(&out, hostArray, 0); },
       cudaErrorInvalidValue},
      {"cudaHostGetDevicePointer flags", [&] { return cudaHostGetDevicePointer(&out, pinned, 1); },
       cudaErrorInvalidValue},
      {"cudaHostGetFlags foreign", [] {
         unsigned f;
         return cudaHostGetFlags(&f, hostArray);
       },
       cudaErrorInvalidValue},
      {"cudaPointerGetAttributes null attributes", [&] { return cudaPointerGetAttributes(nullptr, d); },
       cudaErrorInvalidValue},
      {"cudaMemGetInfo null", [] { return cudaMemGetInfo(nullptr, nullptr); }, cudaErrorInvalidValue},
      {"cudaMemPrefetchAsync device memory", [&] { return prefetch(d, 16, 0); }, cudaErrorInvalidValue},
      {"cudaMemPrefetchAsync bad device", [&] { return prefetch(m, 16, 99); }, cudaErrorInvalidDevice},
      {"cudaMemPrefetchAsync past the end", [&] { return prefetch(m, 4097, 0); }, cudaErrorInvalidValue},
      {"cudaMemAdvise unknown advice", [&] { return advise(m, 16, cudaMemoryAdvise(42), 0); },
       cudaErrorInvalidValue},
      {"cudaMemAdvise bad device",
       [&] { return advise(m, 16, cudaMemAdviseSetPreferredLocation, 99); }, cudaErrorInvalidDevice},
      {"cudaStreamAttachMemAsync flags", [&] { return cudaStreamAttachMemAsync(0, m, 0, 0x10); },
       cudaErrorInvalidValue},
      {"cudaMemcpyPeer bad device", [&] { return cudaMemcpyPeer(d, -1, d, 0, 16); }, cudaErrorInvalidDevice},
      {"cudaDeviceCanAccessPeer null", [] { return cudaDeviceCanAccessPeer(nullptr, 0, 0); }, cudaErrorInvalidValue},
      {"cudaDeviceCanAccessPeer bad device", [] {
         int c;
         return cudaDeviceCanAccessPeer(&c, 0, 1000);
       },
       cudaErrorInvalidDevice},
      {"cudaDeviceEnablePeerAccess flags", [] { return cudaDeviceEnablePeerAccess(0, 1); }, cudaErrorInvalidValue},
      {"cudaDeviceDisablePeerAccess not enabled", [&] { return cudaDeviceDisablePeerAccess(device_); },
       cudaErrorInvalidDevice},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    (void)cudaGetLastError();
    const cudaError_t got = c.call();
    EXPECT_EQ(got, c.expected) << c.what << ": got " << cudaGetErrorName(got) << ", expected "
                               << cudaGetErrorName(c.expected);
    EXPECT_EQ(cudaGetLastError(), c.expected) << c.what << ": not recorded for cudaGetLastError";
  }
  // None of them broke the context.
  writeIndex<<<1, 64>>>(d, 64);
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaDeviceSynchronize());
  int first = 0;
  CUDA_OK(cudaMemcpy(&first, d + 5, sizeof first, cudaMemcpyDeviceToHost));
  EXPECT_EQ(first, 16);
  CUDA_OK(cudaFree(d));
  CUDA_OK(cudaFreeHost(pinned));
  CUDA_OK(cudaFree(m));
}

CUPORT_INSTANTIATE_BACKENDS(MemoryApiTest);
