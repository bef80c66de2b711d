; The PTX lowering (PTXImage.cpp): kernels keep the hardware's own special registers, warp shuffles and
; barriers; device printf stays the driver's vprintf; a __device__ variable is exported by name; sqrtf is
; the correctly rounded sqrt.rn.f32; the C math functions (erff, expf, sinf, pow, fmod) come from cuport's
; NVPTX math library (libcuport-ptx-devmath.bc, which cuport-opt finds next to itself, as cuport-cc does):
; the llvm.exp/sin/pow intrinsics and frem become calls of its functions, linked in and internalized, so no
; math function is left external; a kernel that reaches a function with no definition is left out, named
; with the file:line of the call in user code.
; Source (CUDA), compiled with `cuport-cc -c p.cu --keep-dir kp` (kp/p.nvptx.bc, llvm-dis):
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
;   __global__ void trig(float* f, double* d) {
;     f[0] = expf(f[0]) + sinf(f[1]);
;     d[0] = pow(d[0], d[1]) + fmod(d[2], d[3]);
;   }
;   __device__ float elsewhere(float x);
;   __global__ void ext(float* out) { out[0] = elsewhere(out[0]); }
; RUN: %cuport-opt -passes=ptx %s | %FileCheck %s
; RUN: %cuport-opt -passes=ptx %s | %FileCheck %s --check-prefix=EXTERN

