/* CUDA built-in types (clean-room): the runtime's driver types and the built-in vector types. */
#ifndef __BUILTIN_TYPES_H__
#define __BUILTIN_TYPES_H__

#include "host_defines.h"
#include "driver_types.h"
#include "vector_types.h"

#endif
