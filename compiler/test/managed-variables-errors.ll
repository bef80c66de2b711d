; A __managed__ variable whose address sits inside a constant aggregate that an instruction uses cannot be
; rewritten to go through its cell: an error, not a silently wrong address (the cell's).
; RUN: %not %cuport-opt -passes=lower-managed-variables %s 2>&1 | %FileCheck %s
; CHECK: error: the address of a __managed__ variable inside a constant aggregate is not supported (in k)

target triple = "nvptx64-nvidia-cuda"
@x = dso_local addrspace(1) externally_initialized global i32 7, align 4
@.str = private unnamed_addr constant [15 x i8] c"cuport.managed\00", section "llvm.metadata"
@.file = private unnamed_addr constant [5 x i8] c"m.cu\00", section "llvm.metadata"
@llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr addrspacecast (ptr addrspace(1) @x to ptr), ptr @.str, ptr @.file, i32 1, ptr null }], section "llvm.metadata"
define void @k(ptr %out) {
  store { ptr addrspace(1), i32 } { ptr addrspace(1) @x, i32 1 }, ptr %out
  ret void
}
