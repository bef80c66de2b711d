// Pitched and 3D memory: cudaMallocPitch, cudaMalloc3D, cudaMemcpy2D(Async), cudaMemcpy3D(Async),
// cudaMemset2D(Async), cudaMemset3D(Async).
//
// The backend ABI has only linear copy and set hooks; strided boxes are copied row by row over them, in one
// stream work item (memory.h: stream_copy_strided), so a box is ordered like any other copy.  CUDA arrays
// (cudaArray_t) do not exist in cuport yet: a cudaMemcpy3DParms naming one is rejected.
#include <cstdint>

#include "error.h"
#include "log.h"
#include "memory.h"
#include "stream.h"

namespace cuport {
namespace {

constexpr size_t kPitchAlignment = 256;       // rows start at the allocation alignment
constexpr size_t kMaxPitch = 0x7fffffff;      // cudaDeviceProp::memPitch

bool mul(size_t a, size_t b, size_t* out) { return !__builtin_mul_overflow(a, b, out); }
bool add(size_t a, size_t b, size_t* out) { return !__builtin_add_overflow(a, b, out); }

// Bytes spanned by `depth` slices of `height` rows of `width` bytes: (depth-1)*slice + (height-1)*pitch + width.
bool span(size_t width, size_t height, size_t depth, size_t pitch, size_t slice, size_t* out) {
  size_t a = 0, b = 0, c = 0;
  return mul(depth - 1, slice, &a) && mul(height - 1, pitch, &b) && add(a, b, &c) && add(c, width, out);
}

cudaError_t pitched_alloc(void** ptr, size_t* pitch, size_t width, size_t rows) {
  size_t p = 0, bytes = 0;
  if (!add(width, kPitchAlignment - 1, &p)) return cudaErrorMemoryAllocation;
  p = p / kPitchAlignment * kPitchAlignment;
  if (!mul(p, rows, &bytes)) return cudaErrorMemoryAllocation;
  cudaError_t e = device_alloc(ptr, bytes);
  if (e != cudaSuccess) return e;
  *pitch = p;
  return cudaSuccess;
}

cudaError_t malloc_pitch(void** devPtr, size_t* pitch, size_t width, size_t height) {
  if (!devPtr || !pitch) return cudaErrorInvalidValue;
  return pitched_alloc(devPtr, pitch, width, height);
}

cudaError_t malloc_3d(cudaPitchedPtr* p, cudaExtent e) {
  if (!p) return cudaErrorInvalidValue;
  size_t rows = 0;
  if (!mul(e.height, e.depth, &rows)) return cudaErrorMemoryAllocation;
  void* ptr = nullptr;
  size_t pitch = 0;
  cudaError_t err = pitched_alloc(&ptr, &pitch, e.width, rows);
  if (err != cudaSuccess) return err;
  p->ptr = ptr;
  p->pitch = pitch;
  p->xsize = e.width;
  p->ysize = e.height;
  return cudaSuccess;
}

cudaError_t stream_for(cudaStream_t stream, bool async, StreamRef* s) {
  Current cur;
  cudaError_t e = current(&cur);
  if (e != cudaSuccess) return e;
  return resolve_stream(async ? stream : cudaStreamLegacy, cur, s);
}

cudaError_t copy_2d(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height, int kind,
                    cudaStream_t stream, bool async) {
  StreamRef s;
  cudaError_t e = stream_for(stream, async, &s);
  if (e != cudaSuccess) return e;
  int resolved = 0;
  if ((e = resolve_memcpy_kind(dst, src, kind, &resolved)) != cudaSuccess) return e;
  if (width == 0 || height == 0) return cudaSuccess;
  if (!dst || !src) return cudaErrorInvalidValue;
  if (width > dpitch || width > spitch || dpitch > kMaxPitch || spitch > kMaxPitch) return cudaErrorInvalidPitchValue;
  size_t dspan = 0, sspan = 0;
  if (!span(width, height, 1, dpitch, 0, &dspan) || !span(width, height, 1, spitch, 0, &sspan))
    return cudaErrorInvalidValue;
  if ((e = check_range(dst, dspan)) != cudaSuccess || (e = check_range(src, sspan)) != cudaSuccess) return e;
  StridedCopy c{static_cast<char*>(dst), dpitch, 0, static_cast<const char*>(src), spitch, 0, width, height, 1};
  return stream_copy_strided(s, c, resolved, async);
}

// Address of `pos` in a pitched pointer and the bytes the box spans from there; validates the box.
cudaError_t box_side(const cudaPitchedPtr& p, const cudaPos& pos, const cudaExtent& e, char** base, size_t* slice,
                     size_t* bytes) {
  if (!p.ptr) return cudaErrorInvalidValue;
  if (e.width > p.pitch || p.pitch > kMaxPitch) return cudaErrorInvalidPitchValue;
  size_t xend = 0;
  if (!add(pos.x, e.width, &xend) || xend > p.pitch) return cudaErrorInvalidValue;
  const bool slices_used = e.depth > 1 || pos.z > 0;
  size_t yend = 0;
  if (!add(pos.y, e.height, &yend)) return cudaErrorInvalidValue;
  if (slices_used && yend > p.ysize) return cudaErrorInvalidValue;
  size_t sl = 0, off = 0, a = 0, b = 0;
  if (!mul(p.pitch, p.ysize, &sl) || !mul(pos.z, sl, &a) || !mul(pos.y, p.pitch, &b) || !add(a, b, &off) ||
      !add(off, pos.x, &off))
    return cudaErrorInvalidValue;
  if (!span(e.width, e.height, e.depth, p.pitch, sl, bytes)) return cudaErrorInvalidValue;
  if (reinterpret_cast<uintptr_t>(p.ptr) + off < reinterpret_cast<uintptr_t>(p.ptr)) return cudaErrorInvalidValue;
  *base = static_cast<char*>(p.ptr) + off;
  *slice = sl;
  // The whole box, from the allocation's start, must lie inside a known allocation.
  size_t whole = 0;
  if (!add(off, *bytes, &whole)) return cudaErrorInvalidValue;
  return check_range(p.ptr, whole);
}

cudaError_t copy_3d(const cudaMemcpy3DParms* p, cudaStream_t stream, bool async) {
  if (!p) return cudaErrorInvalidValue;
  StreamRef s;
  cudaError_t e = stream_for(stream, async, &s);
  if (e != cudaSuccess) return e;
  if (p->srcArray || p->dstArray) return cudaErrorInvalidValue;  // no CUDA arrays in cuport yet
  if (p->kind < cudaMemcpyHostToHost || p->kind > cudaMemcpyDefault) return cudaErrorInvalidMemcpyDirection;
  const cudaExtent& x = p->extent;
  if (x.width == 0 || x.height == 0 || x.depth == 0) return cudaSuccess;
  char *dst = nullptr, *src = nullptr;
  size_t dslice = 0, sslice = 0, dbytes = 0, sbytes = 0;
  if ((e = box_side(p->dstPtr, p->dstPos, x, &dst, &dslice, &dbytes)) != cudaSuccess) return e;
  if ((e = box_side(p->srcPtr, p->srcPos, x, &src, &sslice, &sbytes)) != cudaSuccess) return e;
  int resolved = 0;
  if ((e = resolve_memcpy_kind(dst, src, p->kind, &resolved)) != cudaSuccess) return e;
  StridedCopy c{dst, p->dstPtr.pitch, dslice, src, p->srcPtr.pitch, sslice, x.width, x.height, x.depth};
  return stream_copy_strided(s, c, resolved, async);
}

cudaError_t set_3d(cudaPitchedPtr p, int value, cudaExtent x, cudaStream_t stream, bool async) {
  StreamRef s;
  cudaError_t e = stream_for(stream, async, &s);
  if (e != cudaSuccess) return e;
  if (x.width == 0 || x.height == 0 || x.depth == 0) return cudaSuccess;
  if (!p.ptr) return cudaErrorInvalidValue;
  if (x.width > p.pitch || p.pitch > kMaxPitch) return cudaErrorInvalidValue;
  if (x.depth > 1 && x.height > p.ysize) return cudaErrorInvalidValue;
  size_t slice = 0, bytes = 0;
  if (!mul(p.pitch, p.ysize, &slice) || !span(x.width, x.height, x.depth, p.pitch, slice, &bytes))
    return cudaErrorInvalidValue;
  if ((e = check_range(p.ptr, bytes)) != cudaSuccess) return e;
  return stream_set_strided(s, static_cast<char*>(p.ptr), p.pitch, slice, value, x.width, x.height, x.depth, async);
}

cudaError_t set_2d(void* ptr, size_t pitch, int value, size_t width, size_t height, cudaStream_t stream, bool async) {
  cudaPitchedPtr p{ptr, pitch, width, height};
  return set_3d(p, value, cudaExtent{width, height, 1}, stream, async);
}

}  // namespace
}  // namespace cuport

