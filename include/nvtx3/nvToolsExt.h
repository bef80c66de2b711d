/* NVTX v3 include path: the same header-only no-ops as <nvToolsExt.h>. */
#include "../nvToolsExt.h"
