; The PTX lowering (PTXImage.cpp): kernels keep the hardware's own special registers, warp shuffles and
; barriers; device printf stays the driver's vprintf; a __device__ variable is exported by name; sqrtf is
; the correctly rounded sqrt.rn.f32; a kernel that reaches a C math function (no NVPTX math library yet) is
; left out, named with the file:line of the call in user code.
; Source (CUDA), compiled with `cuport-cc -c p.cu --keep-dir k` (k/p.nvptx.bc, llvm-dis):
;   __device__ float table[4];
;   __device__ float helper(float x) { return erff(x); }
;   __global__ void plain(float* out, int n) {
;     int i = blockIdx.x * blockDim.x + threadIdx.x;
;     float v = __shfl_xor_sync(0xffffffffu, out[i], 1);
;     __syncthreads();
;     if (i < n) out[i] = v + table[i & 3] + sqrtf(out[i]);
;     if (i == 0) printf("n=%d\n", n);
;   }
;   __global__ void mathy(float* out) { out[threadIdx.x] = helper(out[threadIdx.x]); }
; RUN: %cuport-opt -passes=ptx %s | %FileCheck %s

; CHECK: // cuport-unsupported _Z5mathyPf p.cu:2:43: error: the C library function erff() has no implementation for the cuda backend yet
; CHECK: .version 6.0
; CHECK-NEXT: .target sm_70
; CHECK: .extern .func  (.param .b32 func_retval0) vprintf
; CHECK: .visible .global .align 4 .b8 table[16];
; CHECK-NOT: .entry _Z5mathyPf
; CHECK: .visible .entry _Z5plainPfi(
; CHECK: mov.u32 {{.*}}%ctaid.x;
; CHECK: mov.u32 {{.*}}%ntid.x;
; CHECK: mov.u32 {{.*}}%tid.x;
; CHECK: shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
; CHECK: bar.sync 0;
; CHECK: sqrt.rn.f32
; CHECK: call.uni (retval0),
; CHECK-NEXT: vprintf,
; CHECK-NOT: .entry _Z5mathyPf

; ModuleID = 'kp/p.nvptx.bc'
source_filename = "p.cu"
target datalayout = "e-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

%struct.__cuport_blockIdx_t = type { i8 }
%struct.__cuport_blockDim_t = type { i8 }
%struct.__cuport_threadIdx_t = type { i8 }
%printf_args = type { i32 }

$_ZN19__cuport_blockIdx_t7__get_xEv = comdat any

$_ZN19__cuport_blockDim_t7__get_xEv = comdat any

$_ZN20__cuport_threadIdx_t7__get_xEv = comdat any

@table = dso_local addrspace(1) externally_initialized global [4 x float] zeroinitializer, align 4
@_ZL8blockIdx = internal addrspace(4) constant %struct.__cuport_blockIdx_t undef, align 1
@_ZL8blockDim = internal addrspace(4) constant %struct.__cuport_blockDim_t undef, align 1
@_ZL9threadIdx = internal addrspace(4) constant %struct.__cuport_threadIdx_t undef, align 1
@.str = private unnamed_addr constant [6 x i8] c"n=%d\0A\00", align 1
@llvm.compiler.used = appending global [1 x ptr] [ptr addrspacecast (ptr addrspace(1) @table to ptr)], section "llvm.metadata"

; Function Attrs: convergent mustprogress nounwind
define dso_local noundef float @_Z6helperf(float noundef %0) #0 !dbg !10 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !13
  %3 = load float, ptr %2, align 4, !dbg !17, !tbaa !13
  %4 = call contract noundef float @_ZL4erfff(float noundef %3) #8, !dbg !18
  ret float %4, !dbg !19
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4erfff(float noundef %0) #1 !dbg !20 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !13
  %3 = load float, ptr %2, align 4, !dbg !22, !tbaa !13
  %4 = call contract float @erff(float noundef %3) #9, !dbg !22
  ret float %4, !dbg !22
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z5plainPfi(ptr noundef %0, i32 noundef %1) #2 !dbg !23 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca i32, align 4
  %6 = alloca float, align 4
  %7 = alloca %printf_args, align 8
  store ptr %0, ptr %3, align 8, !tbaa !24
  store i32 %1, ptr %4, align 4, !tbaa !26
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #10, !dbg !28
  %8 = call noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #8, !dbg !29
  %9 = call noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #8, !dbg !30
  %10 = mul i32 %8, %9, !dbg !31
  %11 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #8, !dbg !32
  %12 = add i32 %10, %11, !dbg !33
  store i32 %12, ptr %5, align 4, !dbg !34, !tbaa !26
  call void @llvm.lifetime.start.p0(i64 4, ptr %6) #10, !dbg !35
  %13 = load ptr, ptr %3, align 8, !dbg !36, !tbaa !24
  %14 = load i32, ptr %5, align 4, !dbg !37, !tbaa !26
  %15 = sext i32 %14 to i64, !dbg !36
  %16 = getelementptr inbounds float, ptr %13, i64 %15, !dbg !36
  %17 = load float, ptr %16, align 4, !dbg !36, !tbaa !13
  %18 = call contract noundef float @_ZL15__shfl_xor_syncjfii(i32 noundef -1, float noundef %17, i32 noundef 1, i32 noundef 32) #8, !dbg !38
  store float %18, ptr %6, align 4, !dbg !39, !tbaa !13
  call void @llvm.nvvm.barrier0(), !dbg !40
  %19 = load i32, ptr %5, align 4, !dbg !41, !tbaa !26
  %20 = load i32, ptr %4, align 4, !dbg !42, !tbaa !26
  %21 = icmp slt i32 %19, %20, !dbg !43
  br i1 %21, label %22, label %41, !dbg !41

22:                                               ; preds = %2
  %23 = load float, ptr %6, align 4, !dbg !44, !tbaa !13
  %24 = load i32, ptr %5, align 4, !dbg !45, !tbaa !26
  %25 = and i32 %24, 3, !dbg !46
  %26 = sext i32 %25 to i64, !dbg !47
  %27 = getelementptr inbounds [4 x float], ptr addrspacecast (ptr addrspace(1) @table to ptr), i64 0, i64 %26, !dbg !47
  %28 = load float, ptr %27, align 4, !dbg !47, !tbaa !13
  %29 = fadd contract float %23, %28, !dbg !48
  %30 = load ptr, ptr %3, align 8, !dbg !49, !tbaa !24
  %31 = load i32, ptr %5, align 4, !dbg !50, !tbaa !26
  %32 = sext i32 %31 to i64, !dbg !49
  %33 = getelementptr inbounds float, ptr %30, i64 %32, !dbg !49
  %34 = load float, ptr %33, align 4, !dbg !49, !tbaa !13
  %35 = call contract noundef float @_ZL5sqrtff(float noundef %34) #8, !dbg !51
  %36 = fadd contract float %29, %35, !dbg !52
  %37 = load ptr, ptr %3, align 8, !dbg !53, !tbaa !24
  %38 = load i32, ptr %5, align 4, !dbg !54, !tbaa !26
  %39 = sext i32 %38 to i64, !dbg !53
  %40 = getelementptr inbounds float, ptr %37, i64 %39, !dbg !53
  store float %36, ptr %40, align 4, !dbg !55, !tbaa !13
  br label %41, !dbg !53

41:                                               ; preds = %22, %2
  %42 = load i32, ptr %5, align 4, !dbg !56, !tbaa !26
  %43 = icmp eq i32 %42, 0, !dbg !57
  br i1 %43, label %44, label %48, !dbg !56

44:                                               ; preds = %41
  %45 = load i32, ptr %4, align 4, !dbg !58, !tbaa !26
  %46 = getelementptr inbounds %printf_args, ptr %7, i32 0, i32 0, !dbg !59
  store i32 %45, ptr %46, align 4, !dbg !59
  %47 = call i32 @vprintf(ptr @.str, ptr %7), !dbg !59
  br label %48, !dbg !59

48:                                               ; preds = %44, %41
  call void @llvm.lifetime.end.p0(i64 4, ptr %6) #10, !dbg !60
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #10, !dbg !60
  ret void, !dbg !60
}

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #1 comdat align 2 !dbg !61 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x(), !dbg !63
  ret i32 %1, !dbg !63
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #1 comdat align 2 !dbg !64 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x(), !dbg !65
  ret i32 %1, !dbg !65
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #1 comdat align 2 !dbg !66 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !67
  ret i32 %1, !dbg !67
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL15__shfl_xor_syncjfii(i32 noundef %0, float noundef %1, i32 noundef %2, i32 noundef %3) #1 !dbg !68 {
  %5 = alloca i32, align 4
  %6 = alloca float, align 4
  %7 = alloca i32, align 4
  %8 = alloca i32, align 4
  store i32 %0, ptr %5, align 4, !tbaa !26
  store float %1, ptr %6, align 4, !tbaa !13
  store i32 %2, ptr %7, align 4, !tbaa !26
  store i32 %3, ptr %8, align 4, !tbaa !26
  %9 = load i32, ptr %5, align 4, !dbg !70, !tbaa !26
  %10 = load float, ptr %6, align 4, !dbg !70, !tbaa !13
  %11 = load i32, ptr %7, align 4, !dbg !70, !tbaa !26
  %12 = load i32, ptr %8, align 4, !dbg !70, !tbaa !26
  %13 = call noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %12, i1 noundef zeroext false) #8, !dbg !70
  %14 = call contract float @llvm.nvvm.shfl.sync.bfly.f32(i32 %9, float %10, i32 %11, i32 %13), !dbg !70
  ret float %14, !dbg !70
}