using cuport::kLogMemory;
using cuport::record_error;

extern "C" {

cudaError_t cudaMallocPitch(void** devPtr, size_t* pitch, size_t width, size_t height) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::malloc_pitch(devPtr, pitch, width, height)),
                "devPtr=%p, pitch=%p, width=%zu, height=%zu; *devPtr=%p *pitch=%zu", (void*)devPtr, (void*)pitch,
                width, height, devPtr ? *devPtr : nullptr, pitch ? *pitch : 0);
}

cudaError_t cudaMalloc3D(struct cudaPitchedPtr* pitchedDevPtr, struct cudaExtent extent) {
  cuport::AllocationCaller caller(__builtin_return_address(0));
  CUPORT_RETURN(kLogMemory, record_error(cuport::malloc_3d(pitchedDevPtr, extent)),
                "pitchedDevPtr=%p, extent={%zu, %zu, %zu}", (void*)pitchedDevPtr, extent.width, extent.height,
                extent.depth);
}

cudaError_t cudaMemcpy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                         enum cudaMemcpyKind kind) {
  CUPORT_RETURN(kLogMemory,
                record_error(cuport::copy_2d(dst, dpitch, src, spitch, width, height, kind, cudaStreamLegacy, false)),
                "dst=%p, dpitch=%zu, src=%p, spitch=%zu, width=%zu, height=%zu, kind=%d", dst, dpitch, src, spitch,
                width, height, int(kind));
}

