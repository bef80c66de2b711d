/* CUDA Runtime API declarations implemented by libcuport (clean-room, from the CUDA Runtime API reference).
 *
 * Usable from C (gcc), plain C++ host code, and both of Clang's CUDA passes.  The C entry points have C
 * linkage; C++ code additionally gets CUDA's default arguments and the typed template conveniences at the
 * end of this file.  The registration/launch ABI that Clang's generated host code calls
 * (__cudaRegisterFatBinary, __cudaPushCallConfiguration, ...) is declared here too: Clang needs
 * cudaLaunchKernel and __cudaPushCallConfiguration visible to compile `<<<...>>>`.
 */
#ifndef __CUDA_RUNTIME_API_H__
#define __CUDA_RUNTIME_API_H__

#define CUDART_VERSION 12000
#define __CUDART_API_VERSION 12000

#include <stddef.h>

#include "host_defines.h"
#include "vector_types.h"
#include "driver_types.h"

#ifdef __cplusplus
#define __CUPORT_DV(v) = v
#else
#define __CUPORT_DV(v)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Errors ------------------------------------------------------------------------------------------ */
extern cudaError_t cudaGetLastError(void);
extern cudaError_t cudaPeekAtLastError(void);
extern const char* cudaGetErrorString(cudaError_t error);
extern const char* cudaGetErrorName(cudaError_t error);

/* ---- Versions ---------------------------------------------------------------------------------------- */
extern cudaError_t cudaDriverGetVersion(int* driverVersion);
extern cudaError_t cudaRuntimeGetVersion(int* runtimeVersion);

/* ---- Device management ------------------------------------------------------------------------------- */
extern cudaError_t cudaGetDeviceCount(int* count);
extern cudaError_t cudaGetDevice(int* device);
extern cudaError_t cudaSetDevice(int device);
extern cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* prop, int device);
extern cudaError_t cudaGetDeviceProperties_v2(struct cudaDeviceProp* prop, int device);
extern cudaError_t cudaDeviceGetAttribute(int* value, enum cudaDeviceAttr attr, int device);
extern cudaError_t cudaChooseDevice(int* device, const struct cudaDeviceProp* prop);
extern cudaError_t cudaDeviceReset(void);
extern cudaError_t cudaDeviceSynchronize(void);
extern cudaError_t cudaThreadSynchronize(void); /* deprecated alias of cudaDeviceSynchronize */
extern cudaError_t cudaThreadExit(void);        /* deprecated alias of cudaDeviceReset */
extern cudaError_t cudaSetDeviceFlags(unsigned int flags);
extern cudaError_t cudaGetDeviceFlags(unsigned int* flags);
extern cudaError_t cudaDeviceSetCacheConfig(enum cudaFuncCache cacheConfig);
extern cudaError_t cudaDeviceGetCacheConfig(enum cudaFuncCache* pCacheConfig);
extern cudaError_t cudaDeviceSetSharedMemConfig(enum cudaSharedMemConfig config);
extern cudaError_t cudaDeviceGetSharedMemConfig(enum cudaSharedMemConfig* pConfig);
extern cudaError_t cudaDeviceSetLimit(enum cudaLimit limit, size_t value);
extern cudaError_t cudaDeviceGetLimit(size_t* pValue, enum cudaLimit limit);

/* ---- Memory ------------------------------------------------------------------------------------------ */
extern cudaError_t cudaMalloc(void** devPtr, size_t size);
extern cudaError_t cudaFree(void* devPtr);
extern cudaError_t cudaMallocHost(void** ptr, size_t size);
extern cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags);
extern cudaError_t cudaFreeHost(void* ptr);
extern cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind);
extern cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                                   cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemset(void* devPtr, int value, size_t count);
extern cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemGetInfo(size_t* free, size_t* total);
extern cudaError_t cudaPointerGetAttributes(struct cudaPointerAttributes* attributes, const void* ptr);

/* ---- Streams ----------------------------------------------------------------------------------------- */
typedef void (*cudaStreamCallback_t)(cudaStream_t stream, cudaError_t status, void* userData);
extern cudaError_t cudaStreamCreate(cudaStream_t* pStream);
extern cudaError_t cudaStreamCreateWithFlags(cudaStream_t* pStream, unsigned int flags);
extern cudaError_t cudaStreamCreateWithPriority(cudaStream_t* pStream, unsigned int flags, int priority);
extern cudaError_t cudaDeviceGetStreamPriorityRange(int* leastPriority, int* greatestPriority);
extern cudaError_t cudaStreamDestroy(cudaStream_t stream);
extern cudaError_t cudaStreamSynchronize(cudaStream_t stream);
extern cudaError_t cudaStreamQuery(cudaStream_t stream);
extern cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags __CUPORT_DV(0));
extern cudaError_t cudaStreamAddCallback(cudaStream_t stream, cudaStreamCallback_t callback, void* userData,
                                         unsigned int flags);