; Function Attrs: convergent nocallback nounwind
declare void @llvm.nvvm.barrier0() #4

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL5sqrtff(float noundef %0) #1 !dbg !71 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !13
  %3 = load float, ptr %2, align 4, !dbg !72, !tbaa !13
  %4 = call contract float @llvm.sqrt.f32(float %3), !dbg !72
  ret float %4, !dbg !72
}

declare i32 @vprintf(ptr, ptr)

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z5mathyPf(ptr noundef %0) #2 !dbg !73 {
  %2 = alloca ptr, align 8
  store ptr %0, ptr %2, align 8, !tbaa !24
  %3 = load ptr, ptr %2, align 8, !dbg !74, !tbaa !24
  %4 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #8, !dbg !75
  %5 = zext i32 %4 to i64, !dbg !74
  %6 = getelementptr inbounds float, ptr %3, i64 %5, !dbg !74
  %7 = load float, ptr %6, align 4, !dbg !74, !tbaa !13
  %8 = call contract noundef float @_Z6helperf(float noundef %7) #8, !dbg !76
  %9 = load ptr, ptr %2, align 8, !dbg !77, !tbaa !24
  %10 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #8, !dbg !78
  %11 = zext i32 %10 to i64, !dbg !77
  %12 = getelementptr inbounds float, ptr %9, i64 %11, !dbg !77
  store float %8, ptr %12, align 4, !dbg !79, !tbaa !13
  ret void, !dbg !80
}

