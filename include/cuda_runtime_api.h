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
extern cudaError_t cudaMallocManaged(void** devPtr, size_t size, unsigned int flags __CUPORT_DV(cudaMemAttachGlobal));
extern cudaError_t cudaMallocPitch(void** devPtr, size_t* pitch, size_t width, size_t height);
extern cudaError_t cudaMalloc3D(struct cudaPitchedPtr* pitchedDevPtr, struct cudaExtent extent);
extern cudaError_t cudaMemcpy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width,
                                size_t height, enum cudaMemcpyKind kind);
extern cudaError_t cudaMemcpy2DAsync(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width,
                                     size_t height, enum cudaMemcpyKind kind, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemcpy3D(const struct cudaMemcpy3DParms* p);
extern cudaError_t cudaMemcpy3DAsync(const struct cudaMemcpy3DParms* p, cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemset2D(void* devPtr, size_t pitch, int value, size_t width, size_t height);
extern cudaError_t cudaMemset2DAsync(void* devPtr, size_t pitch, int value, size_t width, size_t height,
                                     cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemset3D(struct cudaPitchedPtr pitchedDevPtr, int value, struct cudaExtent extent);
extern cudaError_t cudaMemset3DAsync(struct cudaPitchedPtr pitchedDevPtr, int value, struct cudaExtent extent,
                                     cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaHostRegister(void* ptr, size_t size, unsigned int flags);
extern cudaError_t cudaHostUnregister(void* ptr);
extern cudaError_t cudaHostGetDevicePointer(void** pDevice, void* pHost, unsigned int flags);
extern cudaError_t cudaHostGetFlags(unsigned int* pFlags, void* pHost);
extern cudaError_t cudaMemcpyPeer(void* dst, int dstDevice, const void* src, int srcDevice, size_t count);
extern cudaError_t cudaMemcpyPeerAsync(void* dst, int dstDevice, const void* src, int srcDevice, size_t count,
                                       cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaDeviceCanAccessPeer(int* canAccessPeer, int device, int peerDevice);
extern cudaError_t cudaDeviceEnablePeerAccess(int peerDevice, unsigned int flags);
extern cudaError_t cudaDeviceDisablePeerAccess(int peerDevice);
extern cudaError_t cudaMallocAsync(void** devPtr, size_t size, cudaStream_t hStream);
extern cudaError_t cudaFreeAsync(void* devPtr, cudaStream_t hStream);
extern cudaError_t cudaMemPrefetchAsync(const void* devPtr, size_t count, int dstDevice,
                                        cudaStream_t stream __CUPORT_DV(0));
extern cudaError_t cudaMemAdvise(const void* devPtr, size_t count, enum cudaMemoryAdvise advice, int device);
extern cudaError_t cudaStreamAttachMemAsync(cudaStream_t stream, void* devPtr, size_t length __CUPORT_DV(0),
                                            unsigned int flags __CUPORT_DV(cudaMemAttachSingle));

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

/* ---- Stream capture and graphs (one stream per capture; docs/limitations.md) ------------------------ */
extern cudaError_t cudaStreamBeginCapture(cudaStream_t stream, enum cudaStreamCaptureMode mode);
extern cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* pGraph);
extern cudaError_t cudaStreamIsCapturing(cudaStream_t stream, enum cudaStreamCaptureStatus* pCaptureStatus);
extern cudaError_t cudaGraphInstantiate(cudaGraphExec_t* pGraphExec, cudaGraph_t graph,
                                        unsigned long long flags __CUPORT_DV(0));
extern cudaError_t cudaGraphInstantiateWithFlags(cudaGraphExec_t* pGraphExec, cudaGraph_t graph,
                                                 unsigned long long flags __CUPORT_DV(0));
extern cudaError_t cudaGraphLaunch(cudaGraphExec_t graphExec, cudaStream_t stream);
extern cudaError_t cudaGraphGetNodes(cudaGraph_t graph, cudaGraphNode_t* nodes, size_t* numNodes);
extern cudaError_t cudaGraphExecDestroy(cudaGraphExec_t graphExec);
extern cudaError_t cudaGraphDestroy(cudaGraph_t graph);
/* Graphs built node by node.  A graph runs on the device current when it was created; instantiation orders
 * the nodes by their dependencies (cycles: cudaErrorInvalidValue), and a launch runs them in that order in
 * the launch stream. */
extern cudaError_t cudaGraphCreate(cudaGraph_t* pGraph, unsigned int flags);
extern cudaError_t cudaGraphAddKernelNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                          const cudaGraphNode_t* pDependencies, size_t numDependencies,
                                          const struct cudaKernelNodeParams* pNodeParams);
extern cudaError_t cudaGraphAddMemcpyNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                          const cudaGraphNode_t* pDependencies, size_t numDependencies,
                                          const struct cudaMemcpy3DParms* pCopyParams);
extern cudaError_t cudaGraphAddMemcpyNode1D(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                            const cudaGraphNode_t* pDependencies, size_t numDependencies, void* dst,
                                            const void* src, size_t count, enum cudaMemcpyKind kind);
extern cudaError_t cudaGraphAddMemsetNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                          const cudaGraphNode_t* pDependencies, size_t numDependencies,
                                          const struct cudaMemsetParams* pMemsetParams);
extern cudaError_t cudaGraphAddHostNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                        const cudaGraphNode_t* pDependencies, size_t numDependencies,
                                        const struct cudaHostNodeParams* pNodeParams);
