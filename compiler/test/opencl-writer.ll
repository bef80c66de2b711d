; The OpenCL C writer: address spaces inferred per pointer (one helper used on shared and on global
; memory after inlining), phis as parallel assignments on edges (a swap in a loop), float and 64-bit
; atomics, static shared memory layout, kernel parameter kinds; a pointer that may address two memories
; makes only its kernel unsupported, with file:line.
; Source (CUDA):
;   __device__ float scale(const float* p, int i) { return p[i] * 2.0f; }
;   __global__ void mix(float* out, const float* in, int n, bool flip) {
;     __shared__ float tile[32];
;     float a = 1.0f, b = 2.0f;
;     for (int i = 0; i < n; ++i) { float t = a; a = b; b = t + scale(in, i); }
;     tile[threadIdx.x] = flip ? a : b;
;     __syncthreads();
;     out[threadIdx.x] = scale(tile, (threadIdx.x + 1) % 32);
;     atomicAdd(&out[0], 1.0f);
;     atomicMax((unsigned long long*)out + 4, 7ull);
;   }
;   __global__ void both(float* g, int c) { __shared__ float s[4]; float* p = c ? g : s; *p = 1.0f; }
; RUN: %cuport-opt -passes=opencl %s | %FileCheck %s

; CHECK: //@cuport-opencl 2
; CHECK: //@globals 16
; CHECK: //@kernel _Z3mixPfPKfib cuk__Z3mixPfPKfib 128 0 p,p,s4,s1
; CHECK: //@unsupported _Z4bothPfi w.cu:14:14: error: a pointer here may point into more than one memory
; CHECK: __kernel void cuk__Z3mixPfPKfib(__global uchar* a0_b, ulong a0_o, __global uchar* a1_b, ulong a1_o, uint a2, uchar a3, __global uchar* __cuport_g, __local uchar* __cuport_dyn) {
; CHECK-NEXT: __local uchar __cuport_smem[128] __attribute__((aligned(16)));
; The loop's phis are read before any is written.
; CHECK: { float t0 = (0x1p1f); uint t1 = 0u; float t2 = (0x1p0f);
; The helper reads global memory in the loop and shared memory after the barrier.
; CHECK: = (*((__global float*)(
; CHECK: { float t0 = v{{[0-9]+}}; uint t1 = v{{[0-9]+}}; float t2 = [[P:v[0-9]+]]; [[P]] = t0; v{{[0-9]+}} = t1; v{{[0-9]+}} = t2; goto L1; }
; CHECK: barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
; CHECK: = ((__cuport_smem + 0) +
; CHECK: (*((__local float*)(
; CHECK: __cuport_fadd_g(((volatile __global float*)(a0)), (0x1p0f));
; CHECK: atom_max(((volatile __global ulong*)(
; CHECK-NOT: cuk__Z4bothPfi

; ModuleID = 'w.cu'
source_filename = "w.cu"
target datalayout = "e-i64:64-i128:128-v16:16-v32:32-n16:32:64"
target triple = "nvptx64-nvidia-cuda"

%struct.__cuport_threadIdx_t = type { i8 }

$_ZN20__cuport_threadIdx_t7__get_xEv = comdat any

@_ZZ3mixPfPKfibE4tile = internal addrspace(3) global [32 x float] undef, align 4
@_ZL9threadIdx = internal addrspace(4) constant %struct.__cuport_threadIdx_t undef, align 1
@_ZZ4bothPfiE1s = internal addrspace(3) global [4 x float] undef, align 4

; Function Attrs: convergent mustprogress nounwind
define dso_local noundef float @_Z5scalePKfi(ptr noundef %0, i32 noundef %1) #0 !dbg !10 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  store ptr %0, ptr %3, align 8, !tbaa !13
  store i32 %1, ptr %4, align 4, !tbaa !17
  %5 = load ptr, ptr %3, align 8, !dbg !19, !tbaa !13
  %6 = load i32, ptr %4, align 4, !dbg !20, !tbaa !17
  %7 = sext i32 %6 to i64, !dbg !19
  %8 = getelementptr inbounds float, ptr %5, i64 %7, !dbg !19
  %9 = load float, ptr %8, align 4, !dbg !19, !tbaa !21
  %10 = fmul contract float %9, 2.000000e+00, !dbg !23
  ret float %10, !dbg !24
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z3mixPfPKfib(ptr noundef %0, ptr noundef %1, i32 noundef %2, i1 noundef zeroext %3) #1 !dbg !25 {
  %5 = alloca ptr, align 8
  %6 = alloca ptr, align 8
  %7 = alloca i32, align 4
  %8 = alloca i8, align 1
  %9 = alloca float, align 4
  %10 = alloca float, align 4
  %11 = alloca i32, align 4
  %12 = alloca float, align 4
  store ptr %0, ptr %5, align 8, !tbaa !13
  store ptr %1, ptr %6, align 8, !tbaa !13
  store i32 %2, ptr %7, align 4, !tbaa !17
  %13 = zext i1 %3 to i8
  store i8 %13, ptr %8, align 1, !tbaa !26
  call void @llvm.lifetime.start.p0(i64 4, ptr %9) #6, !dbg !28
  store float 1.000000e+00, ptr %9, align 4, !dbg !29, !tbaa !21
  call void @llvm.lifetime.start.p0(i64 4, ptr %10) #6, !dbg !28
  store float 2.000000e+00, ptr %10, align 4, !dbg !30, !tbaa !21
  call void @llvm.lifetime.start.p0(i64 4, ptr %11) #6, !dbg !31
  store i32 0, ptr %11, align 4, !dbg !32, !tbaa !17
  br label %14, !dbg !31

14:                                               ; preds = %27, %4
  %15 = load i32, ptr %11, align 4, !dbg !33, !tbaa !17
  %16 = load i32, ptr %7, align 4, !dbg !34, !tbaa !17
  %17 = icmp slt i32 %15, %16, !dbg !35
  br i1 %17, label %19, label %18, !dbg !36

18:                                               ; preds = %14
  call void @llvm.lifetime.end.p0(i64 4, ptr %11) #6, !dbg !36
  br label %30

19:                                               ; preds = %14
  call void @llvm.lifetime.start.p0(i64 4, ptr %12) #6, !dbg !37
  %20 = load float, ptr %9, align 4, !dbg !38, !tbaa !21
  store float %20, ptr %12, align 4, !dbg !39, !tbaa !21
  %21 = load float, ptr %10, align 4, !dbg !40, !tbaa !21
  store float %21, ptr %9, align 4, !dbg !41, !tbaa !21
  %22 = load float, ptr %12, align 4, !dbg !42, !tbaa !21
  %23 = load ptr, ptr %6, align 8, !dbg !43, !tbaa !13
  %24 = load i32, ptr %11, align 4, !dbg !44, !tbaa !17
  %25 = call contract noundef float @_Z5scalePKfi(ptr noundef %23, i32 noundef %24) #7, !dbg !45
  %26 = fadd contract float %22, %25, !dbg !46
  store float %26, ptr %10, align 4, !dbg !47, !tbaa !21
  call void @llvm.lifetime.end.p0(i64 4, ptr %12) #6, !dbg !48
  br label %27, !dbg !48

27:                                               ; preds = %19
  %28 = load i32, ptr %11, align 4, !dbg !49, !tbaa !17
  %29 = add nsw i32 %28, 1, !dbg !49
  store i32 %29, ptr %11, align 4, !dbg !49, !tbaa !17
  br label %14, !dbg !36, !llvm.loop !50

30:                                               ; preds = %18
  %31 = load i8, ptr %8, align 1, !dbg !52, !tbaa !26, !range !53
  %32 = trunc i8 %31 to i1, !dbg !52
  br i1 %32, label %33, label %35, !dbg !52

33:                                               ; preds = %30
  %34 = load float, ptr %9, align 4, !dbg !54, !tbaa !21
  br label %37, !dbg !52

35:                                               ; preds = %30
  %36 = load float, ptr %10, align 4, !dbg !55, !tbaa !21
  br label %37, !dbg !52

37:                                               ; preds = %35, %33
  %38 = phi contract float [ %34, %33 ], [ %36, %35 ], !dbg !52
  %39 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #7, !dbg !56
  %40 = zext i32 %39 to i64, !dbg !57
  %41 = getelementptr inbounds [32 x float], ptr addrspacecast (ptr addrspace(3) @_ZZ3mixPfPKfibE4tile to ptr), i64 0, i64 %40, !dbg !57
  store float %38, ptr %41, align 4, !dbg !58, !tbaa !21
  call void @llvm.nvvm.barrier0(), !dbg !59
  %42 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #7, !dbg !60
  %43 = add i32 %42, 1, !dbg !61
  %44 = urem i32 %43, 32, !dbg !62
  %45 = call contract noundef float @_Z5scalePKfi(ptr noundef addrspacecast (ptr addrspace(3) @_ZZ3mixPfPKfibE4tile to ptr), i32 noundef %44) #7, !dbg !63
  %46 = load ptr, ptr %5, align 8, !dbg !64, !tbaa !13
  %47 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #7, !dbg !65
  %48 = zext i32 %47 to i64, !dbg !64
  %49 = getelementptr inbounds float, ptr %46, i64 %48, !dbg !64
  store float %45, ptr %49, align 4, !dbg !66, !tbaa !21
  %50 = load ptr, ptr %5, align 8, !dbg !67, !tbaa !13
  %51 = getelementptr inbounds float, ptr %50, i64 0, !dbg !67
  %52 = call contract noundef float @_ZL9atomicAddPff(ptr noundef %51, float noundef 1.000000e+00) #7, !dbg !68
  %53 = load ptr, ptr %5, align 8, !dbg !69, !tbaa !13
  %54 = getelementptr inbounds i64, ptr %53, i64 4, !dbg !70
  %55 = call noundef i64 @_ZL9atomicMaxPyy(ptr noundef %54, i64 noundef 7) #7, !dbg !71
  call void @llvm.lifetime.end.p0(i64 4, ptr %10) #6, !dbg !72
  call void @llvm.lifetime.end.p0(i64 4, ptr %9) #6, !dbg !72
  ret void, !dbg !72
}

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #2

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #2

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #3 comdat align 2 !dbg !73 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !75
  ret i32 %1, !dbg !75
}

; Function Attrs: convergent nocallback nounwind
declare void @llvm.nvvm.barrier0() #4

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL9atomicAddPff(ptr noundef %0, float noundef %1) #3 !dbg !76 {
  %3 = alloca ptr, align 8
  %4 = alloca float, align 4
  %5 = alloca float, align 4
  %6 = alloca float, align 4
  store ptr %0, ptr %3, align 8, !tbaa !13
  store float %1, ptr %4, align 4, !tbaa !21
  %7 = load ptr, ptr %3, align 8, !dbg !78, !tbaa !13
  %8 = load float, ptr %4, align 4, !dbg !78, !tbaa !21
  store float %8, ptr %5, align 4, !dbg !78, !tbaa !21
  %9 = load float, ptr %5, align 4, !dbg !78
  %10 = atomicrmw fadd ptr %7, float %9 monotonic, align 4, !dbg !78
  store float %10, ptr %6, align 4, !dbg !78
  %11 = load float, ptr %6, align 4, !dbg !78, !tbaa !21
  ret float %11, !dbg !78
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef i64 @_ZL9atomicMaxPyy(ptr noundef %0, i64 noundef %1) #3 !dbg !79 {
  %3 = alloca ptr, align 8
  %4 = alloca i64, align 8
  %5 = alloca i64, align 8
  %6 = alloca i64, align 8
  store ptr %0, ptr %3, align 8, !tbaa !13
  store i64 %1, ptr %4, align 8, !tbaa !80
  %7 = load ptr, ptr %3, align 8, !dbg !82, !tbaa !13
  %8 = load i64, ptr %4, align 8, !dbg !82, !tbaa !80
  store i64 %8, ptr %5, align 8, !dbg !82, !tbaa !80
  %9 = load i64, ptr %5, align 8, !dbg !82
  %10 = atomicrmw umax ptr %7, i64 %9 monotonic, align 8, !dbg !82
  store i64 %10, ptr %6, align 8, !dbg !82
  %11 = load i64, ptr %6, align 8, !dbg !82, !tbaa !80
  ret i64 %11, !dbg !82
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z4bothPfi(ptr noundef %0, i32 noundef %1) #1 !dbg !83 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca ptr, align 8
  store ptr %0, ptr %3, align 8, !tbaa !13
  store i32 %1, ptr %4, align 4, !tbaa !17
  call void @llvm.lifetime.start.p0(i64 8, ptr %5) #6, !dbg !84
  %6 = load i32, ptr %4, align 4, !dbg !85, !tbaa !17
  %7 = icmp ne i32 %6, 0, !dbg !85
  br i1 %7, label %8, label %10, !dbg !85

8:                                                ; preds = %2
  %9 = load ptr, ptr %3, align 8, !dbg !86, !tbaa !13
  br label %11, !dbg !85

10:                                               ; preds = %2
  br label %11, !dbg !85

11:                                               ; preds = %10, %8
  %12 = phi ptr [ %9, %8 ], [ addrspacecast (ptr addrspace(3) @_ZZ4bothPfiE1s to ptr), %10 ], !dbg !85
  store ptr %12, ptr %5, align 8, !dbg !87, !tbaa !13
  %13 = load ptr, ptr %5, align 8, !dbg !88, !tbaa !13
  store float 1.000000e+00, ptr %13, align 4, !dbg !89, !tbaa !21
  call void @llvm.lifetime.end.p0(i64 8, ptr %5) #6, !dbg !90
  ret void, !dbg !90
}

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x() #5

attributes #0 = { convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #1 = { convergent mustprogress norecurse nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #2 = { argmemonly nocallback nofree nosync nounwind willreturn }
attributes #3 = { alwaysinline convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #4 = { convergent nocallback nounwind }
attributes #5 = { nocallback nofree nosync nounwind readnone speculatable willreturn }
attributes #6 = { nounwind }
attributes #7 = { convergent nounwind }

!llvm.dbg.cu = !{!0}
!nvvm.annotations = !{!2, !3}
!llvm.module.flags = !{!4, !5, !6, !7, !8}
!llvm.ident = !{!9}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "Debian clang version 15.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: DebugDirectivesOnly, splitDebugInlining: false, nameTableKind: None)
!1 = !DIFile(filename: "w.cu", directory: "/tmp/ocl/lit")
!2 = !{ptr @_Z3mixPfPKfib, !"kernel", i32 1}
!3 = !{ptr @_Z4bothPfi, !"kernel", i32 1}
!4 = !{i32 7, !"Dwarf Version", i32 2}
!5 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{i32 1, !"wchar_size", i32 4}
!7 = !{i32 4, !"nvvm-reflect-ftz", i32 0}
!8 = !{i32 7, !"frame-pointer", i32 2}
!9 = !{!"Debian clang version 15.0.6"}
!10 = distinct !DISubprogram(name: "scale", scope: !1, file: !1, line: 1, type: !11, scopeLine: 1, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!11 = !DISubroutineType(types: !12)
!12 = !{}
!13 = !{!14, !14, i64 0}
!14 = !{!"any pointer", !15, i64 0}
!15 = !{!"omnipotent char", !16, i64 0}
!16 = !{!"Simple C++ TBAA"}
!17 = !{!18, !18, i64 0}
!18 = !{!"int", !15, i64 0}
!19 = !DILocation(line: 1, column: 56, scope: !10)
!20 = !DILocation(line: 1, column: 58, scope: !10)
!21 = !{!22, !22, i64 0}
!22 = !{!"float", !15, i64 0}
!23 = !DILocation(line: 1, column: 61, scope: !10)
!24 = !DILocation(line: 1, column: 49, scope: !10)
!25 = distinct !DISubprogram(name: "mix", scope: !1, file: !1, line: 2, type: !11, scopeLine: 2, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!26 = !{!27, !27, i64 0}
!27 = !{!"bool", !15, i64 0}
!28 = !DILocation(line: 4, column: 3, scope: !25)
!29 = !DILocation(line: 4, column: 9, scope: !25)
!30 = !DILocation(line: 4, column: 19, scope: !25)
!31 = !DILocation(line: 5, column: 8, scope: !25)
!32 = !DILocation(line: 5, column: 12, scope: !25)
!33 = !DILocation(line: 5, column: 19, scope: !25)
!34 = !DILocation(line: 5, column: 23, scope: !25)
!35 = !DILocation(line: 5, column: 21, scope: !25)
!36 = !DILocation(line: 5, column: 3, scope: !25)
!37 = !DILocation(line: 5, column: 33, scope: !25)
!38 = !DILocation(line: 5, column: 43, scope: !25)
!39 = !DILocation(line: 5, column: 39, scope: !25)
!40 = !DILocation(line: 5, column: 50, scope: !25)
!41 = !DILocation(line: 5, column: 48, scope: !25)
!42 = !DILocation(line: 5, column: 57, scope: !25)
!43 = !DILocation(line: 5, column: 67, scope: !25)
!44 = !DILocation(line: 5, column: 71, scope: !25)
!45 = !DILocation(line: 5, column: 61, scope: !25)
!46 = !DILocation(line: 5, column: 59, scope: !25)
!47 = !DILocation(line: 5, column: 55, scope: !25)
!48 = !DILocation(line: 5, column: 75, scope: !25)
!49 = !DILocation(line: 5, column: 26, scope: !25)
!50 = distinct !{!50, !36, !48, !51}
!51 = !{!"llvm.loop.mustprogress"}
!52 = !DILocation(line: 6, column: 23, scope: !25)
!53 = !{i8 0, i8 2}
!54 = !DILocation(line: 6, column: 30, scope: !25)
!55 = !DILocation(line: 6, column: 34, scope: !25)
!56 = !DILocation(line: 6, column: 8, scope: !25)
!57 = !DILocation(line: 6, column: 3, scope: !25)
!58 = !DILocation(line: 6, column: 21, scope: !25)
!59 = !DILocation(line: 7, column: 3, scope: !25)
!60 = !DILocation(line: 8, column: 35, scope: !25)
!61 = !DILocation(line: 8, column: 47, scope: !25)
!62 = !DILocation(line: 8, column: 52, scope: !25)
!63 = !DILocation(line: 8, column: 22, scope: !25)
!64 = !DILocation(line: 8, column: 3, scope: !25)
!65 = !DILocation(line: 8, column: 7, scope: !25)
!66 = !DILocation(line: 8, column: 20, scope: !25)
!67 = !DILocation(line: 9, column: 14, scope: !25)
!68 = !DILocation(line: 9, column: 3, scope: !25)
!69 = !DILocation(line: 10, column: 34, scope: !25)
!70 = !DILocation(line: 10, column: 38, scope: !25)
!71 = !DILocation(line: 10, column: 3, scope: !25)
!72 = !DILocation(line: 11, column: 1, scope: !25)
!73 = distinct !DISubprogram(name: "__get_x", scope: !74, file: !74, line: 36, type: !11, scopeLine: 36, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!74 = !DIFile(filename: "/work/main/include/cuport/device/builtin_vars.h", directory: "")
!75 = !DILocation(line: 36, column: 1, scope: !73)
!76 = distinct !DISubprogram(name: "atomicAdd", scope: !77, file: !77, line: 29, type: !11, scopeLine: 29, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!77 = !DIFile(filename: "/work/main/include/cuport/device/atomics.h", directory: "")
!78 = !DILocation(line: 29, column: 1, scope: !76)
!79 = distinct !DISubprogram(name: "atomicMax", scope: !77, file: !77, line: 53, type: !11, scopeLine: 53, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!80 = !{!81, !81, i64 0}
!81 = !{!"long long", !15, i64 0}
!82 = !DILocation(line: 53, column: 1, scope: !79)
!83 = distinct !DISubprogram(name: "both", scope: !1, file: !1, line: 12, type: !11, scopeLine: 12, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !12)
!84 = !DILocation(line: 14, column: 3, scope: !83)
!85 = !DILocation(line: 14, column: 14, scope: !83)
!86 = !DILocation(line: 14, column: 18, scope: !83)
!87 = !DILocation(line: 14, column: 10, scope: !83)
!88 = !DILocation(line: 15, column: 4, scope: !83)
!89 = !DILocation(line: 15, column: 6, scope: !83)
!90 = !DILocation(line: 16, column: 1, scope: !83)