; Function Attrs: convergent nounwind readnone willreturn
declare dso_local float @erff(float noundef) #5

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #6

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x() #6

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x() #6

; Function Attrs: convergent inaccessiblememonly nocallback nounwind
declare float @llvm.nvvm.shfl.sync.bfly.f32(i32, float, i32, i32) #7

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %0, i1 noundef zeroext %1) #1 !dbg !81 {
  %3 = alloca i32, align 4
  %4 = alloca i8, align 1
  store i32 %0, ptr %3, align 4, !tbaa !26
  %5 = zext i1 %1 to i8
  store i8 %5, ptr %4, align 1, !tbaa !82
  %6 = load i32, ptr %3, align 4, !dbg !84, !tbaa !26
  %7 = sub nsw i32 32, %6, !dbg !85
  %8 = shl i32 %7, 8, !dbg !86
  %9 = load i8, ptr %4, align 1, !dbg !87, !tbaa !82, !range !88
  %10 = trunc i8 %9 to i1, !dbg !87
  %11 = zext i1 %10 to i64, !dbg !87
  %12 = select i1 %10, i32 0, i32 31, !dbg !87
  %13 = or i32 %8, %12, !dbg !89
  ret i32 %13, !dbg !90
}

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #6

attributes #0 = { convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #1 = { alwaysinline convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #2 = { convergent mustprogress norecurse nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #3 = { argmemonly nocallback nofree nosync nounwind willreturn }
attributes #4 = { convergent nocallback nounwind }
attributes #5 = { convergent nounwind readnone willreturn "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #6 = { nocallback nofree nosync nounwind readnone speculatable willreturn }
attributes #7 = { convergent inaccessiblememonly nocallback nounwind }
attributes #8 = { convergent nounwind }
attributes #9 = { convergent nounwind readnone willreturn }
attributes #10 = { nounwind }