cudaError_t cudaMemcpy2DAsync(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                              enum cudaMemcpyKind kind, cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::copy_2d(dst, dpitch, src, spitch, width, height, kind, stream, true)),
                "dst=%p, dpitch=%zu, src=%p, spitch=%zu, width=%zu, height=%zu, kind=%d, stream=%p", dst, dpitch, src,
                spitch, width, height, int(kind), (void*)stream);
}

cudaError_t cudaMemcpy3D(const struct cudaMemcpy3DParms* p) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::copy_3d(p, cudaStreamLegacy, false)), "p=%p", (const void*)p);
}

cudaError_t cudaMemcpy3DAsync(const struct cudaMemcpy3DParms* p, cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::copy_3d(p, stream, true)), "p=%p, stream=%p", (const void*)p,
                (void*)stream);
}

cudaError_t cudaMemset2D(void* devPtr, size_t pitch, int value, size_t width, size_t height) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::set_2d(devPtr, pitch, value, width, height, cudaStreamLegacy, false)),
                "devPtr=%p, pitch=%zu, value=%d, width=%zu, height=%zu", devPtr, pitch, value, width, height);
}

cudaError_t cudaMemset2DAsync(void* devPtr, size_t pitch, int value, size_t width, size_t height,
                              cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::set_2d(devPtr, pitch, value, width, height, stream, true)),
                "devPtr=%p, pitch=%zu, value=%d, width=%zu, height=%zu, stream=%p", devPtr, pitch, value, width, height,
                (void*)stream);
}

cudaError_t cudaMemset3D(struct cudaPitchedPtr pitchedDevPtr, int value, struct cudaExtent extent) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::set_3d(pitchedDevPtr, value, extent, cudaStreamLegacy, false)),
                "ptr=%p, pitch=%zu, value=%d, extent={%zu, %zu, %zu}", pitchedDevPtr.ptr, pitchedDevPtr.pitch, value,
                extent.width, extent.height, extent.depth);
}

cudaError_t cudaMemset3DAsync(struct cudaPitchedPtr pitchedDevPtr, int value, struct cudaExtent extent,
                              cudaStream_t stream) {
  CUPORT_RETURN(kLogMemory, record_error(cuport::set_3d(pitchedDevPtr, value, extent, stream, true)),
                "ptr=%p, pitch=%zu, value=%d, extent={%zu, %zu, %zu}, stream=%p", pitchedDevPtr.ptr,
                pitchedDevPtr.pitch, value, extent.width, extent.height, extent.depth, (void*)stream);
}

}  // extern "C"