extern cudaError_t cudaGraphAddEmptyNode(cudaGraphNode_t* pGraphNode, cudaGraph_t graph,
                                         const cudaGraphNode_t* pDependencies, size_t numDependencies);
extern cudaError_t cudaGraphAddDependencies(cudaGraph_t graph, const cudaGraphNode_t* from, const cudaGraphNode_t* to,
                                            size_t numDependencies);
extern cudaError_t cudaGraphGetRootNodes(cudaGraph_t graph, cudaGraphNode_t* pRootNodes, size_t* pNumRootNodes);
extern cudaError_t cudaGraphNodeGetType(cudaGraphNode_t node, enum cudaGraphNodeType* pType);

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
extern cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* numBlocks, const void* func, int blockSize,
                                                                 size_t dynamicSMemSize);
extern cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int* numBlocks, const void* func,
                                                                          int blockSize, size_t dynamicSMemSize,
                                                                          unsigned int flags);
extern cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t* dynamicSmemSize, const void* func,
                                                             int numBlocks, int blockSize);

/* ---- Deprecated thread-scoped aliases and profiler control ----------------------------------------------- */
extern cudaError_t cudaThreadSetLimit(enum cudaLimit limit, size_t value);
extern cudaError_t cudaThreadGetLimit(size_t* pValue, enum cudaLimit limit);
extern cudaError_t cudaThreadSetCacheConfig(enum cudaFuncCache cacheConfig);
extern cudaError_t cudaThreadGetCacheConfig(enum cudaFuncCache* pCacheConfig);
extern cudaError_t cudaProfilerStart(void);
extern cudaError_t cudaProfilerStop(void);

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

/* ---- Constructors of the 3D memory structures (CUDA's driver_functions.h) -------------------------------- */
static __inline__ __host__ struct cudaPitchedPtr make_cudaPitchedPtr(void* d, size_t p, size_t xsz, size_t ysz) {
  struct cudaPitchedPtr s;
  s.ptr = d;
  s.pitch = p;
  s.xsize = xsz;
  s.ysize = ysz;
  return s;
}
static __inline__ __host__ struct cudaPos make_cudaPos(size_t x, size_t y, size_t z) {
  struct cudaPos p;
  p.x = x;
  p.y = y;
  p.z = z;
  return p;
}
static __inline__ __host__ struct cudaExtent make_cudaExtent(size_t w, size_t h, size_t d) {
  struct cudaExtent e;
  e.width = w;
  e.height = h;
  e.depth = d;
  return e;
}

/* ---- C++ conveniences (CUDA offers these as templates in C++) ------------------------------------------ */
#if defined(__cplusplus)
/* Lets cuda_runtime.h know these templates already exist. */
#define __CUPORT_RUNTIME_API_TEMPLATES 1
/* The allocating wrappers are always inlined, so the runtime sees the program's own call site
 * (CUPORT_LEAK_CHECK names it). */
#define __CUPORT_ALLOC_WRAPPER static inline __attribute__((__always_inline__))

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaMalloc(T** devPtr, size_t size) {
  return ::cudaMalloc((void**)(void*)devPtr, size);
}

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaMallocHost(T** ptr, size_t size) {
  return ::cudaMallocHost((void**)(void*)ptr, size);
}

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaHostAlloc(T** ptr, size_t size, unsigned int flags) {
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

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaMallocManaged(T** devPtr, size_t size, unsigned int flags = cudaMemAttachGlobal) {
  return ::cudaMallocManaged((void**)(void*)devPtr, size, flags);
}

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaMallocPitch(T** devPtr, size_t* pitch, size_t width, size_t height) {
  return ::cudaMallocPitch((void**)(void*)devPtr, pitch, width, height);
}

template <class T>
__CUPORT_ALLOC_WRAPPER cudaError_t cudaMallocAsync(T** devPtr, size_t size, cudaStream_t stream) {
  return ::cudaMallocAsync((void**)(void*)devPtr, size, stream);
}

template <class T>
static inline cudaError_t cudaHostGetDevicePointer(T** pDevice, void* pHost, unsigned int flags) {
  return ::cudaHostGetDevicePointer((void**)(void*)pDevice, pHost, flags);
}

template <class T>
static inline cudaError_t cudaStreamAttachMemAsync(cudaStream_t stream, T* devPtr, size_t length = 0,
                                                   unsigned int flags = cudaMemAttachSingle) {
  return ::cudaStreamAttachMemAsync(stream, (void*)devPtr, length, flags);
}

template <class T>
static inline cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* numBlocks, T func, int blockSize,
                                                                        size_t dynamicSMemSize) {
  return ::cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks, (const void*)func, blockSize,
                                                                  dynamicSMemSize, cudaOccupancyDefault);
}

