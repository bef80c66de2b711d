; The AMDGPU lowering before the device libraries are linked (AMDGPULibraryCalls, AMDGPURetarget, and
; LowerNVVMIntrinsics for GPU targets): a by-value struct parameter read from the kernel-argument segment
; into private memory, thread indices and barriers as HIP device-runtime calls, a warp shuffle as
; __cuport_sync, C math functions as ocml calls, printf through ockl, a string literal moved to the constant
; address space, an exported __device__ variable, dynamic shared memory as external LDS, and a kernel that
; uses the device heap left out with its file:line.
; Source (CUDA), compiled with `cuport-cc -c t.cu --keep-dir k` (k/t.nvptx.bc, llvm-dis):
;   struct Params { float scale; int n; double bias[2]; };
;   __device__ int counter;
;   __global__ void work(Params p, float* out) {
;     extern __shared__ float dyn[];
;     int i = blockIdx.x * blockDim.x + threadIdx.x;
;     dyn[threadIdx.x] = sinf(p.scale * i) + erff(1.0f);
;     __syncthreads();
;     float v = __shfl_down_sync(0xffffffffu, dyn[threadIdx.x], 1);
;     if (i < p.n) out[i] = v + (float)p.bias[1] + gridDim.y;
;     if (i == 0) { atomicAdd(&counter, 1); printf("n=%d\n", p.n); }
;   }
;   __global__ void heap(int** out) { *out = (int*)malloc(16); }
; REQUIRES: rocm-device-libs
; RUN: %cuport-opt -passes=amdgpu --offload-arch=gfx1100 %s | %FileCheck %s --check-prefixes=CHECK,W32
; RUN: %cuport-opt -passes=amdgpu --offload-arch=gfx90a %s | %FileCheck %s --check-prefixes=CHECK,W64

