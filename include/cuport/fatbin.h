/* cuport fat-binary container, version 1.  See docs/fatbin.md.
 *
 * Written by cuport-cc, embedded by Clang's -fcuda-include-gpubinary into the host object, and parsed by
 * libcuport at __cudaRegisterFatBinary time.  All integers are little-endian.  Layout:
 *
 *   cuport_fatbin_header
 *   cuport_fatbin_entry[entry_count]
 *   payloads (each entry's bytes at header-relative `offset`, 16-byte aligned)
 *
 * Entry kinds: one MANIFEST (text, target-independent kernel/variable metadata) and one IMAGE per target
 * ("cpu-x86_64-linux" is a shared object for the CPU backend, "opencl-c" OpenCL C source for the OpenCL
 * backend; later targets add their own strings).
 */
#ifndef CUPORT_FATBIN_H
#define CUPORT_FATBIN_H

#include <stdint.h>

#define CUPORT_FATBIN_MAGIC "CUPORTFB"
#define CUPORT_FATBIN_VERSION 1u
#define CUPORT_FATBIN_TARGET_LEN 48

enum cuport_fatbin_entry_kind {
  CUPORT_FATBIN_MANIFEST = 1, /* UTF-8 text, see docs/fatbin.md */
  CUPORT_FATBIN_IMAGE = 2     /* a device image for `target` */
};

typedef struct cuport_fatbin_header {
  char magic[8];          /* "CUPORTFB", no NUL */
  uint32_t version;       /* CUPORT_FATBIN_VERSION */
  uint32_t header_size;   /* sizeof(cuport_fatbin_header) */
  uint64_t total_size;    /* bytes from the header's first byte to the last payload byte */
  uint32_t entry_count;
  uint32_t entry_size;    /* sizeof(cuport_fatbin_entry) */
} cuport_fatbin_header;

typedef struct cuport_fatbin_entry {
  uint32_t kind;          /* cuport_fatbin_entry_kind */
  uint32_t flags;         /* 0 */
  uint64_t offset;        /* from the header's first byte */
  uint64_t size;
  char target[CUPORT_FATBIN_TARGET_LEN]; /* NUL-terminated; "" for the manifest */
} cuport_fatbin_entry;

#define CUPORT_TARGET_CPU "cpu-x86_64-linux"
/* OpenCL C 1.2 source with "//@" metadata lines, run by the OpenCL backend (docs/adding-a-backend.md). */
#define CUPORT_TARGET_OPENCL "opencl-c"
/* AMDGPU code objects for the HIP backend: a Clang offload bundle ("__CLANG_OFFLOAD_BUNDLE__") holding one
 * ELF code object per GPU architecture, with bundle entry ids "hipv4-amdgcn-amd-amdhsa--<gfx arch>"
 * (docs/fatbin.md, docs/hip.md). */
#define CUPORT_TARGET_AMDGCN "amdgcn-amd-amdhsa"
/* PTX assembly text for the Nvidia passthrough backend (the "cuda" backend loads it with cuModuleLoadData),
 * with "// cuport-unsupported <kernel> <reason>" comment lines for kernels left out (docs/fatbin.md). */
#define CUPORT_TARGET_PTX "nvptx64-ptx"

#endif