!llvm.dbg.cu = !{!0}
!nvvm.annotations = !{!2, !3}
!llvm.module.flags = !{!4, !5, !6, !7, !8}
!llvm.ident = !{!9}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "Debian clang version 15.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: DebugDirectivesOnly, splitDebugInlining: false, nameTableKind: None)
!1 = !DIFile(filename: "p.cu", directory: "/src")
!2 = !{ptr @_Z5plainPfi, !"kernel", i32 1}
!3 = !{ptr @_Z5mathyPf, !"kernel", i32 1}
!4 = !{i32 7, !"Dwarf Version", i32 2}
!5 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{i32 1, !"wchar_size", i32 4}
!7 = !{i32 4, !"nvvm-reflect-ftz", i32 0}
!8 = !{i32 7, !"frame-pointer", i32 2}
!9 = !{!"Debian clang version 15.0.6"}
!10 = distinct !DISubprogram(name: "helper", scope: !1, file: !1, line: 2, type: !11, scopeLine: 2, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!11 = !DISubroutineType(types: !12)
!12 = !{}
!13 = !{!14, !14, i64 0}
!14 = !{!"float", !15, i64 0}
!15 = !{!"omnipotent char", !16, i64 0}
!16 = !{!"Simple C++ TBAA"}
!17 = !DILocation(line: 2, column: 48, scope: !10)
!18 = !DILocation(line: 2, column: 43, scope: !10)
!19 = !DILocation(line: 2, column: 36, scope: !10)
!20 = distinct !DISubprogram(name: "erff", scope: !21, file: !21, line: 42, type: !11, scopeLine: 42, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!21 = !DIFile(filename: "/work/main/include/cuport/device/math_functions.h", directory: "")
!22 = !DILocation(line: 42, column: 1, scope: !20)
!23 = distinct !DISubprogram(name: "plain", scope: !1, file: !1, line: 3, type: !11, scopeLine: 3, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!24 = !{!25, !25, i64 0}
!25 = !{!"any pointer", !15, i64 0}
!26 = !{!27, !27, i64 0}
!27 = !{!"int", !15, i64 0}
!28 = !DILocation(line: 4, column: 3, scope: !23)
!29 = !DILocation(line: 4, column: 11, scope: !23)
!30 = !DILocation(line: 4, column: 24, scope: !23)
!31 = !DILocation(line: 4, column: 22, scope: !23)
!32 = !DILocation(line: 4, column: 37, scope: !23)
!33 = !DILocation(line: 4, column: 35, scope: !23)
!34 = !DILocation(line: 4, column: 7, scope: !23)
!35 = !DILocation(line: 5, column: 3, scope: !23)
!36 = !DILocation(line: 5, column: 42, scope: !23)
!37 = !DILocation(line: 5, column: 46, scope: !23)
!38 = !DILocation(line: 5, column: 13, scope: !23)
!39 = !DILocation(line: 5, column: 9, scope: !23)
!40 = !DILocation(line: 6, column: 3, scope: !23)
!41 = !DILocation(line: 7, column: 7, scope: !23)
!42 = !DILocation(line: 7, column: 11, scope: !23)
!43 = !DILocation(line: 7, column: 9, scope: !23)
!44 = !DILocation(line: 7, column: 23, scope: !23)
!45 = !DILocation(line: 7, column: 33, scope: !23)
!46 = !DILocation(line: 7, column: 35, scope: !23)
!47 = !DILocation(line: 7, column: 27, scope: !23)
!48 = !DILocation(line: 7, column: 25, scope: !23)
!49 = !DILocation(line: 7, column: 48, scope: !23)
!50 = !DILocation(line: 7, column: 52, scope: !23)
!51 = !DILocation(line: 7, column: 42, scope: !23)
!52 = !DILocation(line: 7, column: 40, scope: !23)
!53 = !DILocation(line: 7, column: 14, scope: !23)
!54 = !DILocation(line: 7, column: 18, scope: !23)
!55 = !DILocation(line: 7, column: 21, scope: !23)
!56 = !DILocation(line: 8, column: 7, scope: !23)
!57 = !DILocation(line: 8, column: 9, scope: !23)
!58 = !DILocation(line: 8, column: 32, scope: !23)
!59 = !DILocation(line: 8, column: 15, scope: !23)
!60 = !DILocation(line: 9, column: 1, scope: !23)
!61 = distinct !DISubprogram(name: "__get_x", scope: !62, file: !62, line: 37, type: !11, scopeLine: 37, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!62 = !DIFile(filename: "/work/main/include/cuport/device/builtin_vars.h", directory: "")
!63 = !DILocation(line: 37, column: 1, scope: !61)
!64 = distinct !DISubprogram(name: "__get_x", scope: !62, file: !62, line: 38, type: !11, scopeLine: 38, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!65 = !DILocation(line: 38, column: 1, scope: !64)
!66 = distinct !DISubprogram(name: "__get_x", scope: !62, file: !62, line: 36, type: !11, scopeLine: 36, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!67 = !DILocation(line: 36, column: 1, scope: !66)
!68 = distinct !DISubprogram(name: "__shfl_xor_sync", scope: !69, file: !69, line: 58, type: !11, scopeLine: 58, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!69 = !DIFile(filename: "/work/main/include/cuport/device/warp.h", directory: "")
!70 = !DILocation(line: 58, column: 1, scope: !68)
!71 = distinct !DISubprogram(name: "sqrtf", scope: !21, file: !21, line: 45, type: !11, scopeLine: 45, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!72 = !DILocation(line: 45, column: 55, scope: !71)
!73 = distinct !DISubprogram(name: "mathy", scope: !1, file: !1, line: 10, type: !11, scopeLine: 10, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!74 = !DILocation(line: 10, column: 63, scope: !73)
!75 = !DILocation(line: 10, column: 67, scope: !73)
!76 = !DILocation(line: 10, column: 56, scope: !73)
!77 = !DILocation(line: 10, column: 37, scope: !73)
!78 = !DILocation(line: 10, column: 41, scope: !73)
!79 = !DILocation(line: 10, column: 54, scope: !73)
!80 = !DILocation(line: 10, column: 82, scope: !73)
!81 = distinct !DISubprogram(name: "__cuport_shfl_c", scope: !69, file: !69, line: 18, type: !11, scopeLine: 18, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!82 = !{!83, !83, i64 0}
!83 = !{!"bool", !15, i64 0}
!84 = !DILocation(line: 19, column: 17, scope: !81)
!85 = !DILocation(line: 19, column: 15, scope: !81)
!86 = !DILocation(line: 19, column: 26, scope: !81)
!87 = !DILocation(line: 19, column: 35, scope: !81)
!88 = !{i8 0, i8 2}
!89 = !DILocation(line: 19, column: 32, scope: !81)
!90 = !DILocation(line: 19, column: 3, scope: !81)
