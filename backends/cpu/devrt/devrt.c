/* The CPU device runtime: functions that device code calls by name, linked statically into every CPU
 * image by cuport-cc.  The lowering renames Clang's device-side entry points to these names so they can
 * never bind to the C library's functions of the same name.
 *
 *   printf in device code -> __cuport_vprintf(format, packed arguments)
 *   assert in device code -> __cuport_assertfail_at(message, file, line, function, char size, block
 *                            context, threadIdx.x, .y, .z)
 *
 * Packed arguments follow the NVPTX vprintf convention Clang uses: each argument after default promotions
 * (float -> double, char/short -> int) is stored at the next offset aligned to its size. */
#include "cuport/cpu_kernel_abi.h"

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUPORT_HIDDEN __attribute__((visibility("hidden")))

static size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

static int64_t take_int(const char *args, size_t *off, size_t size) {
  *off = align_up(*off, size);
  int64_t v = 0;
  if (size == 8) {
    int64_t x;
    memcpy(&x, args + *off, 8);
    v = x;
  } else {
    int32_t x;
    memcpy(&x, args + *off, 4);
    v = x;
  }
  *off += size;
  return v;
}

static double take_double(const char *args, size_t *off) {
  double d;
  *off = align_up(*off, 8);
  memcpy(&d, args + *off, 8);
  *off += 8;
  return d;
}

static const void *take_ptr(const char *args, size_t *off) {
  const void *p;
  *off = align_up(*off, 8);
  memcpy(&p, args + *off, 8);
  *off += 8;
  return p;
}

/* Formats into a buffer and writes it with one call, so lines from concurrently running blocks do not
 * interleave mid-line. */
CUPORT_HIDDEN int __cuport_vprintf(const char *fmt, const char *args) {
  char out[4096];
  size_t n = 0, off = 0;
  const char *p = fmt;
#define EMIT(...)                                                                                      \
  do {                                                                                                 \
    if (n < sizeof out) {                                                                              \
      int w_ = snprintf(out + n, sizeof out - n, __VA_ARGS__);                                         \
      if (w_ > 0)                                                                                      \
        n += (size_t)w_ < sizeof out - n ? (size_t)w_ : sizeof out - n - 1;                            \
    }                                                                                                  \
  } while (0)
  while (*p) {
    if (*p != '%') {
      if (n < sizeof out - 1)
        out[n++] = *p;
      ++p;
      continue;
    }
    if (p[1] == '%') {
      if (n < sizeof out - 1)
        out[n++] = '%';
      p += 2;
      continue;
    }
    /* One conversion: %[flags][width][.precision][length]conv */
    char spec[64];
    size_t s = 0;
    spec[s++] = *p++;
    int star_width = 0, star_prec = 0;
    while (*p && strchr("-+ #0", *p) && s < 40)
      spec[s++] = *p++;
    if (*p == '*') {
      star_width = 1;
      spec[s++] = *p++;
    }
    while (*p >= '0' && *p <= '9' && s < 40)
      spec[s++] = *p++;
    if (*p == '.') {
      spec[s++] = *p++;
      if (*p == '*') {
        star_prec = 1;
        spec[s++] = *p++;
      }
      while (*p >= '0' && *p <= '9' && s < 40)
        spec[s++] = *p++;
    }
    int longs = 0;
    while (*p && strchr("hlLqjzt", *p) && s < 50) {
      if (*p == 'l' || *p == 'q' || *p == 'j' || *p == 'z' || *p == 't')
        ++longs;
      spec[s++] = *p++;
    }
    char conv = *p ? *p++ : '\0';
    spec[s++] = conv;
    spec[s] = '\0';
    int w = star_width ? (int)take_int(args, &off, 4) : 0;
    int pr = star_prec ? (int)take_int(args, &off, 4) : 0;
    switch (conv) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c': {
      int64_t v = take_int(args, &off, longs ? 8 : 4);
      /* Re-issue with an explicit 64-bit length so the host printf reads what we pass. */
      char fixed[64];
      size_t k = 0;
      for (size_t i = 0; i + 1 < s; ++i)
        if (!strchr("hlLqjzt", spec[i]))
          fixed[k++] = spec[i];
      if (conv != 'c') {
        fixed[k++] = 'l';
        fixed[k++] = 'l';
      }
      fixed[k++] = conv;
      fixed[k] = '\0';
      if (conv == 'c') {
        if (star_width && star_prec) EMIT(fixed, w, pr, (int)v);
        else if (star_width) EMIT(fixed, w, (int)v);
        else EMIT(fixed, (int)v);
      } else if (longs == 0 && (conv == 'u' || conv == 'x' || conv == 'X' || conv == 'o')) {
        unsigned long long u = (uint32_t)v;
        if (star_width && star_prec) EMIT(fixed, w, pr, u);
        else if (star_width) EMIT(fixed, w, u);
        else if (star_prec) EMIT(fixed, pr, u);
        else EMIT(fixed, u);
      } else {
        long long x = (long long)v;
        if (star_width && star_prec) EMIT(fixed, w, pr, x);
        else if (star_width) EMIT(fixed, w, x);
        else if (star_prec) EMIT(fixed, pr, x);
        else EMIT(fixed, x);
      }
      break;
    }
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
      double d = take_double(args, &off);
      char fixed[64];
      size_t k = 0;
      for (size_t i = 0; i + 1 < s; ++i)
        if (!strchr("hlLqjzt", spec[i]))
          fixed[k++] = spec[i];
      fixed[k++] = conv;
      fixed[k] = '\0';
      if (star_width && star_prec) EMIT(fixed, w, pr, d);
      else if (star_width) EMIT(fixed, w, d);
      else if (star_prec) EMIT(fixed, pr, d);
      else EMIT(fixed, d);
      break;
    }
    case 's': {
      const char *str = (const char *)take_ptr(args, &off);
      if (!str)
        str = "(null)";
      if (star_width && star_prec) EMIT(spec, w, pr, str);
      else if (star_width) EMIT(spec, w, str);
      else if (star_prec) EMIT(spec, pr, str);
      else EMIT(spec, str);
      break;
    }
    case 'p':
      EMIT("%p", take_ptr(args, &off));
      break;
    default:
      EMIT("%s", spec); /* unknown conversion: print it literally, like CUDA's printf */
      break;
    }
  }