; CHECK: ; unsupported: _Z4heapPPi t.cu:12:48: error: device-side malloc (the device heap) is not supported on AMDGPU yet
; CHECK: target triple = "amdgcn-amd-amdhsa"
; CHECK: @counter = protected addrspace(1) externally_initialized global i32 0
; CHECK: @dyn = external dso_local addrspace(3) global [0 x float]
; CHECK: @.str = private unnamed_addr addrspace(4) constant [6 x i8] c"n=%d\0A\00"
; CHECK-NOT: define {{.*}}@_Z4heapPPi
; CHECK-LABEL: define protected amdgpu_kernel void @_Z4work6ParamsPf(ptr addrspace(4) noundef byref(%struct.Params) align 8 %0, ptr noundef %1)
; CHECK-NEXT: %.copy = alloca %struct.Params, align 8, addrspace(5)
; CHECK-NEXT: call void @llvm.memcpy.p5.p4.i64(ptr addrspace(5) align 8 %.copy, ptr addrspace(4) align 8 %0, i64 24, i1 false)
; CHECK-NEXT: [[P:%[0-9]+]] = addrspacecast ptr addrspace(5) %.copy to ptr
; CHECK: call i32 @__cuport_sreg_ctaid_x()
; CHECK: call i32 @__cuport_sreg_ntid_x()
; CHECK: call i32 @__cuport_sreg_tid_x()
; CHECK: load float, ptr [[P]]
; CHECK: call float @__ocml_sin_f32(
; CHECK: call float @__ocml_erf_f32(float 1.000000e+00)
; CHECK: store float {{.*}}, ptr addrspace(3)
; CHECK: call void @__cuport_barrier()
; shfl.sync.down: kind 7, full mask, delta 1, clamp 31
; CHECK: call i64 @__cuport_sync(i32 7, i32 -1, i64 {{%[0-9]+}}, i64 1, i64 31)
; CHECK: call i32 @__cuport_sreg_nctaid_y()
; CHECK: atomicrmw add ptr addrspace(1) @counter, i32 1 monotonic
; CHECK: call i64 @__ockl_printf_begin(i64 0)
; CHECK: call i64 @__ockl_printf_append_args(
; CHECK-NOT: call {{.*}}@vprintf
; CHECK: attributes #{{[0-9]+}} = { {{.*}}"amdgpu-flat-work-group-size"="1,1024"
; W32-SAME: "target-cpu"="gfx1100" "target-features"="+wavefrontsize32,-wavefrontsize64" "uniform-work-group-size"="true"
; W64-SAME: "target-cpu"="gfx90a" "uniform-work-group-size"="true"

; ModuleID = 'k/t.nvptx.bc'
source_filename = "t.cu"
target datalayout = "e-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

%struct.__cuport_blockIdx_t = type { i8 }
%struct.__cuport_blockDim_t = type { i8 }
%struct.__cuport_threadIdx_t = type { i8 }
%struct.__cuport_gridDim_t = type { i8 }
%struct.Params = type { float, i32, [2 x double] }
%printf_args = type { i32 }

$_ZN19__cuport_blockIdx_t7__get_xEv = comdat any

$_ZN19__cuport_blockDim_t7__get_xEv = comdat any

$_ZN20__cuport_threadIdx_t7__get_xEv = comdat any

$_ZN18__cuport_gridDim_t7__get_yEv = comdat any

@counter = dso_local addrspace(1) externally_initialized global i32 0, align 4
@_ZL8blockIdx = internal addrspace(4) constant %struct.__cuport_blockIdx_t undef, align 1
@_ZL8blockDim = internal addrspace(4) constant %struct.__cuport_blockDim_t undef, align 1
@_ZL9threadIdx = internal addrspace(4) constant %struct.__cuport_threadIdx_t undef, align 1
@dyn = external dso_local addrspace(3) global [0 x float], align 4
@_ZL7gridDim = internal addrspace(4) constant %struct.__cuport_gridDim_t undef, align 1
@.str = private unnamed_addr constant [6 x i8] c"n=%d\0A\00", align 1
@llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(1) @counter to ptr)], section "llvm.metadata"

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z4work6ParamsPf(ptr noundef byval(%struct.Params) align 8 %0, ptr noundef %1) #0 !dbg !10 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca float, align 4
  %6 = alloca %printf_args, align 8
  store ptr %1, ptr %3, align 8, !tbaa !13
  call void @llvm.lifetime.start.p0(i64 4, ptr %4) #8, !dbg !17
  %7 = call noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #9, !dbg !18
  %8 = call noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #9, !dbg !19
  %9 = mul i32 %7, %8, !dbg !20
  %10 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !21
  %11 = add i32 %9, %10, !dbg !22
  store i32 %11, ptr %4, align 4, !dbg !23, !tbaa !24
  %12 = getelementptr inbounds %struct.Params, ptr %0, i32 0, i32 0, !dbg !26
  %13 = load float, ptr %12, align 8, !dbg !26, !tbaa !27
  %14 = load i32, ptr %4, align 4, !dbg !30, !tbaa !24
  %15 = sitofp i32 %14 to float, !dbg !30
  %16 = fmul contract float %13, %15, !dbg !31
  %17 = call contract noundef float @_ZL4sinff(float noundef %16) #9, !dbg !32
  %18 = call contract noundef float @_ZL4erfff(float noundef 1.000000e+00) #9, !dbg !33
  %19 = fadd contract float %17, %18, !dbg !34
  %20 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !35
  %21 = zext i32 %20 to i64, !dbg !36
  %22 = getelementptr inbounds [0 x float], ptr addrspacecast (ptr addrspace(3) @dyn to ptr), i64 0, i64 %21, !dbg !36
  store float %19, ptr %22, align 4, !dbg !37, !tbaa !38
  call void @llvm.nvvm.barrier0(), !dbg !39
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #8, !dbg !40
  %23 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !41
  %24 = zext i32 %23 to i64, !dbg !42
  %25 = getelementptr inbounds [0 x float], ptr addrspacecast (ptr addrspace(3) @dyn to ptr), i64 0, i64 %24, !dbg !42
  %26 = load float, ptr %25, align 4, !dbg !42, !tbaa !38
  %27 = call contract noundef float @_ZL16__shfl_down_syncjfii(i32 noundef -1, float noundef %26, i32 noundef 1, i32 noundef 32) #9, !dbg !43
  store float %27, ptr %5, align 4, !dbg !44, !tbaa !38
  %28 = load i32, ptr %4, align 4, !dbg !45, !tbaa !24
  %29 = getelementptr inbounds %struct.Params, ptr %0, i32 0, i32 1, !dbg !46
  %30 = load i32, ptr %29, align 4, !dbg !46, !tbaa !47
  %31 = icmp slt i32 %28, %30, !dbg !48
  br i1 %31, label %32, label %46, !dbg !45

