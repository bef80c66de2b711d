// Buffer mode: device memory for OpenCL devices without shared virtual memory (OpenCL 1.x, no SVM buffers,
// or CUPORT_OPENCL_SVM=none).
//
// Every allocation is a cl_mem buffer that gets a made-up device address from a per-device address allocator:
// disjoint 256-byte aligned ranges in [kFirstAddress, kEndAddress), far from where Linux puts host memory,
// never 0, with a gap after each range so that a pointer one past an allocation never lands in the next one.
// The allocation map (Device::allocations, by address) turns any device address into (buffer, offset):
// copies and fills use clEnqueue{Write,Read,Copy,Fill}Buffer at that offset, and a kernel's pointer
// parameter becomes its two OpenCL arguments, the buffer and the offset.  An address kernels compute
// (parameter + i) is a real pointer into the buffer on the device; an address stored in device memory
// would not be, so kernels that move pointers through memory need SVM (the image marks them, module.cpp).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <vector>

#include "opencl_backend.h"

namespace cuport_opencl {
namespace {

constexpr uint64_t kFirstAddress = 0x200000000000;  // 32 TiB: above program images and brk heaps
constexpr uint64_t kEndAddress = 0x400000000000;    // 64 TiB: below the mmap area (0x7f...)
constexpr uint64_t kAlignment = 256;                // CUDA's allocation alignment
constexpr uint64_t kGap = 64 * 1024;                // unused addresses after each allocation

uint64_t address(const void* p) { return uint64_t(reinterpret_cast<uintptr_t>(p)); }
void* pointer(uint64_t a) { return reinterpret_cast<void*>(uintptr_t(a)); }

// The addresses an allocation keeps from others: its bytes rounded up to the alignment, then the gap.
uint64_t span(size_t size) { return (uint64_t(size) + kAlignment - 1) / kAlignment * kAlignment + kGap; }

// A free range for `size` bytes, first looking upwards from d.next_address, then from the start; 0 when
// there is none.  Requires d.alloc_mu.
uint64_t reserve_address(Device& d, size_t size) {
  if (uint64_t(size) > kEndAddress - kFirstAddress - kAlignment - kGap) return 0;
  const uint64_t need = span(size);
  for (int pass = 0; pass < 2; ++pass) {
    uint64_t at = pass == 0 && d.next_address ? d.next_address : kFirstAddress;
    while (at <= kEndAddress - need) {
      auto next = d.allocations.lower_bound(pointer(at));
      if (next != d.allocations.begin()) {  // the allocation below `at` may still reach into it
        const auto below = std::prev(next);
        const uint64_t free_from = address(below->first) + span(below->second.size);
        if (free_from > at) {
          at = free_from;
          continue;
        }
      }
      if (next == d.allocations.end() || address(next->first) >= at + need) {
        d.next_address = at + need;
        return at;
      }
      at = address(next->first) + span(next->second.size);
    }
  }
  return 0;
}

std::string range(const void* p, size_t bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "[%p, +%zu)", p, bytes);
  return text;
}

// The buffer for one side of a copy or fill, or the error.
cuport_status side(Device& d, const void* p, size_t bytes, const char* what, BufferRef* out) {
  if (find_buffer(d, p, bytes, out)) return kSuccess;
  return fail(kInvalidValue, std::string(what) + " " + range(p, bytes) +
                                 " is not inside one OpenCL device allocation (buffer mode)");
}

}  // namespace

// Any thread.
cuport_status buffer_alloc(Device& d, size_t size, bool internal, void** out) {
  cl_int err = CL_SUCCESS;
  cl_mem mem = clCreateBuffer(d.context, CL_MEM_READ_WRITE, size, nullptr, &err);
  if (!mem && (err == CL_INVALID_BUFFER_SIZE || err == CL_MEM_OBJECT_ALLOCATION_FAILURE ||
               err == CL_OUT_OF_RESOURCES || err == CL_OUT_OF_HOST_MEMORY))  // too large: out of memory
    return fail(kMemoryAllocation, "clCreateBuffer cannot allocate " + std::to_string(size) + " bytes: " +
                                       cl_error_name(err) + " (" + std::to_string(err) + ")");
  if (!mem) return cl_fail(err, "clCreateBuffer(" + std::to_string(size) + " bytes)");
  std::lock_guard<std::mutex> lock(d.alloc_mu);
  const uint64_t at = reserve_address(d, size);
  if (!at) {
    clReleaseMemObject(mem);
    return fail(kMemoryAllocation, "no device address range left for " + std::to_string(size) + " bytes");
  }
  d.allocations[pointer(at)] = Device::Allocation{size, pointer(at), internal, mem};
  d.allocated_bytes += size;
  ++d.generation;
  *out = pointer(at);
  return kSuccess;
}

