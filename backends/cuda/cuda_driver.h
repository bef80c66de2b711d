// Internal to the CUDA backend: the part of Nvidia's CUDA driver API (libcuda.so.1) that the backend calls and
// cuport's own <cuda.h> (include/cuda.h, the clean-room header for user programs) does not declare, so that
// cuport builds without any Nvidia software.  <cuda.h> gives the types, CUresult, CUdevice_attribute and
// CU_STREAM_NON_BLOCKING; this adds the function and JIT option enums, the managed-memory flags, and the entry
// points, declared from the CUDA Driver API reference by the symbols the driver exports, versioned names
// included (cuMemAlloc_v2, ...), at global scope like Nvidia's own header (should <cuda.h> declare any of
// them one day, the compiler points at the duplicate here).  The backend never calls these declarations
// directly: it resolves each one with dlsym into a pointer of the same type (cuda_backend.h).
// tests/cuda/fake_libcuda.cpp defines them, so the compiler checks the fake against the same signatures.
//
// CUresult is <cuda.h>'s C enum, like Nvidia's: without a fixed underlying type, its values span 0..1023, which
// holds every code of the driver API; the backend reports one that no enumerator names as "CUresult <number>".
#ifndef CUPORT_CUDA_DRIVER_H
#define CUPORT_CUDA_DRIVER_H

#include <cuda.h>

#include <cstddef>

// CUfunction_attribute (the ones the backend reads or sets).
enum CUfunction_attribute : int {
  CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0,
  CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
  CU_FUNC_ATTRIBUTE_NUM_REGS = 4,
  CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
};

// CUjit_option (module loading).
enum CUjit_option : int {
  CU_JIT_INFO_LOG_BUFFER = 3,
  CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4,
  CU_JIT_ERROR_LOG_BUFFER = 5,
  CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
};

constexpr unsigned int CU_MEM_ATTACH_GLOBAL = 0x1;  // CUmemAttach_flags
constexpr unsigned int CU_MEM_ATTACH_HOST = 0x2;

// The entry points, by the names libcuda.so.1 exports.
extern "C" {
CUresult cuInit(unsigned int flags);
CUresult cuDriverGetVersion(int* version);
CUresult cuGetErrorName(CUresult error, const char** name);
CUresult cuGetErrorString(CUresult error, const char** text);
CUresult cuDeviceGetCount(int* count);
CUresult cuDeviceGet(CUdevice* device, int ordinal);
CUresult cuDeviceGetName(char* name, int length, CUdevice device);
CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice device);
CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device);
CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device);
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device);
CUresult cuDevicePrimaryCtxRelease(CUdevice device);  // the name before CUDA 11
CUresult cuCtxSetCurrent(CUcontext context);
CUresult cuCtxSynchronize(void);
CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytes);
CUresult cuMemAllocManaged(CUdeviceptr* dptr, size_t bytes, unsigned int flags);
CUresult cuMemFree_v2(CUdeviceptr dptr);
CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total_bytes);
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream stream);
CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t count, CUstream stream);
CUresult cuStreamCreate(CUstream* stream, unsigned int flags);
CUresult cuStreamDestroy_v2(CUstream stream);
CUresult cuStreamSynchronize(CUstream stream);
CUresult cuModuleLoadData(CUmodule* module, const void* image);
CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int num_options, CUjit_option* options,
                            void** option_values);
CUresult cuModuleUnload(CUmodule module);
CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name);
CUresult cuModuleGetGlobal_v2(CUdeviceptr* dptr, size_t* bytes, CUmodule module, const char* name);
CUresult cuFuncGetAttribute(int* value, CUfunction_attribute attribute, CUfunction function);
CUresult cuFuncSetAttribute(CUfunction function, CUfunction_attribute attribute, int value);
CUresult cuLaunchKernel(CUfunction function, unsigned int grid_x, unsigned int grid_y, unsigned int grid_z,
                        unsigned int block_x, unsigned int block_y, unsigned int block_z, unsigned int shared_bytes,
                        CUstream stream, void** kernel_params, void** extra);
}

#endif