32:                                               ; preds = %2
  %33 = load float, ptr %5, align 4, !dbg !49, !tbaa !38
  %34 = getelementptr inbounds %struct.Params, ptr %0, i32 0, i32 2, !dbg !50
  %35 = getelementptr inbounds [2 x double], ptr %34, i64 0, i64 1, !dbg !51
  %36 = load double, ptr %35, align 8, !dbg !51, !tbaa !52
  %37 = fptrunc double %36 to float, !dbg !51
  %38 = fadd contract float %33, %37, !dbg !54
  %39 = call noundef i32 @_ZN18__cuport_gridDim_t7__get_yEv() #9, !dbg !55
  %40 = uitofp i32 %39 to float, !dbg !55
  %41 = fadd contract float %38, %40, !dbg !56
  %42 = load ptr, ptr %3, align 8, !dbg !57, !tbaa !13
  %43 = load i32, ptr %4, align 4, !dbg !58, !tbaa !24
  %44 = sext i32 %43 to i64, !dbg !57
  %45 = getelementptr inbounds float, ptr %42, i64 %44, !dbg !57
  store float %41, ptr %45, align 4, !dbg !59, !tbaa !38
  br label %46, !dbg !57

46:                                               ; preds = %32, %2
  %47 = load i32, ptr %4, align 4, !dbg !60, !tbaa !24
  %48 = icmp eq i32 %47, 0, !dbg !61
  br i1 %48, label %49, label %55, !dbg !60

49:                                               ; preds = %46
  %50 = call noundef i32 @_ZL9atomicAddPii(ptr noundef addrspacecast (ptr addrspace(1) @counter to ptr), i32 noundef 1) #9, !dbg !62
  %51 = getelementptr inbounds %struct.Params, ptr %0, i32 0, i32 1, !dbg !63
  %52 = load i32, ptr %51, align 4, !dbg !63, !tbaa !47
  %53 = getelementptr inbounds %printf_args, ptr %6, i32 0, i32 0, !dbg !64
  store i32 %52, ptr %53, align 4, !dbg !64
  %54 = call i32 @vprintf(ptr @.str, ptr %6), !dbg !64
  br label %55, !dbg !65

55:                                               ; preds = %49, %46
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #8, !dbg !66
  call void @llvm.lifetime.end.p0(i64 4, ptr %4) #8, !dbg !66
  ret void, !dbg !66
}

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #1

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #2 comdat align 2 !dbg !67 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x(), !dbg !69
  ret i32 %1, !dbg !69
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #2 comdat align 2 !dbg !70 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x(), !dbg !71
  ret i32 %1, !dbg !71
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #2 comdat align 2 !dbg !72 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !73
  ret i32 %1, !dbg !73
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4sinff(float noundef %0) #2 !dbg !74 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !38
  %3 = load float, ptr %2, align 4, !dbg !76, !tbaa !38
  %4 = call contract float @llvm.sin.f32(float %3), !dbg !76
  ret float %4, !dbg !76
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4erfff(float noundef %0) #2 !dbg !77 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !38
  %3 = load float, ptr %2, align 4, !dbg !78, !tbaa !38
  %4 = call contract float @erff(float noundef %3) #10, !dbg !78
  ret float %4, !dbg !78
}