bool find_buffer(Device& d, const void* ptr, size_t bytes, BufferRef* out) {
  std::lock_guard<std::mutex> lock(d.alloc_mu);
  auto it = d.allocations.upper_bound(const_cast<void*>(ptr));
  if (it == d.allocations.begin()) return false;
  --it;
  const uint64_t offset = address(ptr) - address(it->first);
  const Device::Allocation& a = it->second;
  if (!a.mem || offset > a.size || bytes > a.size - offset) return false;
  clRetainMemObject(a.mem);
  if (out->mem) clReleaseMemObject(out->mem);
  out->mem = a.mem;
  out->offset = size_t(offset);
  return true;
}

// Any thread; blocking, on the calling thread's queue.
cuport_status buffer_copy(Device& d, void* dst, const void* src, size_t bytes, int kind) {
  if (bytes == 0) return kSuccess;
  BufferRef to, from;
  cuport_status st = kSuccess;
  if ((kind == 1 || kind == 3) && (st = side(d, dst, bytes, "copy destination", &to)) != kSuccess) return st;
  if ((kind == 2 || kind == 3) && (st = side(d, src, bytes, "copy source", &from)) != kSuccess) return st;
  cl_command_queue q = thread_queue(d, &st);
  if (!q) return st;
  cl_int err = CL_SUCCESS;
  if (kind == 1) {
    err = clEnqueueWriteBuffer(q, to.mem, CL_TRUE, to.offset, bytes, src, 0, nullptr, nullptr);
    return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueWriteBuffer");
  }
  if (kind == 2) {
    err = clEnqueueReadBuffer(q, from.mem, CL_TRUE, from.offset, bytes, dst, 0, nullptr, nullptr);
    return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueReadBuffer");
  }
  if (to.mem == from.mem && std::max(to.offset, from.offset) - std::min(to.offset, from.offset) < bytes) {
    // clEnqueueCopyBuffer refuses overlapping ranges (CL_MEM_COPY_OVERLAP); go through the host.
    std::vector<unsigned char> bounce(bytes);
    err = clEnqueueReadBuffer(q, from.mem, CL_TRUE, from.offset, bytes, bounce.data(), 0, nullptr, nullptr);
    if (err == CL_SUCCESS)
      err = clEnqueueWriteBuffer(q, to.mem, CL_TRUE, to.offset, bytes, bounce.data(), 0, nullptr, nullptr);
    return err == CL_SUCCESS ? kSuccess : cl_fail(err, "overlapping device-to-device copy");
  }
  cl_event event = nullptr;
  err = clEnqueueCopyBuffer(q, from.mem, to.mem, from.offset, to.offset, bytes, 0, nullptr, &event);
  if (err == CL_SUCCESS) err = wait_event(event);
  return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueCopyBuffer");
}

// Any thread; blocking, on the calling thread's queue.
cuport_status buffer_fill(Device& d, void* dst, unsigned char value, size_t bytes) {
  BufferRef to;
  cuport_status st = side(d, dst, bytes, "memset destination", &to);
  if (st != kSuccess) return st;
  cl_command_queue q = thread_queue(d, &st);
  if (!q) return st;
  cl_event event = nullptr;
  cl_int err = clEnqueueFillBuffer(q, to.mem, &value, 1, to.offset, bytes, 0, nullptr, &event);
  if (err == CL_SUCCESS) err = wait_event(event);
  return err == CL_SUCCESS ? kSuccess : cl_fail(err, "clEnqueueFillBuffer");
}

}  // namespace cuport_opencl
