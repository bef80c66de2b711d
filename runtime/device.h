// Internal: the device list from the backend and the calling host thread's current device.
#ifndef CUPORT_RUNTIME_DEVICE_H
#define CUPORT_RUNTIME_DEVICE_H

#include <cuport/backend.h>

#include <string>

#include "api.h"

namespace cuport {

// One CUDA device: a device of one of the loaded backends.  CUDA device numbers (`device`) are global,
// in backend order; backend hooks take the backend's own index (`local`).
struct DeviceEntry {
  const cuport_backend_ops* ops = nullptr;
  int local = 0;
  std::string backend;
  cuport_device_props props;
};

// What most entry points need: the backend, the current device and its properties.
struct Current {
  const cuport_backend_ops* ops = nullptr;
  int device = 0; // CUDA device number
  int local = 0;  // the backend's index of that device
  const cuport_device_props* props = nullptr;
};

// The entry of a CUDA device number, or null.  Initializes the runtime on first use.
const DeviceEntry* device_entry(int device);

// Initializes the runtime on first use (loads the backend, reads the device list).  Fails with
// cudaErrorNoDevice / cudaErrorInitializationError when there is no usable device, or with the current
// device's sticky error when `check_sticky` is set.
cudaError_t current(Current* out, bool check_sticky = true);

// Number of devices (0 when the backend is missing) and a device's properties (null if out of range).
// Both initialize the runtime on first use.
cudaError_t device_count(int* count);
const cuport_device_props* device_props(int device);

}  // namespace cuport

#endif