; CHECK: // cuport-unsupported _Z3extPf p.cu:16:44: error: the function 'elsewhere(float)' has no definition for the cuda backend
; CHECK-NOT: cuport-unsupported
; CHECK: .version 6.0
; CHECK-NEXT: .target sm_70
; CHECK: .extern .func  (.param .b32 func_retval0) vprintf
; CHECK: .visible .global .align 4 .b8 table[16];
; CHECK: .visible .entry _Z5plainPfi(
; CHECK: mov.u32 {{.*}}%ctaid.x;
; CHECK: mov.u32 {{.*}}%ntid.x;
; CHECK: mov.u32 {{.*}}%tid.x;
; CHECK: shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
; CHECK: bar.sync 0;
; CHECK: sqrt.rn.f32
; CHECK: call.uni (retval0),
; CHECK-NEXT: vprintf,
; CHECK-DAG: .visible .entry _Z5mathyPf(
; CHECK-DAG: .visible .entry _Z4trigPfPd(
; CHECK-NOT: .entry _Z3extPf

; Only the driver's vprintf is external: erff, expf, sinf, pow and fmod are the library's, defined in the
; module (not .visible: internalized).
; EXTERN-NOT: .extern .func
; EXTERN: .extern .func  (.param .b32 func_retval0) vprintf
; EXTERN-NOT: .extern .func
; EXTERN-DAG: {{^}}.func  (.param .b32 func_retval0) sinf(
; EXTERN-DAG: {{^}}.func  (.param .b32 func_retval0) expf(
; EXTERN-DAG: {{^}}.func  (.param .b32 func_retval0) erff(
; EXTERN-DAG: {{^}}.func  (.param .b64 func_retval0) pow(
; EXTERN-DAG: {{^}}.func  (.param .b64 func_retval0) fmod(

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
define dso_local noundef float @_Z6helperf(float noundef %0) #0 !dbg !12 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !15
  %3 = load float, ptr %2, align 4, !dbg !19, !tbaa !15
  %4 = call contract noundef float @_ZL4erfff(float noundef %3) #9, !dbg !20
  ret float %4, !dbg !21
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4erfff(float noundef %0) #1 !dbg !22 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !15
  %3 = load float, ptr %2, align 4, !dbg !24, !tbaa !15
  %4 = call contract float @erff(float noundef %3) #10, !dbg !24
  ret float %4, !dbg !24
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z5plainPfi(ptr noundef %0, i32 noundef %1) #2 !dbg !25 {
  %3 = alloca ptr, align 8
  %4 = alloca i32, align 4
  %5 = alloca i32, align 4
  %6 = alloca float, align 4
  %7 = alloca %printf_args, align 8
  store ptr %0, ptr %3, align 8, !tbaa !26
  store i32 %1, ptr %4, align 4, !tbaa !28
  call void @llvm.lifetime.start.p0(i64 4, ptr %5) #11, !dbg !30
  %8 = call noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #9, !dbg !31
  %9 = call noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #9, !dbg !32
  %10 = mul i32 %8, %9, !dbg !33
  %11 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !34
  %12 = add i32 %10, %11, !dbg !35
  store i32 %12, ptr %5, align 4, !dbg !36, !tbaa !28
  call void @llvm.lifetime.start.p0(i64 4, ptr %6) #11, !dbg !37
  %13 = load ptr, ptr %3, align 8, !dbg !38, !tbaa !26
  %14 = load i32, ptr %5, align 4, !dbg !39, !tbaa !28
  %15 = sext i32 %14 to i64, !dbg !38
  %16 = getelementptr inbounds float, ptr %13, i64 %15, !dbg !38
  %17 = load float, ptr %16, align 4, !dbg !38, !tbaa !15
  %18 = call contract noundef float @_ZL15__shfl_xor_syncjfii(i32 noundef -1, float noundef %17, i32 noundef 1, i32 noundef 32) #9, !dbg !40
  store float %18, ptr %6, align 4, !dbg !41, !tbaa !15
  call void @llvm.nvvm.barrier0(), !dbg !42
  %19 = load i32, ptr %5, align 4, !dbg !43, !tbaa !28
  %20 = load i32, ptr %4, align 4, !dbg !44, !tbaa !28
  %21 = icmp slt i32 %19, %20, !dbg !45
  br i1 %21, label %22, label %41, !dbg !43

22:                                               ; preds = %2
  %23 = load float, ptr %6, align 4, !dbg !46, !tbaa !15
  %24 = load i32, ptr %5, align 4, !dbg !47, !tbaa !28
  %25 = and i32 %24, 3, !dbg !48
  %26 = sext i32 %25 to i64, !dbg !49
  %27 = getelementptr inbounds [4 x float], ptr addrspacecast (ptr addrspace(1) @table to ptr), i64 0, i64 %26, !dbg !49
  %28 = load float, ptr %27, align 4, !dbg !49, !tbaa !15
  %29 = fadd contract float %23, %28, !dbg !50
  %30 = load ptr, ptr %3, align 8, !dbg !51, !tbaa !26
  %31 = load i32, ptr %5, align 4, !dbg !52, !tbaa !28
  %32 = sext i32 %31 to i64, !dbg !51
  %33 = getelementptr inbounds float, ptr %30, i64 %32, !dbg !51
  %34 = load float, ptr %33, align 4, !dbg !51, !tbaa !15
  %35 = call contract noundef float @_ZL5sqrtff(float noundef %34) #9, !dbg !53
  %36 = fadd contract float %29, %35, !dbg !54
  %37 = load ptr, ptr %3, align 8, !dbg !55, !tbaa !26
  %38 = load i32, ptr %5, align 4, !dbg !56, !tbaa !28
  %39 = sext i32 %38 to i64, !dbg !55
  %40 = getelementptr inbounds float, ptr %37, i64 %39, !dbg !55
  store float %36, ptr %40, align 4, !dbg !57, !tbaa !15
  br label %41, !dbg !55

41:                                               ; preds = %22, %2
  %42 = load i32, ptr %5, align 4, !dbg !58, !tbaa !28
  %43 = icmp eq i32 %42, 0, !dbg !59
  br i1 %43, label %44, label %48, !dbg !58

44:                                               ; preds = %41
  %45 = load i32, ptr %4, align 4, !dbg !60, !tbaa !28
  %46 = getelementptr inbounds %printf_args, ptr %7, i32 0, i32 0, !dbg !61
  store i32 %45, ptr %46, align 4, !dbg !61
  %47 = call i32 @vprintf(ptr @.str, ptr %7), !dbg !61
  br label %48, !dbg !61

48:                                               ; preds = %44, %41
  call void @llvm.lifetime.end.p0(i64 4, ptr %6) #11, !dbg !62
  call void @llvm.lifetime.end.p0(i64 4, ptr %5) #11, !dbg !62
  ret void, !dbg !62
}

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockIdx_t7__get_xEv() #1 comdat align 2 !dbg !63 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x(), !dbg !65
  ret i32 %1, !dbg !65
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN19__cuport_blockDim_t7__get_xEv() #1 comdat align 2 !dbg !66 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x(), !dbg !67
  ret i32 %1, !dbg !67
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define linkonce_odr dso_local noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #1 comdat align 2 !dbg !68 {
  %1 = call i32 @llvm.nvvm.read.ptx.sreg.tid.x(), !dbg !69
  ret i32 %1, !dbg !69
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL15__shfl_xor_syncjfii(i32 noundef %0, float noundef %1, i32 noundef %2, i32 noundef %3) #1 !dbg !70 {
  %5 = alloca i32, align 4
  %6 = alloca float, align 4
  %7 = alloca i32, align 4
  %8 = alloca i32, align 4
  store i32 %0, ptr %5, align 4, !tbaa !28
  store float %1, ptr %6, align 4, !tbaa !15
  store i32 %2, ptr %7, align 4, !tbaa !28
  store i32 %3, ptr %8, align 4, !tbaa !28
  %9 = load i32, ptr %5, align 4, !dbg !72, !tbaa !28
  %10 = load float, ptr %6, align 4, !dbg !72, !tbaa !15
  %11 = load i32, ptr %7, align 4, !dbg !72, !tbaa !28
  %12 = load i32, ptr %8, align 4, !dbg !72, !tbaa !28
  %13 = call noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %12, i1 noundef zeroext false) #9, !dbg !72
  %14 = call contract float @llvm.nvvm.shfl.sync.bfly.f32(i32 %9, float %10, i32 %11, i32 %13), !dbg !72
  ret float %14, !dbg !72
}

; Function Attrs: convergent nocallback nounwind
declare void @llvm.nvvm.barrier0() #4

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL5sqrtff(float noundef %0) #1 !dbg !73 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !15
  %3 = load float, ptr %2, align 4, !dbg !74, !tbaa !15
  %4 = call contract float @llvm.sqrt.f32(float %3), !dbg !74
  ret float %4, !dbg !74
}

declare i32 @vprintf(ptr, ptr)

; Function Attrs: argmemonly nocallback nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #3

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z5mathyPf(ptr noundef %0) #2 !dbg !75 {
  %2 = alloca ptr, align 8
  store ptr %0, ptr %2, align 8, !tbaa !26
  %3 = load ptr, ptr %2, align 8, !dbg !76, !tbaa !26
  %4 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !77
  %5 = zext i32 %4 to i64, !dbg !76
  %6 = getelementptr inbounds float, ptr %3, i64 %5, !dbg !76
  %7 = load float, ptr %6, align 4, !dbg !76, !tbaa !15
  %8 = call contract noundef float @_Z6helperf(float noundef %7) #9, !dbg !78
  %9 = load ptr, ptr %2, align 8, !dbg !79, !tbaa !26
  %10 = call noundef i32 @_ZN20__cuport_threadIdx_t7__get_xEv() #9, !dbg !80
  %11 = zext i32 %10 to i64, !dbg !79
  %12 = getelementptr inbounds float, ptr %9, i64 %11, !dbg !79
  store float %8, ptr %12, align 4, !dbg !81, !tbaa !15
  ret void, !dbg !82
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z4trigPfPd(ptr noundef %0, ptr noundef %1) #2 !dbg !83 {
  %3 = alloca ptr, align 8
  %4 = alloca ptr, align 8
  store ptr %0, ptr %3, align 8, !tbaa !26
  store ptr %1, ptr %4, align 8, !tbaa !26
  %5 = load ptr, ptr %3, align 8, !dbg !84, !tbaa !26
  %6 = getelementptr inbounds float, ptr %5, i64 0, !dbg !84
  %7 = load float, ptr %6, align 4, !dbg !84, !tbaa !15
  %8 = call contract noundef float @_ZL4expff(float noundef %7) #9, !dbg !85
  %9 = load ptr, ptr %3, align 8, !dbg !86, !tbaa !26
  %10 = getelementptr inbounds float, ptr %9, i64 1, !dbg !86
  %11 = load float, ptr %10, align 4, !dbg !86, !tbaa !15
  %12 = call contract noundef float @_ZL4sinff(float noundef %11) #9, !dbg !87
  %13 = fadd contract float %8, %12, !dbg !88
  %14 = load ptr, ptr %3, align 8, !dbg !89, !tbaa !26
  %15 = getelementptr inbounds float, ptr %14, i64 0, !dbg !89
  store float %13, ptr %15, align 4, !dbg !90, !tbaa !15
  %16 = load ptr, ptr %4, align 8, !dbg !91, !tbaa !26
  %17 = getelementptr inbounds double, ptr %16, i64 0, !dbg !91
  %18 = load double, ptr %17, align 8, !dbg !91, !tbaa !92
  %19 = load ptr, ptr %4, align 8, !dbg !94, !tbaa !26
  %20 = getelementptr inbounds double, ptr %19, i64 1, !dbg !94
  %21 = load double, ptr %20, align 8, !dbg !94, !tbaa !92
  %22 = call contract noundef double @_ZL3powdd(double noundef %18, double noundef %21) #9, !dbg !95
  %23 = load ptr, ptr %4, align 8, !dbg !96, !tbaa !26
  %24 = getelementptr inbounds double, ptr %23, i64 2, !dbg !96
  %25 = load double, ptr %24, align 8, !dbg !96, !tbaa !92
  %26 = load ptr, ptr %4, align 8, !dbg !97, !tbaa !26
  %27 = getelementptr inbounds double, ptr %26, i64 3, !dbg !97
  %28 = load double, ptr %27, align 8, !dbg !97, !tbaa !92
  %29 = call contract noundef double @_ZL4fmoddd(double noundef %25, double noundef %28) #9, !dbg !98
  %30 = fadd contract double %22, %29, !dbg !99
  %31 = load ptr, ptr %4, align 8, !dbg !100, !tbaa !26
  %32 = getelementptr inbounds double, ptr %31, i64 0, !dbg !100
  store double %30, ptr %32, align 8, !dbg !101, !tbaa !92
  ret void, !dbg !102
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4expff(float noundef %0) #1 !dbg !103 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !15
  %3 = load float, ptr %2, align 4, !dbg !104, !tbaa !15
  %4 = call contract float @llvm.exp.f32(float %3), !dbg !104
  ret float %4, !dbg !104
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef float @_ZL4sinff(float noundef %0) #1 !dbg !105 {
  %2 = alloca float, align 4
  store float %0, ptr %2, align 4, !tbaa !15
  %3 = load float, ptr %2, align 4, !dbg !106, !tbaa !15
  %4 = call contract float @llvm.sin.f32(float %3), !dbg !106
  ret float %4, !dbg !106
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef double @_ZL3powdd(double noundef %0, double noundef %1) #1 !dbg !107 {
  %3 = alloca double, align 8
  %4 = alloca double, align 8
  store double %0, ptr %3, align 8, !tbaa !92
  store double %1, ptr %4, align 8, !tbaa !92
  %5 = load double, ptr %3, align 8, !dbg !108, !tbaa !92
  %6 = load double, ptr %4, align 8, !dbg !108, !tbaa !92
  %7 = call contract double @llvm.pow.f64(double %5, double %6), !dbg !108
  ret double %7, !dbg !108
}

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef double @_ZL4fmoddd(double noundef %0, double noundef %1) #1 !dbg !109 {
  %3 = alloca double, align 8
  %4 = alloca double, align 8
  store double %0, ptr %3, align 8, !tbaa !92
  store double %1, ptr %4, align 8, !tbaa !92
  %5 = load double, ptr %3, align 8, !dbg !110, !tbaa !92
  %6 = load double, ptr %4, align 8, !dbg !110, !tbaa !92
  %7 = frem contract double %5, %6, !dbg !110
  ret double %7, !dbg !110
}

; Function Attrs: convergent mustprogress norecurse nounwind
define dso_local void @_Z3extPf(ptr noundef %0) #2 !dbg !111 {
  %2 = alloca ptr, align 8
  store ptr %0, ptr %2, align 8, !tbaa !26
  %3 = load ptr, ptr %2, align 8, !dbg !112, !tbaa !26
  %4 = getelementptr inbounds float, ptr %3, i64 0, !dbg !112
  %5 = load float, ptr %4, align 4, !dbg !112, !tbaa !15
  %6 = call contract noundef float @_Z9elsewheref(float noundef %5) #9, !dbg !113
  %7 = load ptr, ptr %2, align 8, !dbg !114, !tbaa !26
  %8 = getelementptr inbounds float, ptr %7, i64 0, !dbg !114
  store float %6, ptr %8, align 4, !dbg !115, !tbaa !15
  ret void, !dbg !116
}

; Function Attrs: convergent nounwind
declare dso_local noundef float @_Z9elsewheref(float noundef) #5

; Function Attrs: convergent nounwind readnone willreturn
declare dso_local float @erff(float noundef) #6

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x() #7

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x() #7

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x() #7

; Function Attrs: convergent inaccessiblememonly nocallback nounwind
declare float @llvm.nvvm.shfl.sync.bfly.f32(i32, float, i32, i32) #8

; Function Attrs: alwaysinline convergent mustprogress nounwind
define internal noundef i32 @_ZL15__cuport_shfl_cib(i32 noundef %0, i1 noundef zeroext %1) #1 !dbg !117 {
  %3 = alloca i32, align 4
  %4 = alloca i8, align 1
  store i32 %0, ptr %3, align 4, !tbaa !28
  %5 = zext i1 %1 to i8
  store i8 %5, ptr %4, align 1, !tbaa !118
  %6 = load i32, ptr %3, align 4, !dbg !120, !tbaa !28
  %7 = sub nsw i32 32, %6, !dbg !121
  %8 = shl i32 %7, 8, !dbg !122
  %9 = load i8, ptr %4, align 1, !dbg !123, !tbaa !118, !range !124
  %10 = trunc i8 %9 to i1, !dbg !123
  %11 = zext i1 %10 to i64, !dbg !123
  %12 = select i1 %10, i32 0, i32 31, !dbg !123
  %13 = or i32 %8, %12, !dbg !125
  ret i32 %13, !dbg !126
}

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #7

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.exp.f32(float) #7

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sin.f32(float) #7

