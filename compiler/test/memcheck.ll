; Memcheck instrumentation (cuport-cc --memcheck): a check call before every global and shared access with its
; address, size, kind (read 0 / write 1 / atomic 2, +8 natural alignment required, +16 __shared__), source
; location ("function\tfile:line") and thread (tid.x | tid.y << 10 | tid.z << 20); private memory and
; provably in-bounds constant offsets into globals are not checked; device heap calls are reported; the
; image exports its record (version, globals table, hook).  The pass runs only with --memcheck.
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,memcheck %s | %FileCheck %s
; RUN: %cuport-opt -passes=cpu --memcheck %s | %FileCheck %s --check-prefix=CPU
; RUN: %cuport-opt -passes=cpu %s | %FileCheck %s --check-prefix=PLAIN

target triple = "nvptx64-nvidia-cuda"

%struct.S = type { i32, i32 }

@table = addrspace(1) externally_initialized global [4 x i32] zeroinitializer, align 4
@coeff = addrspace(4) externally_initialized global [2 x float] zeroinitializer, align 4
@tile = internal addrspace(3) global [64 x i32] undef, align 4

; The record: version 1, the 2 globals (not __shared__ ones), the hook in the device runtime.
; CHECK-DAG: @__cuport.memcheck.globals = private constant [2 x { ptr, i64, ptr }] [{ ptr, i64, ptr } { ptr addrspacecast (ptr addrspace(1) @table to ptr), i64 16, ptr @{{.*}} }, { ptr, i64, ptr } { ptr addrspacecast (ptr addrspace(4) @coeff to ptr), i64 8, ptr @{{.*}} }]
; CHECK-DAG: @__cuport_memcheck_hook = external hidden global ptr
; CHECK-DAG: @__cuport_memcheck_info = dso_local constant { i32, i32, ptr, ptr } { i32 1, i32 2, ptr @__cuport.memcheck.globals, ptr @__cuport_memcheck_hook }
; CHECK-DAG: @[[LINE12:.*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"kern\09k.cu:12\00"
; Without a debug location the function alone.
; CHECK-DAG: @[[KERN:.*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"kern\00"
; CHECK-DAG: @[[HELPER:.*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"helper\00"
; CHECK-DAG: @[[REC:.*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"rec\00"

; CHECK-LABEL: define {{.*}}void @kern(
; CHECK: %[[X:.*]] = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
; CHECK: %[[Y:.*]] = call i32 @llvm.nvvm.read.ptx.sreg.tid.y()
; CHECK: %[[Z:.*]] = call i32 @llvm.nvvm.read.ptx.sreg.tid.z()
; CHECK: %memcheck.thread = or i32
; CHECK: %memcheck.ctx = call ptr @__cuport.ctx()
; CHECK: %[[TF:.*]] = getelementptr inbounds i8, ptr %memcheck.ctx, i64 80
; CHECK: %[[WF:.*]] = getelementptr inbounds i8, ptr %memcheck.ctx, i64 72
; Each check records the thread and the location in the block context (for fault reports), then calls the
; device runtime only when a hook is installed (CUPORT_MEMCHECK=1).  A global load with a debug location:
; read, aligned.
; CHECK: store volatile i32 %memcheck.thread, ptr %[[TF]]
; CHECK-NEXT: store volatile ptr @[[LINE12]], ptr %[[WF]]
; CHECK-NEXT: %memcheck.hook = load ptr, ptr @__cuport_memcheck_hook
; CHECK-NEXT: %[[ON:.*]] = icmp ne ptr %memcheck.hook, null
; CHECK-NEXT: br i1 %[[ON]], label %[[THEN:[0-9]+]], label %[[CONT:[0-9]+]], {{.*}}!prof
; CHECK: [[THEN]]:
; CHECK-NEXT: call void @__cuport_memcheck(ptr %gp, i64 4, i32 8, ptr @[[LINE12]], i32 %memcheck.thread, ptr %memcheck.ctx)
; CHECK-NEXT: br label %[[CONT]]
; CHECK: [[CONT]]:
; CHECK-NEXT: %v = load i32, ptr %gp
; Private memory: no check.
; CHECK-NEXT: store i32 %v, ptr %priv
; Shared store with a dynamic index: write + aligned + shared.
; CHECK: %[[SH:.*]] = addrspacecast ptr addrspace(3) %sp to ptr
; CHECK: call void @__cuport_memcheck(ptr %[[SH]], i64 4, i32 25, ptr @[[KERN]], i32 %memcheck.thread, ptr %memcheck.ctx)
; CHECK: store i32 %v, ptr addrspace(3) %sp
; Constant in-bounds offsets into globals: no check.  Out of bounds: checked.
; CHECK-NEXT: %t0 = load i32, ptr addrspace(3)
; CHECK-NEXT: %c1 = load float, ptr addrspace(4) getelementptr inbounds ([2 x float], ptr addrspace(4) @coeff, i64 0, i64 1)
; CHECK: call void @__cuport_memcheck(ptr addrspacecast (ptr addrspace(4) getelementptr {{.*}} @coeff, {{.*}}) to ptr), i64 4, i32 8,
; CHECK: %c2 = load float
; Atomics: kind 2 + aligned.
; CHECK: call void @__cuport_memcheck(ptr %gp, i64 4, i32 10,
; CHECK: atomicrmw add
; CHECK: call void @__cuport_memcheck(ptr %gp, i64 8, i32 10,
; CHECK: cmpxchg ptr %gp, i64
; A packed (align 1) store needs no alignment: kind 1.
; CHECK: call void @__cuport_memcheck(ptr %gp, i64 4, i32 1,
; CHECK: store i32 %v, ptr %gp, align 1
; memcpy: the destination is written, the source read; memset writes.
; CHECK: call void @__cuport_memcheck(ptr %gp, i64 %n, i32 1,
; CHECK: call void @__cuport_memcheck(ptr %gq, i64 %n, i32 0,
; CHECK: call void @llvm.memcpy
; CHECK: call void @__cuport_memcheck(ptr %gp, i64 32, i32 1,
; CHECK: call void @llvm.memset
; A by-value struct parameter is private.
; CHECK-NEXT: %sv = load i32, ptr %s
; Device heap: the allocation after the call, the release before it.
; CHECK-NEXT: %m = call ptr @malloc(i64 64)
; CHECK: call void @__cuport_memcheck(ptr %m, i64 64, i32 3,
; CHECK: call void @__cuport_memcheck(ptr %m, i64 0, i32 4,
; CHECK: call void @free(ptr %m)
; CHECK: ret void
define void @kern(ptr %gp, ptr %gq, i64 %n, i32 %i, ptr byval(%struct.S) %s) #0 !dbg !5 {
  %priv = alloca i32, align 4
  %v = load i32, ptr %gp, align 4, !dbg !8
  store i32 %v, ptr %priv, align 4
  %sp = getelementptr [64 x i32], ptr addrspace(3) @tile, i32 0, i32 %i
  store i32 %v, ptr addrspace(3) %sp, align 4
  %t0 = load i32, ptr addrspace(3) getelementptr inbounds ([64 x i32], ptr addrspace(3) @tile, i64 0, i64 3), align 4
  %c1 = load float, ptr addrspace(4) getelementptr inbounds ([2 x float], ptr addrspace(4) @coeff, i64 0, i64 1), align 4
  %c2 = load float, ptr addrspace(4) getelementptr ([2 x float], ptr addrspace(4) @coeff, i64 0, i64 2), align 4
  %old = atomicrmw add ptr %gp, i32 1 monotonic, align 4
  %pair = cmpxchg ptr %gp, i64 0, i64 1 monotonic monotonic, align 8
  store i32 %v, ptr %gp, align 1
  call void @llvm.memcpy.p0.p0.i64(ptr %gp, ptr %gq, i64 %n, i1 false)
  call void @llvm.memset.p0.i64(ptr %gp, i8 0, i64 32, i1 false)
  %sv = load i32, ptr %s, align 4
  %m = call ptr @malloc(i64 64)
  call void @free(ptr %m)
  call void @helper(ptr %gp)
  call void @rec(ptr %gp, i32 %i)
  ret void
}

; A device function reads the thread's indices itself (it becomes a context function, inlined into kernels).
; CHECK-LABEL: define internal void @helper(
; CHECK: %memcheck.thread = or i32
; CHECK: store volatile i32 %memcheck.thread
; CHECK: call void @__cuport_memcheck(ptr %p, i64 4, i32 9, ptr @[[HELPER]], i32 %memcheck.thread, ptr %memcheck.ctx)
define void @helper(ptr %p) {
  store i32 0, ptr %p, align 4
  ret void
}

; A recursive function cannot read them: the thread is unknown (-1), the block context too (null).
; CHECK-LABEL: define internal void @rec(
; CHECK-NOT: llvm.nvvm.read.ptx.sreg
; CHECK-NOT: store volatile
; CHECK: call void @__cuport_memcheck(ptr %p, i64 4, i32 9, ptr @[[REC]], i32 -1, ptr null)
define void @rec(ptr %p, i32 %d) {
  call void @leaf(ptr %p)
  store i32 %d, ptr %p, align 4
  %z = icmp eq i32 %d, 0
  br i1 %z, label %done, label %again
again:
  %d1 = sub i32 %d, 1
  call void @rec(ptr %p, i32 %d1)
  br label %done
done:
  ret void
}

; Nor can what a recursive function calls (reading them would make the recursive caller a context function).
; CHECK-LABEL: define internal void @leaf(
; CHECK-NOT: llvm.nvvm.read.ptx.sreg
; CHECK: call void @__cuport_memcheck(ptr %p, i64 4, i32 9, ptr @{{.*}}, i32 -1, ptr null)
define void @leaf(ptr %p) {
  store i32 1, ptr %p, align 4
  ret void
}

; The whole CPU lowering with --memcheck: the checks survive into the block function, with the thread
; indices lowered like the kernel's own.
; CPU: @__cuport_memcheck_info = dso_local {{.*}}constant
; CPU-LABEL: define dso_local void @__cuport_k_kern(
; CPU: call void @__cuport_memcheck(
; CPU-NOT: llvm.nvvm
; Without it the pass does not run.
; PLAIN-NOT: __cuport_memcheck

declare ptr @malloc(i64)
declare void @free(ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

attributes #0 = { "target-cpu"="sm_70" }

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!nvvm.annotations = !{!9}

!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "k.cu", directory: "/src")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 2}
!5 = distinct !DISubprogram(name: "kern", scope: !1, file: !1, line: 10, type: !6, scopeLine: 10, spFlags: DISPFlagDefinition, unit: !0)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 12, column: 3, scope: !5)
!9 = !{ptr @kern, !"kernel", i32 1}