extern cudaError_t cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void* userData);
extern cudaError_t cudaStreamGetFlags(cudaStream_t hStream, unsigned int* flags);
extern cudaError_t cudaStreamGetPriority(cudaStream_t hStream, int* priority);

/* ---- Events ------------------------------------------------------------------------------------------ */
extern cudaError_t cudaEventCreate(cudaEvent_t* event);
extern cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags);
extern cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaEventRecordWithFlags(cudaEvent_t event, cudaStream_t stream __CUPORT_DV(0),
                                            unsigned int flags __CUPORT_DV(0));
extern cudaError_t cudaEventQuery(cudaEvent_t event);
extern cudaError_t cudaEventSynchronize(cudaEvent_t event);
extern cudaError_t cudaEventDestroy(cudaEvent_t event);
extern cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);

/* ---- Symbols ----------------------------------------------------------------------------------------- */
extern cudaError_t cudaMemcpyToSymbol(const void* symbol, const void* src, size_t count,
                                      size_t offset __CUPORT_DV(0),
                                      enum cudaMemcpyKind kind __CUPORT_DV(cudaMemcpyHostToDevice));
extern cudaError_t cudaMemcpyFromSymbol(void* dst, const void* symbol, size_t count,
                                        size_t offset __CUPORT_DV(0),
                                        enum cudaMemcpyKind kind __CUPORT_DV(cudaMemcpyDeviceToHost));