template <class T>
static inline cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int* numBlocks, T func,
                                                                                 int blockSize,
                                                                                 size_t dynamicSMemSize,
                                                                                 unsigned int flags) {
  return ::cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks, (const void*)func, blockSize,
                                                                  dynamicSMemSize, flags);
}

template <class T>
static inline cudaError_t cudaOccupancyAvailableDynamicSMemPerBlock(size_t* dynamicSmemSize, T func, int numBlocks,
                                                                    int blockSize) {
  return ::cudaOccupancyAvailableDynamicSMemPerBlock(dynamicSmemSize, (const void*)func, numBlocks, blockSize);
}

namespace __cuport {
/* The dynamic shared memory a block of a given size needs, for the MaxPotentialBlockSize helpers. */
struct __ConstantSMem {
  size_t bytes;
  __host__ size_t operator()(int) const { return bytes; }
};
}  // namespace __cuport

/* The block size with the highest occupancy (largest first among equals) and the smallest grid that fills the
 * device at that occupancy.  Searches block sizes in whole warps, as CUDA's calculator does. */
template <class UnaryFunction, class T>
static inline cudaError_t cudaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
    int* minGridSize, int* blockSize, T func, UnaryFunction blockSizeToDynamicSMemSize, int blockSizeLimit = 0,
    unsigned int flags = cudaOccupancyDefault) {
  if (!minGridSize || !blockSize || !func) return cudaErrorInvalidValue;
  int device = 0, sms = 0, maxThreads = 0, warp = 0, smThreads = 0;
  cudaError_t e = ::cudaGetDevice(&device);
  if (e == cudaSuccess) e = ::cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
  if (e == cudaSuccess) e = ::cudaDeviceGetAttribute(&maxThreads, cudaDevAttrMaxThreadsPerBlock, device);
  if (e == cudaSuccess) e = ::cudaDeviceGetAttribute(&warp, cudaDevAttrWarpSize, device);
  if (e == cudaSuccess) e = ::cudaDeviceGetAttribute(&smThreads, cudaDevAttrMaxThreadsPerMultiProcessor, device);
  if (e != cudaSuccess) return e;
  struct cudaFuncAttributes attr;
  e = ::cudaFuncGetAttributes(&attr, (const void*)func);
  if (e != cudaSuccess) return e;
  int limit = attr.maxThreadsPerBlock < maxThreads ? attr.maxThreadsPerBlock : maxThreads;
  if (blockSizeLimit > 0 && blockSizeLimit < limit) limit = blockSizeLimit;
  if (warp <= 0) warp = 32;
  int bestBlock = 0, bestThreads = 0, bestBlocks = 0;
  for (int b = (limit + warp - 1) / warp * warp; b > 0; b -= warp) {
    const int size = b > limit ? limit : b;
    int active = 0;
    e = ::cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&active, (const void*)func, size,
                                                                 blockSizeToDynamicSMemSize(size), flags);
    if (e != cudaSuccess) return e;
    if (active * size > bestThreads) {
      bestThreads = active * size;
      bestBlock = size;
      bestBlocks = active;
    }
    if (bestThreads >= smThreads) break;  /* full occupancy: larger blocks came first */
  }
  *blockSize = bestBlock;
  *minGridSize = bestBlocks * sms;
  return cudaSuccess;
}

template <class UnaryFunction, class T>
static inline cudaError_t cudaOccupancyMaxPotentialBlockSizeVariableSMem(int* minGridSize, int* blockSize, T func,
                                                                         UnaryFunction blockSizeToDynamicSMemSize,
                                                                         int blockSizeLimit = 0) {
  return cudaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(minGridSize, blockSize, func,
                                                                 blockSizeToDynamicSMemSize, blockSizeLimit,
                                                                 cudaOccupancyDefault);
}

template <class T>
static inline cudaError_t cudaOccupancyMaxPotentialBlockSize(int* minGridSize, int* blockSize, T func,
                                                             size_t dynamicSMemSize = 0, int blockSizeLimit = 0) {
  __cuport::__ConstantSMem smem = {dynamicSMemSize};
  return cudaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(minGridSize, blockSize, func, smem, blockSizeLimit,
                                                                 cudaOccupancyDefault);
}

template <class T>
static inline cudaError_t cudaOccupancyMaxPotentialBlockSizeWithFlags(int* minGridSize, int* blockSize, T func,
                                                                      size_t dynamicSMemSize = 0,
                                                                      int blockSizeLimit = 0,
                                                                      unsigned int flags = cudaOccupancyDefault) {
  __cuport::__ConstantSMem smem = {dynamicSMemSize};
  return cudaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(minGridSize, blockSize, func, smem, blockSizeLimit,
                                                                 flags);
}
#endif /* __cplusplus */

#undef __CUPORT_DV

#endif /* __CUDA_RUNTIME_API_H__ */