; Function Attrs: convergent nocallback nounwind
declare void @llvm.nvvm.barrier0() #3

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL16__shfl_down_syncjfii(i32 noundef %0, float noundef %1, i32 noundef %2, i32 noundef %3) #2 !dbg !79 {
  %5 = alloca i32, align 4
  %6 = alloca float, align 4
  %7 = alloca i32, align 4
  %8 = alloca i32, align 4
  store i32 %0, ptr %5, align 4, !tbaa !24
  store float %1, ptr %6, align 4, !tbaa !38
  store i32 %2, ptr %7, align 4, !tbaa !24
  store i32 %3, ptr %8, align 4, !tbaa !24
  %9 = load i32, ptr %5, align 4, !dbg !81, !tbaa !24
  %10 = load float, ptr %6, align 4, !dbg !81, !tbaa !38
  %11 = load i32, ptr %7, align 4, !dbg !81, !tbaa !24
  %12 = load i32, ptr %8, align 4, !dbg !81, !tbaa !24
  %13 = call noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %12, i1 noundef zeroext false) #9, !dbg !81
  %14 = call contract float @llvm.nvvm.shfl.sync.down.f32(i32 %9, float %10, i32 %11, i32 %13), !dbg !81
  ret float %14, !dbg !81
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN18__cuport_gridDim_t7__get_yEv() #2 comdat align 2 !dbg !82 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y(), !dbg !83
  ret i32 %1, !dbg !83
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef i32 @_ZL9atomicAddPii(ptr noundef %0, i32 noundef %1) #2 !dbg !84 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca i32, align 4
  %6 = alloca i32, align 4
  store ptr %0, ptr %3, align 8, !tbaa !13
  store i32 %1, ptr %4, align 4, !tbaa !24
  %7 = load ptr, ptr %3, align 8, !dbg !86, !tbaa !13
  %8 = load i32, ptr %4, align 4, !dbg !86, !tbaa !24
  store i32 %8, ptr %5, align 4, !dbg !86, !tbaa !24
  %9 = load i32, ptr %5, align 4, !dbg !86
  %10 = atomicrmw add ptr %7, i32 %9 monotonic, align 4, !dbg !86
  store i32 %10, ptr %6, align 4, !dbg !86
  %11 = load i32, ptr %6, align 4, !dbg !86, !tbaa !24
  ret i32 %11, !dbg !86
}

declare i32 @vprintf(ptr, ptr)

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #1

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z4heapPPi(ptr noundef %0) #0 !dbg !87 {
  %2 = alloca ptr, align 8
  store ptr %0, ptr %2, align 8, !tbaa !13
  %3 = call ptr @malloc(i64 noundef 16) #11, !dbg !88
  %4 = load ptr, ptr %2, align 8, !dbg !89, !tbaa !13
  store ptr %3, ptr %4, align 8, !dbg !90, !tbaa !13
  ret void, !dbg !91
}

; Function Attrs: convergent nounwind allocsize(0)
declare dso_local ptr @malloc(i64 noundef) #4

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #5

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x() #5

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x() #5

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sin.f32(float) #5

; Function Attrs: convergent nounwind readnone willreturn
declare dso_local float @erff(float noundef) #6

; Function Attrs: convergent inaccessiblememonly nocallback nounwind
declare float @llvm.nvvm.shfl.sync.down.f32(i32, float, i32, i32) #7

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %0, i1 noundef zeroext %1) #2 !dbg !92 {
  %3 = alloca i32, align 4
  %4 = alloca i8, align 1
  store i32 %0, ptr %3, align 4, !tbaa !24
  %5 = zext i1 %1 to i8
  store i8 %5, ptr %4, align 1, !tbaa !93
  %6 = load i32, ptr %3, align 4, !dbg !95, !tbaa !24
  %7 = sub nsw i32 32, %6, !dbg !96
  %8 = shl i32 %7, 8, !dbg !97
  %9 = load i8, ptr %4, align 1, !dbg !98, !tbaa !93, !range !99
  %10 = trunc i8 %9 to i1, !dbg !98
  %11 = zext i1 %10 to i64, !dbg !98
  %12 = select i1 %10, i32 0, i32 31, !dbg !98
  %13 = or i32 %8, %12, !dbg !100
  ret i32 %13, !dbg !101
}

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y() #5

