/* NVTX-style annotations (the names of NVIDIA's Tools Extension API, version 2/3), as header-only no-ops.
 * Programs that mark ranges for Nsight compile and run unchanged; nothing is recorded.  Every function
 * evaluates nothing but its arguments and returns what the NVTX API returns when no tool is attached:
 * nvtxRangePush* returns the nesting depth (starting at 0), nvtxRangePop the depth before popping (-1 when
 * nothing was pushed), nvtxRangeStart* an id (0). */
#ifndef CUPORT_NVTOOLSEXT_H
#define CUPORT_NVTOOLSEXT_H

#include <stddef.h>
#include <stdint.h>

#ifndef NVTX_VERSION
#define NVTX_VERSION 3
#endif

#define NVTX_EVENT_ATTRIB_STRUCT_SIZE ((uint16_t)(sizeof(nvtxEventAttributes_t)))

typedef uint64_t nvtxRangeId_t;
typedef struct nvtxDomainRegistration_st* nvtxDomainHandle_t;
typedef struct nvtxStringRegistration_st* nvtxStringHandle_t;

typedef enum nvtxColorType_t { NVTX_COLOR_UNKNOWN = 0, NVTX_COLOR_ARGB = 1 } nvtxColorType_t;

typedef enum nvtxMessageType_t {
  NVTX_MESSAGE_UNKNOWN = 0,
  NVTX_MESSAGE_TYPE_ASCII = 1,
  NVTX_MESSAGE_TYPE_UNICODE = 2,
  NVTX_MESSAGE_TYPE_REGISTERED = 3
} nvtxMessageType_t;

typedef enum nvtxPayloadType_t {
  NVTX_PAYLOAD_UNKNOWN = 0,
  NVTX_PAYLOAD_TYPE_UNSIGNED_INT64 = 1,
  NVTX_PAYLOAD_TYPE_INT64 = 2,
  NVTX_PAYLOAD_TYPE_DOUBLE = 3,
  NVTX_PAYLOAD_TYPE_UNSIGNED_INT32 = 4,
  NVTX_PAYLOAD_TYPE_INT32 = 5,
  NVTX_PAYLOAD_TYPE_FLOAT = 6
} nvtxPayloadType_t;

typedef union nvtxMessageValue_t {
  const char* ascii;
  const wchar_t* unicode;
  nvtxStringHandle_t registered;
} nvtxMessageValue_t;

typedef struct nvtxEventAttributes_v2 {
  uint16_t version;
  uint16_t size;
  uint32_t category;
  int32_t colorType;
  uint32_t color;
  int32_t payloadType;
  int32_t reserved0;
  union payload_t {
    uint64_t ullValue;
    int64_t llValue;
    double dValue;
    uint32_t uiValue;
    int32_t iValue;
    float fValue;
  } payload;
  int32_t messageType;
  nvtxMessageValue_t message;
} nvtxEventAttributes_v2;
typedef struct nvtxEventAttributes_v2 nvtxEventAttributes_t;

#if defined(__cplusplus)
#define CUPORT_NVTX_FN static inline
#else
#define CUPORT_NVTX_FN static inline
#endif

#if defined(__CUDACC__) || defined(__CUDA__)
#define CUPORT_NVTX_HOST __attribute__((host))
#else
#define CUPORT_NVTX_HOST
#endif

/* Per-thread nesting depth of pushed ranges, so that Push/Pop return values match NVTX's. */
CUPORT_NVTX_HOST CUPORT_NVTX_FN int* cuport_nvtx_depth_(void) {
  static __thread int depth;
  return &depth;
}

CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxInitialize(const void* reserved) { (void)reserved; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxMarkA(const char* message) { (void)message; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxMarkW(const wchar_t* message) { (void)message; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxMarkEx(const nvtxEventAttributes_t* a) { (void)a; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN nvtxRangeId_t nvtxRangeStartA(const char* message) { (void)message; return 0; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN nvtxRangeId_t nvtxRangeStartW(const wchar_t* message) { (void)message; return 0; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN nvtxRangeId_t nvtxRangeStartEx(const nvtxEventAttributes_t* a) { (void)a; return 0; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxRangeEnd(nvtxRangeId_t id) { (void)id; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxRangePushA(const char* message) {
  (void)message;
  return (*cuport_nvtx_depth_())++;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxRangePushW(const wchar_t* message) {
  (void)message;
  return (*cuport_nvtx_depth_())++;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxRangePushEx(const nvtxEventAttributes_t* a) {
  (void)a;
  return (*cuport_nvtx_depth_())++;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxRangePop(void) {
  int* d = cuport_nvtx_depth_();
  if (*d == 0) return -1;
  return --*d;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxNameOsThreadA(uint32_t threadId, const char* name) {
  (void)threadId, (void)name;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxNameCategoryA(uint32_t category, const char* name) {
  (void)category, (void)name;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN nvtxDomainHandle_t nvtxDomainCreateA(const char* name) { (void)name; return NULL; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxDomainDestroy(nvtxDomainHandle_t domain) { (void)domain; }
CUPORT_NVTX_HOST CUPORT_NVTX_FN void nvtxDomainMarkEx(nvtxDomainHandle_t d, const nvtxEventAttributes_t* a) {
  (void)d, (void)a;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxDomainRangePushEx(nvtxDomainHandle_t d, const nvtxEventAttributes_t* a) {
  (void)d, (void)a;
  return (*cuport_nvtx_depth_())++;
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN int nvtxDomainRangePop(nvtxDomainHandle_t d) {
  (void)d;
  return nvtxRangePop();
}
CUPORT_NVTX_HOST CUPORT_NVTX_FN nvtxStringHandle_t nvtxDomainRegisterStringA(nvtxDomainHandle_t d, const char* s) {
  (void)d, (void)s;
  return NULL;
}

#undef CUPORT_NVTX_FN

#endif /* CUPORT_NVTOOLSEXT_H */