extern cudaError_t cudaMemcpyToSymbolAsync(const void* symbol, const void* src, size_t count, size_t offset,
                                           enum cudaMemcpyKind kind, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemcpyFromSymbolAsync(void* dst, const void* symbol, size_t count, size_t offset,
                                             enum cudaMemcpyKind kind, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaGetSymbolAddress(void** devPtr, const void* symbol);
extern cudaError_t cudaGetSymbolSize(size_t* size, const void* symbol);

/* ---- Execution --------------------------------------------------------------------------------------- */
extern cudaError_t cudaLaunchKernel(const void* func, dim3 gridDim, dim3 blockDim, void** args,
                                    size_t sharedMem, cudaStream_t stream);
extern cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes* attr, const void* func);
extern cudaError_t cudaFuncSetCacheConfig(const void* func, enum cudaFuncCache cacheConfig);
extern cudaError_t cudaFuncSetSharedMemConfig(const void* func, enum cudaSharedMemConfig config);
extern cudaError_t cudaFuncSetAttribute(const void* func, enum cudaFuncAttribute attr, int value);

/* ---- Registration / launch ABI called by compiler-generated host code ---------------------------------- */
extern void** __cudaRegisterFatBinary(void* fatCubin);
extern void __cudaRegisterFatBinaryEnd(void** fatCubinHandle);
extern void __cudaUnregisterFatBinary(void** fatCubinHandle);
/* Clang's generated code declares this one returning int (Nvidia's headers say void); we return 0. */
extern int __cudaRegisterFunction(void** fatCubinHandle, const char* hostFun, char* deviceFun,
                                  const char* deviceName, int thread_limit, void* tid, void* bid, void* bDim,
                                  void* gDim, int* wSize);
extern void __cudaRegisterVar(void** fatCubinHandle, char* hostVar, char* deviceAddress, const char* deviceName,
                              int ext, size_t size, int constant, int global);
/* The shape Clang 15 declares: `*hostVarPtrAddress` receives the variable's storage, `initValue` points to its
 * initial bytes (Nvidia's header has a different, 8-argument form; Clang's is the one its code calls). */
extern void __cudaRegisterManagedVar(void** fatCubinHandle, void** hostVarPtrAddress, char* initValue,
                                     const char* deviceName, size_t size, unsigned align);
extern unsigned __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem __CUPORT_DV(0),
                                            cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t __cudaPopCallConfiguration(dim3* gridDim, dim3* blockDim, size_t* sharedMem, void* stream);
/* The pre-CUDA-9.2 launch ABI, which Clang uses when it does not know the CUDA version (e.g. a device pass
 * without -target-sdk-version).  Deprecated, but declared so such passes parse `<<<...>>>`, and implemented. */
extern cudaError_t cudaConfigureCall(dim3 gridDim, dim3 blockDim, size_t sharedMem __CUPORT_DV(0),
                                     cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaSetupArgument(const void* arg, size_t size, size_t offset);
extern cudaError_t cudaLaunch(const void* func);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* ---- C++ conveniences (CUDA offers these as templates in C++) ------------------------------------------ */
#if defined(__cplusplus)
/* Lets cuda_runtime.h know these templates already exist. */
#define __CUPORT_RUNTIME_API_TEMPLATES 1

template <class T>
static inline cudaError_t cudaMalloc(T** devPtr, size_t size) {
  return ::cudaMalloc((void**)(void*)devPtr, size);
}

template <class T>
static inline cudaError_t cudaMallocHost(T** ptr, size_t size) {
  return ::cudaMallocHost((void**)(void*)ptr, size);
}

template <class T>
static inline cudaError_t cudaHostAlloc(T** ptr, size_t size, unsigned int flags) {
  return ::cudaHostAlloc((void**)(void*)ptr, size, flags);
}

/* C++ overload: cudaEventCreate with flags. */
static inline cudaError_t cudaEventCreate(cudaEvent_t* event, unsigned int flags) {
  return ::cudaEventCreateWithFlags(event, flags);
}

template <class T>
static inline cudaError_t cudaMemcpyToSymbol(const T& symbol, const void* src, size_t count, size_t offset = 0,
                                             enum cudaMemcpyKind kind = cudaMemcpyHostToDevice) {
  return ::cudaMemcpyToSymbol((const void*)&symbol, src, count, offset, kind);
}

template <class T>
static inline cudaError_t cudaMemcpyFromSymbol(void* dst, const T& symbol, size_t count, size_t offset = 0,
                                               enum cudaMemcpyKind kind = cudaMemcpyDeviceToHost) {
  return ::cudaMemcpyFromSymbol(dst, (const void*)&symbol, count, offset, kind);
}

template <class T>
static inline cudaError_t cudaMemcpyToSymbolAsync(const T& symbol, const void* src, size_t count,
                                                  size_t offset = 0,
                                                  enum cudaMemcpyKind kind = cudaMemcpyHostToDevice,
                                                  cudaStream_t stream = 0) {
  return ::cudaMemcpyToSymbolAsync((const void*)&symbol, src, count, offset, kind, stream);
}

template <class T>
static inline cudaError_t cudaMemcpyFromSymbolAsync(void* dst, const T& symbol, size_t count, size_t offset = 0,
                                                    enum cudaMemcpyKind kind = cudaMemcpyDeviceToHost,
                                                    cudaStream_t stream = 0) {
  return ::cudaMemcpyFromSymbolAsync(dst, (const void*)&symbol, count, offset, kind, stream);
}

template <class T>
static inline cudaError_t cudaGetSymbolAddress(void** devPtr, const T& symbol) {
  return ::cudaGetSymbolAddress(devPtr, (const void*)&symbol);
}

template <class T>
static inline cudaError_t cudaGetSymbolSize(size_t* size, const T& symbol) {
  return ::cudaGetSymbolSize(size, (const void*)&symbol);
}

template <typename... ExpTypes>
static inline cudaError_t cudaLaunchKernel(void (*kernel)(ExpTypes...), dim3 gridDim, dim3 blockDim,
                                           void** args, size_t sharedMem = 0, cudaStream_t stream = 0) {
  return ::cudaLaunchKernel((const void*)kernel, gridDim, blockDim, args, sharedMem, stream);
}

template <class T>
static inline cudaError_t cudaFuncGetAttributes(struct cudaFuncAttributes* attr, T* entry) {
  return ::cudaFuncGetAttributes(attr, (const void*)entry);
}

template <class T>
static inline cudaError_t cudaFuncSetCacheConfig(T* func, enum cudaFuncCache cacheConfig) {
  return ::cudaFuncSetCacheConfig((const void*)func, cacheConfig);
}

template <class T>
static inline cudaError_t cudaFuncSetSharedMemConfig(T* func, enum cudaSharedMemConfig config) {
  return ::cudaFuncSetSharedMemConfig((const void*)func, config);
}

template <class T>
static inline cudaError_t cudaFuncSetAttribute(T* entry, enum cudaFuncAttribute attr, int value) {
  return ::cudaFuncSetAttribute((const void*)entry, attr, value);
}
#endif /* __cplusplus */

#undef __CUPORT_DV

#endif /* __CUDA_RUNTIME_API_H__ */
