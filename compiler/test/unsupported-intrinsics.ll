; Unsupported constructs are errors that name the CUDA feature and the source line, not crashes.
; RUN: %not %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics %s 2>&1 | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-DAG: shuffle.cu:7:12: error: textures and surfaces is not supported by the CPU backend yet (in k)
; CHECK-DAG: shuffle.cu:9:3: error: inline PTX assembly (asm("mov.u32 $0, %laneid;")) is not supported by cuport
define void @k(ptr %out, i32 %v) !dbg !5 {
  %s = call i32 @llvm.nvvm.suld.1d.i32.trap(i64 0, i32 %v), !dbg !8
  store i32 %s, ptr %out
  %l = call i32 asm "mov.u32 $0, %laneid;", "=r"(), !dbg !9
  store i32 %l, ptr %out
  ret void
}

declare i32 @llvm.nvvm.suld.1d.i32.trap(i64, i32)

!nvvm.annotations = !{!0}
!0 = !{ptr @k, !"kernel", i32 1}
!llvm.dbg.cu = !{!1}
!llvm.module.flags = !{!4}
!1 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !2, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!2 = !DIFile(filename: "shuffle.cu", directory: "/tmp")
!3 = !DISubroutineType(types: !{})
!4 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "k", scope: !2, file: !2, line: 5, type: !3, unit: !1)
!8 = !DILocation(line: 7, column: 12, scope: !5)
!9 = !DILocation(line: 9, column: 3, scope: !5)