#undef EMIT
  fwrite(out, 1, n, stdout);
  fflush(stdout);
  return (int)n;
}

/* A failing device assert: CUDA's message (with the block and thread), then SIGABRT.  The CPU backend
 * contains SIGABRT raised by a kernel: the launch fails with cudaErrorAssert.  Outside a contained kernel
 * the default action ends the process, as abort() would. */
CUPORT_HIDDEN void __cuport_assertfail_at(const char *message, const char *file, unsigned line,
                                          const char *function, size_t char_size,
                                          const cuport_cpu_block_ctx *ctx, unsigned tx, unsigned ty, unsigned tz) {
  (void)char_size;
  fflush(stdout);
  fprintf(stderr, "%s:%u: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n", file, line,
          function, ctx->block_idx[0], ctx->block_idx[1], ctx->block_idx[2], tx, ty, tz, message);
  fflush(stderr);
  raise(SIGABRT);
  abort();
}

/* C++ in device code: new/delete use the device heap (here: the C heap; CUDA's device operator new
 * returns null on exhaustion instead of throwing), and a call through a pure virtual function slot
 * reports itself.  Mangled names, hidden in the image, so they never replace the host program's. */
CUPORT_HIDDEN void *_Znwm(size_t n) { return malloc(n ? n : 1); }           /* operator new(size_t) */
CUPORT_HIDDEN void *_Znam(size_t n) { return malloc(n ? n : 1); }           /* operator new[](size_t) */
CUPORT_HIDDEN void _ZdlPv(void *p) { free(p); }                            /* operator delete(void*) */
CUPORT_HIDDEN void _ZdaPv(void *p) { free(p); }                            /* operator delete[](void*) */
CUPORT_HIDDEN void _ZdlPvm(void *p, size_t n) { (void)n; free(p); }        /* sized delete */
CUPORT_HIDDEN void _ZdaPvm(void *p, size_t n) { (void)n; free(p); }        /* sized delete[] */
CUPORT_HIDDEN void *_ZnwmSt11align_val_t(size_t n, size_t a) {             /* aligned new */
  void *p = NULL;
  return posix_memalign(&p, a < sizeof(void *) ? sizeof(void *) : a, n ? n : 1) == 0 ? p : NULL;
}
CUPORT_HIDDEN void *_ZnamSt11align_val_t(size_t n, size_t a) { return _ZnwmSt11align_val_t(n, a); }
CUPORT_HIDDEN void _ZdlPvSt11align_val_t(void *p, size_t a) { (void)a; free(p); }
CUPORT_HIDDEN void _ZdaPvSt11align_val_t(void *p, size_t a) { (void)a; free(p); }
CUPORT_HIDDEN void _ZdlPvmSt11align_val_t(void *p, size_t n, size_t a) { (void)n; (void)a; free(p); }
CUPORT_HIDDEN void _ZdaPvmSt11align_val_t(void *p, size_t n, size_t a) { (void)n; (void)a; free(p); }

CUPORT_HIDDEN void __cxa_pure_virtual(void) {
  fflush(stdout);
  fprintf(stderr, "cuport: device code called a pure virtual function\n");
  abort();
}
