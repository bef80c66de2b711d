/* cuport extensions to the CUDA runtime API: which backends are loaded and which backend a device
 * belongs to.  Not part of CUDA; programs that want to stay portable to Nvidia's runtime guard their use
 * with #ifdef __CUPORT__ (cuport-cc defines it).
 *
 * Backends are selected with the environment variable CUPORT_BACKEND before the first CUDA call:
 * unset or "cpu" -> the CPU backend; a name or a comma-separated list ("opencl,cpu") -> those, with their
 * devices numbered in that order; "all" -> every backend plugin that is installed.  Backends that fail to
 * load or have no devices stay listed here with the reason. */
#ifndef CUPORT_CUPORT_RUNTIME_H
#define CUPORT_CUPORT_RUNTIME_H

#include "driver_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of backends that were requested (loaded or not). */
int cuportGetBackendCount(void);
/* name: "cpu", "opencl", ...; deviceCount: its CUDA devices (0 if unavailable); status: "" when loaded
 * with devices, else why not.  Strings stay valid until the process exits. */
cudaError_t cuportGetBackendInfo(int index, const char **name, int *deviceCount, const char **status);
/* The backend of a CUDA device. */
cudaError_t cuportDeviceGetBackend(int device, const char **name);

/* Called by the object cuport-cc generates for a device link (relocatable device code, -rdc=true): hands
 * the linked device image (a fat binary, docs/fatbin.md) to the runtime before main().  Not for users. */
void __cuportRegisterLinkedImage(const void *image, unsigned long size);

#ifdef __cplusplus
}
#endif

#endif
