// __device__ / __constant__ variables by host shadow address: cudaMemcpyToSymbol(Async),
// cudaMemcpyFromSymbol(Async), cudaGetSymbolAddress, cudaGetSymbolSize.  Copies are stream work with
// cudaMemcpy(Async)'s host-synchronization rules (memory.h).
#include <cstdint>

#include "error.h"
#include "memory.h"
#include "registry.h"

namespace cuport {
namespace {

cudaError_t copy_symbol(const void* symbol, void* other, size_t count, size_t offset, int kind, bool to_symbol,
                        cudaStream_t stream, bool async) {
  Current cur;
  StreamRef s;
  cudaError_t e = current_stream(async ? stream : cudaStreamLegacy, &cur, &s);
  if (e != cudaSuccess) return e;
  if (!symbol) return cudaErrorInvalidSymbol;
  if (to_symbol) {
    if (kind != cudaMemcpyHostToDevice && kind != cudaMemcpyDeviceToDevice && kind != cudaMemcpyDefault)
      return cudaErrorInvalidMemcpyDirection;
  } else {
    if (kind != cudaMemcpyDeviceToHost && kind != cudaMemcpyDeviceToDevice && kind != cudaMemcpyDefault)
      return cudaErrorInvalidMemcpyDirection;
  }
  void* addr = nullptr;
  size_t size = 0;
  e = resolve_symbol(symbol, cur, &addr, &size);
  if (e != cudaSuccess) return e;
  if (size != 0 && (offset > size || count > size - offset)) return cudaErrorInvalidValue;
  if (count == 0) return cudaSuccess;
  if (!other) return cudaErrorInvalidValue;
  void* sym = static_cast<char*>(addr) + offset;
  int resolved = kind;
  if (kind == cudaMemcpyDefault) {
    e = to_symbol ? resolve_memcpy_kind(sym, other, kind, &resolved) : resolve_memcpy_kind(other, sym, kind, &resolved);
    if (e != cudaSuccess) return e;
    // The symbol side is device memory even when the runtime did not allocate it.
    if (to_symbol) resolved = resolved == cudaMemcpyDeviceToHost || resolved == cudaMemcpyDeviceToDevice
                                  ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice;
    else resolved = resolved == cudaMemcpyHostToDevice || resolved == cudaMemcpyDeviceToDevice
                        ? cudaMemcpyDeviceToDevice : cudaMemcpyDeviceToHost;
  }
  return to_symbol ? stream_copy(s, sym, other, count, resolved, async)
                   : stream_copy(s, other, sym, count, resolved, async);
}

}  // namespace
}  // namespace cuport

using cuport::record_error;

extern "C" {

cudaError_t cudaMemcpyToSymbol(const void* symbol, const void* src, size_t count, size_t offset,
                               enum cudaMemcpyKind kind) {
  return record_error(cuport::copy_symbol(symbol, const_cast<void*>(src), count, offset, kind, true, 0, false));
}

cudaError_t cudaMemcpyFromSymbol(void* dst, const void* symbol, size_t count, size_t offset,
                                 enum cudaMemcpyKind kind) {
  return record_error(cuport::copy_symbol(symbol, dst, count, offset, kind, false, 0, false));
}

cudaError_t cudaMemcpyToSymbolAsync(const void* symbol, const void* src, size_t count, size_t offset,
                                    enum cudaMemcpyKind kind, cudaStream_t stream) {
  return record_error(cuport::copy_symbol(symbol, const_cast<void*>(src), count, offset, kind, true, stream, true));
}

cudaError_t cudaMemcpyFromSymbolAsync(void* dst, const void* symbol, size_t count, size_t offset,
                                      enum cudaMemcpyKind kind, cudaStream_t stream) {
  return record_error(cuport::copy_symbol(symbol, dst, count, offset, kind, false, stream, true));
}

cudaError_t cudaGetSymbolAddress(void** devPtr, const void* symbol) {
  if (!devPtr) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  size_t size = 0;
  return record_error(cuport::resolve_symbol(symbol, cur, devPtr, &size));
}

cudaError_t cudaGetSymbolSize(size_t* size, const void* symbol) {
  if (!size) return record_error(cudaErrorInvalidValue);
  cuport::Current cur;
  cudaError_t e = cuport::current(&cur);
  if (e != cudaSuccess) return record_error(e);
  void* addr = nullptr;
  return record_error(cuport::resolve_symbol(symbol, cur, &addr, size));
}

}  // extern "C"
