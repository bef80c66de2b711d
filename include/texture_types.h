/* Textures and surfaces (clean-room, names and signatures from the CUDA Runtime API reference, "Texture
 * Object Management", "Surface Object Management", and the CUDA C++ Programming Guide, "Texture Functions",
 * "Surface Functions").
 *
 * cuport does not implement textures or surfaces yet.  Everything here is declared so that a program
 * using them fails to compile with an error that names the feature at the line that uses it, e.g.
 *   x.cu:12:15: error: 'tex1Dfetch<float, unsigned long long, int>' is unavailable: textures and surfaces
 *   are not supported by cuport yet (docs/limitations.md)
 * rather than with "use of undeclared identifier".  Nothing here is defined or exported. */
#ifndef __CUPORT_TEXTURE_TYPES_H__
#define __CUPORT_TEXTURE_TYPES_H__

#include "driver_types.h"
#include "host_defines.h"

#define __CUPORT_NO_TEXTURES \
  __attribute__((unavailable("textures and surfaces are not supported by cuport yet (docs/limitations.md)")))

enum cudaTextureReadMode { cudaReadModeElementType = 0, cudaReadModeNormalizedFloat = 1 };
enum cudaTextureAddressMode { cudaAddressModeWrap = 0, cudaAddressModeClamp = 1, cudaAddressModeMirror = 2,
                              cudaAddressModeBorder = 3 };
enum cudaTextureFilterMode { cudaFilterModePoint = 0, cudaFilterModeLinear = 1 };
enum cudaResourceType { cudaResourceTypeArray = 0, cudaResourceTypeMipmappedArray = 1,
                        cudaResourceTypeLinear = 2, cudaResourceTypePitch2D = 3 };
enum cudaSurfaceBoundaryMode { cudaBoundaryModeZero = 0, cudaBoundaryModeClamp = 1, cudaBoundaryModeTrap = 2 };

/* The descriptors are complete types, so that using one reports the feature rather than an incomplete type.
 * GCC (host-only code built by g++/gcc) also rejects the header's own mentions of an unavailable type, so
 * there only the functions are marked. */
#if defined(__clang__)
#define __CUPORT_NO_TEXTURE_TYPE __CUPORT_NO_TEXTURES
#else
#define __CUPORT_NO_TEXTURE_TYPE
#endif
struct __CUPORT_NO_TEXTURE_TYPE cudaResourceDesc {
  enum cudaResourceType resType;
  unsigned char __cuport_reserved[64];
};
struct __CUPORT_NO_TEXTURE_TYPE cudaTextureDesc {
  enum cudaTextureAddressMode addressMode[3];
  enum cudaTextureFilterMode filterMode;
  enum cudaTextureReadMode readMode;
  int normalizedCoords;
  unsigned char __cuport_reserved[64];
};
struct __CUPORT_NO_TEXTURE_TYPE cudaResourceViewDesc {
  unsigned char __cuport_reserved[64];
};

#ifdef __cplusplus
extern "C" {
#endif
cudaError_t cudaCreateTextureObject(cudaTextureObject_t *pTexObject, const struct cudaResourceDesc *pResDesc,
                                    const struct cudaTextureDesc *pTexDesc,
                                    const struct cudaResourceViewDesc *pResViewDesc) __CUPORT_NO_TEXTURES;
cudaError_t cudaDestroyTextureObject(cudaTextureObject_t texObject) __CUPORT_NO_TEXTURES;
cudaError_t cudaCreateSurfaceObject(cudaSurfaceObject_t *pSurfObject,
                                    const struct cudaResourceDesc *pResDesc) __CUPORT_NO_TEXTURES;
cudaError_t cudaDestroySurfaceObject(cudaSurfaceObject_t surfObject) __CUPORT_NO_TEXTURES;
struct cudaChannelFormatDesc cudaCreateChannelDesc(int x, int y, int z, int w,
                                                   enum cudaChannelFormatKind f) __CUPORT_NO_TEXTURES;
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
/* The legacy texture references.  Clang does not report an unavailable class template used through a
 * specialization, so instantiating one also fails a static_assert that names the feature. */
template <class __T> struct __cuport_dependent_false { static const bool value = false; };
template <class T, int dim = 1, enum cudaTextureReadMode mode = cudaReadModeElementType>
struct __CUPORT_NO_TEXTURE_TYPE texture {
  static_assert(__cuport_dependent_false<T>::value,
                "texture references (texture<T, dim, mode>) are not supported by cuport yet (docs/limitations.md)");
};
template <class T> struct __CUPORT_NO_TEXTURE_TYPE surface {
  static_assert(__cuport_dependent_false<T>::value,
                "surface references are not supported by cuport yet (docs/limitations.md)");
};
template <class T> cudaChannelFormatDesc cudaCreateChannelDesc(void) __CUPORT_NO_TEXTURES;

/* Texture and surface functions: any arguments, so that both the object and the reference forms name the
 * feature. */
#define __CUPORT_NO_TEXTURE_FUNCTION(name) \
  template <class T, class... A> __host__ __device__ T name(A...) __CUPORT_NO_TEXTURES;
__CUPORT_NO_TEXTURE_FUNCTION(tex1Dfetch)
__CUPORT_NO_TEXTURE_FUNCTION(tex1D)
__CUPORT_NO_TEXTURE_FUNCTION(tex2D)
__CUPORT_NO_TEXTURE_FUNCTION(tex3D)
__CUPORT_NO_TEXTURE_FUNCTION(tex1DLayered)
__CUPORT_NO_TEXTURE_FUNCTION(tex2DLayered)
__CUPORT_NO_TEXTURE_FUNCTION(texCubemap)
__CUPORT_NO_TEXTURE_FUNCTION(texCubemapLayered)
__CUPORT_NO_TEXTURE_FUNCTION(tex2Dgather)
__CUPORT_NO_TEXTURE_FUNCTION(tex1DLod)
__CUPORT_NO_TEXTURE_FUNCTION(tex2DLod)
__CUPORT_NO_TEXTURE_FUNCTION(tex3DLod)
__CUPORT_NO_TEXTURE_FUNCTION(tex1DGrad)
__CUPORT_NO_TEXTURE_FUNCTION(tex2DGrad)
__CUPORT_NO_TEXTURE_FUNCTION(tex3DGrad)
__CUPORT_NO_TEXTURE_FUNCTION(surf1Dread)
__CUPORT_NO_TEXTURE_FUNCTION(surf2Dread)
__CUPORT_NO_TEXTURE_FUNCTION(surf3Dread)
__CUPORT_NO_TEXTURE_FUNCTION(surf1DLayeredread)
__CUPORT_NO_TEXTURE_FUNCTION(surf2DLayeredread)
#undef __CUPORT_NO_TEXTURE_FUNCTION
#define __CUPORT_NO_SURFACE_WRITE(name) \
  template <class... A> __host__ __device__ void name(A...) __CUPORT_NO_TEXTURES;
__CUPORT_NO_SURFACE_WRITE(surf1Dwrite)
__CUPORT_NO_SURFACE_WRITE(surf2Dwrite)
__CUPORT_NO_SURFACE_WRITE(surf3Dwrite)
__CUPORT_NO_SURFACE_WRITE(surf1DLayeredwrite)
__CUPORT_NO_SURFACE_WRITE(surf2DLayeredwrite)
#undef __CUPORT_NO_SURFACE_WRITE
#endif /* __cplusplus */

#endif
