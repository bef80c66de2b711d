; The thread function's copies for uniform rows (UniformGuards.h: row-uniform, predicted) keep its access
; group, which the block function's loops over threads name in llvm.loop.parallel_accesses.  Cloning a
; function with debug information gave the copies' accesses a new group (a distinct node), so the loops
; over the threads of uniform rows were not parallel: LLVM vectorized them only behind runtime checks of
; their own, or not at all (34 of the 91 innermost loops of a Blelloch scan's block function).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define internal i32 @guarded.wi(
; CHECK: store float 1.000000e+00, ptr %p, align 4, !dbg !{{[0-9]+}}, !llvm.access.group ![[GROUP:[0-9]+]]
; CHECK-LABEL: define dso_local void @__cuport_k_guarded(
; CHECK: br label %x.uniform.head, !llvm.loop ![[LOOP:[0-9]+]]
; CHECK-LABEL: define internal i32 @guarded.wi.rowuniform(
; CHECK: store float 1.000000e+00, ptr %{{.*}}, align 4, !dbg !{{[0-9]+}}, !llvm.access.group ![[GROUP]]
; CHECK-LABEL: define internal i32 @guarded.wi.predicted(
; CHECK: store float 1.000000e+00, ptr %{{.*}}, align 4, !dbg !{{[0-9]+}}, !llvm.access.group ![[GROUP]]
; CHECK: ![[LOOP]] = distinct !{![[LOOP]], ![[PAR:[0-9]+]]}
; CHECK: ![[PAR]] = !{!"llvm.loop.parallel_accesses", ![[GROUP]]}

define void @guarded(ptr %a, i32 %n) !dbg !10 {
entry:
  %bid = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %bdim = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %base = mul i32 %bid, %bdim
  %i = add i32 %base, %tid
  %in = icmp slt i32 %i, %n
  br i1 %in, label %store, label %exit
store:
  %idx = sext i32 %i to i64
  %p = getelementptr float, ptr %a, i64 %idx
  store float 1.0, ptr %p, !dbg !15
  br label %exit
exit:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()

!nvvm.annotations = !{!20}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "guarded.cu", directory: "/tmp")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 5}
!10 = distinct !DISubprogram(name: "guarded", scope: !1, file: !1, line: 1, type: !11, scopeLine: 1, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = !DISubroutineType(types: !12)
!12 = !{null}
!15 = !DILocation(line: 2, column: 3, scope: !10)
!20 = !{ptr @guarded, !"kernel", i32 1}