; Function Attrs: nocallback nofree nosync nounwind readnone speculatable willreturn
declare double @llvm.pow.f64(double, double) #7

attributes #0 = { convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #1 = { alwaysinline convergent mustprogress nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #2 = { convergent mustprogress norecurse nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #3 = { argmemonly nocallback nofree nosync nounwind willreturn }
attributes #4 = { convergent nocallback nounwind }
attributes #5 = { convergent nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #6 = { convergent nounwind readnone willreturn "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="sm_70" "target-features"="+ptx75,+sm_70" }
attributes #7 = { nocallback nofree nosync nounwind readnone speculatable willreturn }
attributes #8 = { convergent inaccessiblememonly nocallback nounwind }
attributes #9 = { convergent nounwind }
attributes #10 = { convergent nounwind readnone willreturn }
attributes #11 = { nounwind }

!llvm.dbg.cu = !{!0}
!nvvm.annotations = !{!2, !3, !4, !5}
!llvm.module.flags = !{!6, !7, !8, !9, !10}
!llvm.ident = !{!11}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "Debian clang version 15.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: DebugDirectivesOnly, splitDebugInlining: false, nameTableKind: None)
!1 = !DIFile(filename: "p.cu", directory: "/src")
!2 = !{ptr @_Z5plainPfi, !"kernel", i32 1}
!3 = !{ptr @_Z5mathyPf, !"kernel", i32 1}
!4 = !{ptr @_Z4trigPfPd, !"kernel", i32 1}
!5 = !{ptr @_Z3extPf, !"kernel", i32 1}
!6 = !{i32 7, !"Dwarf Version", i32 2}
!7 = !{i32 2, !"Debug Info Version", i32 3}
!8 = !{i32 1, !"wchar_size", i32 4}
!9 = !{i32 4, !"nvvm-reflect-ftz", i32 0}
!10 = !{i32 7, !"frame-pointer", i32 2}
!11 = !{!"Debian clang version 15.0.6"}
!12 = distinct !DISubprogram(name: "helper", scope: !1, file: !1, line: 2, type: !13, scopeLine: 2, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!13 = !DISubroutineType(types: !14)
!14 = !{}
!15 = !{!16, !16, i64 0}
!16 = !{!"float", !17, i64 0}
!17 = !{!"omnipotent char", !18, i64 0}
!18 = !{!"Simple C++ TBAA"}
!19 = !DILocation(line: 2, column: 48, scope: !12)
!20 = !DILocation(line: 2, column: 43, scope: !12)
!21 = !DILocation(line: 2, column: 36, scope: !12)
!22 = distinct !DISubprogram(name: "erff", scope: !23, file: !23, line: 42, type: !13, scopeLine: 42, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!23 = !DIFile(filename: "/work/main/include/cuport/device/math_functions.h", directory: "")
!24 = !DILocation(line: 42, column: 1, scope: !22)
!25 = distinct !DISubprogram(name: "plain", scope: !1, file: !1, line: 3, type: !13, scopeLine: 3, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!26 = !{!27, !27, i64 0}
!27 = !{!"any pointer", !17, i64 0}
!28 = !{!29, !29, i64 0}
!29 = !{!"int", !17, i64 0}
!30 = !DILocation(line: 4, column: 3, scope: !25)
!31 = !DILocation(line: 4, column: 11, scope: !25)
!32 = !DILocation(line: 4, column: 24, scope: !25)
!33 = !DILocation(line: 4, column: 22, scope: !25)
!34 = !DILocation(line: 4, column: 37, scope: !25)
!35 = !DILocation(line: 4, column: 35, scope: !25)
!36 = !DILocation(line: 4, column: 7, scope: !25)
!37 = !DILocation(line: 5, column: 3, scope: !25)
!38 = !DILocation(line: 5, column: 42, scope: !25)
!39 = !DILocation(line: 5, column: 46, scope: !25)
!40 = !DILocation(line: 5, column: 13, scope: !25)
!41 = !DILocation(line: 5, column: 9, scope: !25)
!42 = !DILocation(line: 6, column: 3, scope: !25)
!43 = !DILocation(line: 7, column: 7, scope: !25)
!44 = !DILocation(line: 7, column: 11, scope: !25)
!45 = !DILocation(line: 7, column: 9, scope: !25)
!46 = !DILocation(line: 7, column: 23, scope: !25)
!47 = !DILocation(line: 7, column: 33, scope: !25)
!48 = !DILocation(line: 7, column: 35, scope: !25)
!49 = !DILocation(line: 7, column: 27, scope: !25)
!50 = !DILocation(line: 7, column: 25, scope: !25)
!51 = !DILocation(line: 7, column: 48, scope: !25)
!52 = !DILocation(line: 7, column: 52, scope: !25)
!53 = !DILocation(line: 7, column: 42, scope: !25)
!54 = !DILocation(line: 7, column: 40, scope: !25)
!55 = !DILocation(line: 7, column: 14, scope: !25)
!56 = !DILocation(line: 7, column: 18, scope: !25)
!57 = !DILocation(line: 7, column: 21, scope: !25)
!58 = !DILocation(line: 8, column: 7, scope: !25)
!59 = !DILocation(line: 8, column: 9, scope: !25)
!60 = !DILocation(line: 8, column: 32, scope: !25)
!61 = !DILocation(line: 8, column: 15, scope: !25)
!62 = !DILocation(line: 9, column: 1, scope: !25)
!63 = distinct !DISubprogram(name: "__get_x", scope: !64, file: !64, line: 37, type: !13, scopeLine: 37, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!64 = !DIFile(filename: "/work/main/include/cuport/device/builtin_vars.h", directory: "")
!65 = !DILocation(line: 37, column: 1, scope: !63)
!66 = distinct !DISubprogram(name: "__get_x", scope: !64, file: !64, line: 38, type: !13, scopeLine: 38, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!67 = !DILocation(line: 38, column: 1, scope: !66)
!68 = distinct !DISubprogram(name: "__get_x", scope: !64, file: !64, line: 36, type: !13, scopeLine: 36, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!69 = !DILocation(line: 36, column: 1, scope: !68)
!70 = distinct !DISubprogram(name: "__shfl_xor_sync", scope: !71, file: !71, line: 58, type: !13, scopeLine: 58, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!71 = !DIFile(filename: "/work/main/include/cuport/device/warp.h", directory: "")
!72 = !DILocation(line: 58, column: 1, scope: !70)
!73 = distinct !DISubprogram(name: "sqrtf", scope: !23, file: !23, line: 45, type: !13, scopeLine: 45, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!74 = !DILocation(line: 45, column: 55, scope: !73)
!75 = distinct !DISubprogram(name: "mathy", scope: !1, file: !1, line: 10, type: !13, scopeLine: 10, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!76 = !DILocation(line: 10, column: 63, scope: !75)
!77 = !DILocation(line: 10, column: 67, scope: !75)
!78 = !DILocation(line: 10, column: 56, scope: !75)
!79 = !DILocation(line: 10, column: 37, scope: !75)
!80 = !DILocation(line: 10, column: 41, scope: !75)
!81 = !DILocation(line: 10, column: 54, scope: !75)
!82 = !DILocation(line: 10, column: 82, scope: !75)
!83 = distinct !DISubprogram(name: "trig", scope: !1, file: !1, line: 11, type: !13, scopeLine: 11, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!84 = !DILocation(line: 12, column: 15, scope: !83)
!85 = !DILocation(line: 12, column: 10, scope: !83)
!86 = !DILocation(line: 12, column: 28, scope: !83)
!87 = !DILocation(line: 12, column: 23, scope: !83)
!88 = !DILocation(line: 12, column: 21, scope: !83)
!89 = !DILocation(line: 12, column: 3, scope: !83)
!90 = !DILocation(line: 12, column: 8, scope: !83)
!91 = !DILocation(line: 13, column: 14, scope: !83)
!92 = !{!93, !93, i64 0}
!93 = !{!"double", !17, i64 0}
!94 = !DILocation(line: 13, column: 20, scope: !83)
!95 = !DILocation(line: 13, column: 10, scope: !83)
!96 = !DILocation(line: 13, column: 33, scope: !83)
!97 = !DILocation(line: 13, column: 39, scope: !83)
!98 = !DILocation(line: 13, column: 28, scope: !83)
!99 = !DILocation(line: 13, column: 26, scope: !83)
!100 = !DILocation(line: 13, column: 3, scope: !83)
!101 = !DILocation(line: 13, column: 8, scope: !83)
!102 = !DILocation(line: 14, column: 1, scope: !83)
!103 = distinct !DISubprogram(name: "expf", scope: !23, file: !23, line: 42, type: !13, scopeLine: 42, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!104 = !DILocation(line: 42, column: 36, scope: !103)
!105 = distinct !DISubprogram(name: "sinf", scope: !23, file: !23, line: 45, type: !13, scopeLine: 45, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!106 = !DILocation(line: 45, column: 20, scope: !105)
!107 = distinct !DISubprogram(name: "pow", scope: !23, file: !23, line: 48, type: !13, scopeLine: 48, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!108 = !DILocation(line: 48, column: 61, scope: !107)
!109 = distinct !DISubprogram(name: "fmod", scope: !23, file: !23, line: 48, type: !13, scopeLine: 48, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!110 = !DILocation(line: 48, column: 1, scope: !109)
!111 = distinct !DISubprogram(name: "ext", scope: !1, file: !1, line: 16, type: !13, scopeLine: 16, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!112 = !DILocation(line: 16, column: 54, scope: !111)
!113 = !DILocation(line: 16, column: 44, scope: !111)
!114 = !DILocation(line: 16, column: 35, scope: !111)
!115 = !DILocation(line: 16, column: 42, scope: !111)
!116 = !DILocation(line: 16, column: 63, scope: !111)
!117 = distinct !DISubprogram(name: "__cuport_shfl_c", scope: !71, file: !71, line: 18, type: !13, scopeLine: 18, flags: DIFlagPrototyped, spFlags: DISPFlagLocalToUnit | DISPFlagDefinition | DISPFlagOptimized, unit: !0, retainedNodes: !14)
!118 = !{!119, !119, i64 0}
!119 = !{!"bool", !17, i64 0}
!120 = !DILocation(line: 19, column: 17, scope: !117)
!121 = !DILocation(line: 19, column: 15, scope: !117)
!122 = !DILocation(line: 19, column: 26, scope: !117)
!123 = !DILocation(line: 19, column: 35, scope: !117)
!124 = !{i8 0, i8 2}
!125 = !DILocation(line: 19, column: 32, scope: !117)
!126 = !DILocation(line: 19, column: 3, scope: !117)