attributes #0 = { convergent mustprogress norecurse nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #1 = { argmemonly nocallback nofree nosync nounwind willreturn }
attributes #2 = { alwaysinline convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #3 = { convergent nocallback nounwind }
attributes #4 = { convergent nounwind allocsize(0) "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #5 = { nocallback nofree nosync nounwind readnone speculatable willreturn }
attributes #6 = { convergent nounwind readnone willreturn "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #7 = { convergent inaccessiblememonly nocallback nounwind }
attributes #8 = { nounwind }
attributes #9 = { convergent nounwind }
attributes #10 = { convergent nounwind readnone willreturn }
attributes #11 = { convergent nounwind allocsize(0) }

!llvm.dbg.cu = !{!0}
!nvvm.annotations = !{!2, !3}
!llvm.module.flags = !{!4, !5, !6, !7, !8}
!llvm.ident = !{!9}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "Debian clang version 15.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: DebugDirectivesOnly, splitDebugInlining: false, nameTableKind: None)
!1 = !DIFile(filename: "t.cu", directory: "/src")
!2 = !{ptr @_Z4work6ParamsPf, !"kernel", i32 1}
!3 = !{ptr @_Z4heapPPi, !"kernel", i32 1}
!4 = !{i32 7, !"Dwarf Version", i32 2}
!5 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{i32 1, !"wchar_size", i32 4}
!7 = !{i32 4, !"nvvm-reflect-ftz", i32 0}
!8 = !{i32 7, !"frame-pointer", i32 2}
!9 = !{!"Debian clang version 15.0.6"}
!10 = distinct !DISubprogram(name: "work", scope: !1, file: !1, line: 3, type: !11, scopeLine: 3, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!11 = !DISubroutineType(types: !12)
!12 = !{}
!13 = !{!14, !14, i64 0}
!14 = !{!"any pointer", !15, i64 0}
!15 = !{!"omnipotent char", !16, i64 0}
!16 = !{!"Simple C++ TBAA"}
!17 = !DILocation(line: 5, column: 3, scope: !10)
!18 = !DILocation(line: 5, column: 11, scope: !10)
!19 = !DILocation(line: 5, column: 24, scope: !10)
!20 = !DILocation(line: 5, column: 22, scope: !10)
!21 = !DILocation(line: 5, column: 37, scope: !10)
!22 = !DILocation(line: 5, column: 35, scope: !10)
!23 = !DILocation(line: 5, column: 7, scope: !10)
!24 = !{!25, !25, i64 0}
!25 = !{!"int", !15, i64 0}
!26 = !DILocation(line: 6, column: 29, scope: !10)
!27 = !{!28, !29, i64 0}
!28 = !{!"_ZTS6Params", !29, i64 0, !25, i64 4, !15, i64 8}
!29 = !{!"float", !15, i64 0}
!30 = !DILocation(line: 6, column: 37, scope: !10)
!31 = !DILocation(line: 6, column: 35, scope: !10)
!32 = !DILocation(line: 6, column: 22, scope: !10)
!33 = !DILocation(line: 6, column: 42, scope: !10)
!34 = !DILocation(line: 6, column: 40, scope: !10)
!35 = !DILocation(line: 6, column: 7, scope: !10)
!36 = !DILocation(line: 6, column: 3, scope: !10)
!37 = !DILocation(line: 6, column: 20, scope: !10)
!38 = !{!29, !29, i64 0}
!39 = !DILocation(line: 7, column: 3, scope: !10)
!40 = !DILocation(line: 8, column: 3, scope: !10)
!41 = !DILocation(line: 8, column: 47, scope: !10)
!42 = !DILocation(line: 8, column: 43, scope: !10)
!43 = !DILocation(line: 8, column: 13, scope: !10)
!44 = !DILocation(line: 8, column: 9, scope: !10)
!45 = !DILocation(line: 9, column: 7, scope: !10)
!46 = !DILocation(line: 9, column: 13, scope: !10)
!47 = !{!28, !25, i64 4}
!48 = !DILocation(line: 9, column: 9, scope: !10)
!49 = !DILocation(line: 9, column: 25, scope: !10)
!50 = !DILocation(line: 9, column: 38, scope: !10)
!51 = !DILocation(line: 9, column: 36, scope: !10)
!52 = !{!53, !53, i64 0}
!53 = !{!"double", !15, i64 0}
!54 = !DILocation(line: 9, column: 27, scope: !10)
!55 = !DILocation(line: 9, column: 48, scope: !10)
!56 = !DILocation(line: 9, column: 46, scope: !10)
!57 = !DILocation(line: 9, column: 16, scope: !10)
!58 = !DILocation(line: 9, column: 20, scope: !10)
!59 = !DILocation(line: 9, column: 23, scope: !10)
!60 = !DILocation(line: 10, column: 7, scope: !10)
!61 = !DILocation(line: 10, column: 9, scope: !10)
!62 = !DILocation(line: 10, column: 17, scope: !10)
!63 = !DILocation(line: 10, column: 60, scope: !10)
!64 = !DILocation(line: 10, column: 41, scope: !10)
!65 = !DILocation(line: 10, column: 64, scope: !10)
!66 = !DILocation(line: 11, column: 1, scope: !10)
!67 = distinct !DISubprogram(name: "__get_x", scope: !68, file: !68, line: 37, type: !11, scopeLine: 37, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!68 = !DIFile(filename: "/work/main/include/cuport/device/builtin_vars.h", directory: "")
!69 = !DILocation(line: 37, column: 1, scope: !67)
!70 = distinct !DISubprogram(name: "__get_x", scope: !68, file: !68, line: 38, type: !11, scopeLine: 38, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!71 = !DILocation(line: 38, column: 1, scope: !70)
!72 = distinct !DISubprogram(name: "__get_x", scope: !68, file: !68, line: 36, type: !11, scopeLine: 36, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!73 = !DILocation(line: 36, column: 1, scope: !72)
!74 = distinct !DISubprogram(name: "sinf", scope: !75, file: !75, line: 45, type: !11, scopeLine: 45, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!75 = !DIFile(filename: "/work/main/include/cuport/device/math_functions.h", directory: "")
!76 = !DILocation(line: 45, column: 20, scope: !74)
!77 = distinct !DISubprogram(name: "erff", scope: !75, file: !75, line: 42, type: !11, scopeLine: 42, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!78 = !DILocation(line: 42, column: 1, scope: !77)
!79 = distinct !DISubprogram(name: "__shfl_down_sync", scope: !80, file: !80, line: 57, type: !11, scopeLine: 57, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!80 = !DIFile(filename: "/work/main/include/cuport/device/warp.h", directory: "")
!81 = !DILocation(line: 57, column: 1, scope: !79)
!82 = distinct !DISubprogram(name: "__get_y", scope: !68, file: !68, line: 39, type: !11, scopeLine: 39, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!83 = !DILocation(line: 39, column: 1, scope: !82)
!84 = distinct !DISubprogram(name: "atomicAdd", scope: !85, file: !85, line: 26, type: !11, scopeLine: 26, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!85 = !DIFile(filename: "/work/main/include/cuport/device/atomics.h", directory: "")
!86 = !DILocation(line: 26, column: 1, scope: !84)
!87 = distinct !DISubprogram(name: "heap", scope: !1, file: !1, line: 12, type: !11, scopeLine: 12, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!88 = !DILocation(line: 12, column: 48, scope: !87)
!89 = !DILocation(line: 12, column: 36, scope: !87)
!90 = !DILocation(line: 12, column: 40, scope: !87)
!91 = !DILocation(line: 12, column: 60, scope: !87)
!92 = distinct !DISubprogram(name: "__cuport_shfl_c", scope: !80, file: !80, line: 18, type: !11, scopeLine: 18, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!93 = !{!94, !94, i64 0}
!94 = !{!"bool", !15, i64 0}
!95 = !DILocation(line: 19, column: 17, scope: !92)
!96 = !DILocation(line: 19, column: 15, scope: !92)
!97 = !DILocation(line: 19, column: 26, scope: !92)
!98 = !DILocation(line: 19, column: 35, scope: !92)
!99 = !{i8 0, i8 2}
!100 = !DILocation(line: 19, column: 32, scope: !92)
!101 = !DILocation(line: 19, column: 3, scope: !92)
