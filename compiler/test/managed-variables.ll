; __managed__ variables (annotated "cuport.managed" by host_defines.h) become pointer cells of the same
; name; every use in device code, including constant expressions inside instructions and PHI operands,
; loads the address from the cell.  The manifest describes the variable (its size, not the cell's) and its
; initial bytes.  Internal managed variables (static, unused by the host) stay ordinary device variables.
; RUN: %cuport-opt -passes=lower-managed-variables %s | %FileCheck %s
; RUN: %cuport-opt -passes=cpu %s | %FileCheck --check-prefix=MANIFEST %s

target triple = "nvptx64-nvidia-cuda"

%struct.Pair = type { i32, double }

@counter = dso_local addrspace(1) externally_initialized global i32 7, align 4
@table = dso_local addrspace(1) externally_initialized global [4 x float] [float 1.0, float 2.0, float 3.0, float 4.0], align 4
@pair = dso_local addrspace(1) externally_initialized global %struct.Pair { i32 3, double 2.5 }, align 8
@zeros = dso_local addrspace(1) externally_initialized global [64 x i32] zeroinitializer, align 4
@_ZL5local = internal addrspace(1) global i32 5, align 4
@.str = private unnamed_addr constant [15 x i8] c"cuport.managed\00", section "llvm.metadata"
@.file = private unnamed_addr constant [5 x i8] c"m.cu\00", section "llvm.metadata"
@.other = private unnamed_addr constant [6 x i8] c"other\00", section "llvm.metadata"
@plain = dso_local addrspace(1) externally_initialized global i32 1, align 4
@llvm.global.annotations = appending global [6 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @counter to ptr), ptr @.str, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @table to ptr), ptr @.str, ptr @.file, i32 2, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @pair to ptr), ptr @.str, ptr @.file, i32 3, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @zeros to ptr), ptr @.str, ptr @.file, i32 4, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @_ZL5local to ptr), ptr @.str, ptr @.file, i32 5, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @plain to ptr), ptr @.other, ptr @.file, i32 6, ptr null }
], section "llvm.metadata"
@llvm.compiler.used = appending global [2 x ptr] [ptr addrspacecast (ptr addrspace(1) @counter to ptr), ptr addrspacecast (ptr addrspace(1) @table to ptr)], section "llvm.metadata"

; The cells replace the variables; the internal one and the other annotation stay.
; CHECK-DAG: @counter = dso_local addrspace(1) externally_initialized global ptr addrspace(1) null, align 8, !cuport.managed ![[MD:[0-9]+]]
; CHECK-DAG: @table = dso_local addrspace(1) externally_initialized global ptr addrspace(1) null, align 8, !cuport.managed
; CHECK-DAG: @pair = dso_local addrspace(1) externally_initialized global ptr addrspace(1) null, align 8, !cuport.managed
; CHECK-DAG: @_ZL5local = internal addrspace(1) global i32 5
; CHECK-DAG: @llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @plain to ptr), ptr @.other
; CHECK-DAG: @llvm.compiler.used = appending global [2 x ptr] [ptr addrspacecast (ptr addrspace(1) @counter to ptr), ptr addrspacecast (ptr addrspace(1) @table to ptr)]

; CHECK-LABEL: define void @kernel(
; CHECK: %[[C:counter.addr.*]] = load ptr addrspace(1), ptr addrspace(1) @counter, align 8, !invariant.load
; CHECK: atomicrmw add ptr addrspace(1) %[[C]], i32 1
; CHECK: %[[T:.*]] = load ptr addrspace(1), ptr addrspace(1) @table, align 8, !invariant.load
; CHECK: %[[E:.*]] = getelementptr inbounds [4 x float], ptr addrspace(1) %[[T]], i64 0, i64 1
; CHECK: %[[G:.*]] = addrspacecast ptr addrspace(1) %[[E]] to ptr
; CHECK: load float, ptr %[[G]]
; CHECK: load i32, ptr addrspace(1) @_ZL5local
; CHECK: load ptr addrspace(1), ptr addrspace(1) @pair
; CHECK: phi ptr addrspace(1)
define void @kernel(i1 %c) {
entry:
  %old = atomicrmw add ptr addrspace(1) @counter, i32 1 monotonic
  %v = load float, ptr addrspacecast (ptr addrspace(1) getelementptr inbounds ([4 x float], ptr addrspace(1) @table, i64 0, i64 1) to ptr), align 4
  %l = load i32, ptr addrspace(1) @_ZL5local, align 4
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %p = phi ptr addrspace(1) [ getelementptr inbounds (%struct.Pair, ptr addrspace(1) @pair, i64 0, i32 1), %a ], [ @zeros, %entry ]
  store i32 %l, ptr addrspace(1) %p, align 4
  ret void
}

!nvvm.annotations = !{!0}
!0 = !{ptr @kernel, !"kernel", i32 1}

; The size and initial bytes of each variable (none for all-zero ones); no cell of the internal one.
; MANIFEST: var counter 4 managed
; MANIFEST-NEXT: var table 16 managed
; MANIFEST-NEXT: var pair 16 managed
; MANIFEST-NEXT: var zeros 256 managed
; MANIFEST-NEXT: var _ZL5local 4 device
; MANIFEST-NEXT: var plain 4 device
; MANIFEST-NEXT: init counter 07000000
; MANIFEST-NEXT: init table 0000803f000000400000404000008040
; MANIFEST-NEXT: init pair 03000000000000000000000000000440
; MANIFEST-NOT: init zeros
; CHECK: ![[MD]] = !{i64 4, !"\07\00\00\00"}
; CHECK: !{i64 256, !""}
