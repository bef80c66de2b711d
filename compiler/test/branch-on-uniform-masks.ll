; After the loop vectorizer, masked loads and stores whose mask has one value in every lane become a branch
; around a plain vector access (UniformMasks.cpp); masks that vary by lane stay.
; RUN: %cuport-opt -passes=branch-on-uniform-masks %s | %FileCheck %s

target triple = "x86_64-pc-linux-gnu"

; CHECK-LABEL: define <8 x float> @splat_load(
; CHECK: br i1 %g, label %[[THEN:.*]], label %[[TAIL:.*]]
; CHECK: [[THEN]]:
; CHECK-NEXT: %[[L:.*]] = load <8 x float>, ptr %p, align 4
; CHECK-NEXT: br label %[[TAIL]]
; CHECK: [[TAIL]]:
; CHECK-NEXT: %v = phi <8 x float> [ %[[L]], %[[THEN]] ], [ zeroinitializer, %entry ]
; CHECK-NOT: masked.load
; CHECK: ret <8 x float> %v
define <8 x float> @splat_load(ptr %p, i1 %g) {
entry:
  %ins = insertelement <8 x i1> poison, i1 %g, i64 0
  %m = shufflevector <8 x i1> %ins, <8 x i1> poison, <8 x i32> zeroinitializer
  %v = call <8 x float> @llvm.masked.load.v8f32.p0(ptr %p, i32 4, <8 x i1> %m, <8 x float> zeroinitializer)
  ret <8 x float> %v
}

; Arithmetic on splats is a splat too: its first lane decides.
; CHECK-LABEL: define void @splat_store(
; CHECK: %[[BIT:.*]] = extractelement <8 x i1> %m, i64 0
; CHECK: br i1 %[[BIT]], label %[[THEN:.*]], label %[[TAIL:.*]]
; CHECK: [[THEN]]:
; CHECK-NEXT: store <8 x float> %x, ptr %p, align 32
; CHECK-NOT: masked.store
; CHECK: ret void
define void @splat_store(ptr %p, <8 x float> %x, i1 %a, i1 %b) {
entry:
  %ia = insertelement <8 x i1> poison, i1 %a, i64 0
  %sa = shufflevector <8 x i1> %ia, <8 x i1> poison, <8 x i32> zeroinitializer
  %ib = insertelement <8 x i1> poison, i1 %b, i64 0
  %sb = shufflevector <8 x i1> %ib, <8 x i1> poison, <8 x i32> zeroinitializer
  %m = and <8 x i1> %sa, %sb
  call void @llvm.masked.store.v8f32.p0(<8 x float> %x, ptr %p, i32 32, <8 x i1> %m)
  ret void
}

; CHECK-LABEL: define <8 x float> @constant_masks(
; CHECK-NEXT: entry:
; CHECK-NEXT: %all = load <8 x float>, ptr %p, align 4
; CHECK-NEXT: store <8 x float> %all, ptr %q, align 4
; CHECK-NEXT: ret <8 x float> %pass
define <8 x float> @constant_masks(ptr %p, ptr %q, <8 x float> %pass) {
entry:
  %all = call <8 x float> @llvm.masked.load.v8f32.p0(ptr %p, i32 4, <8 x i1> <i1 true, i1 true, i1 true, i1 true, i1 true, i1 true, i1 true, i1 true>, <8 x float> %pass)
  %none = call <8 x float> @llvm.masked.load.v8f32.p0(ptr %p, i32 4, <8 x i1> zeroinitializer, <8 x float> %pass)
  call void @llvm.masked.store.v8f32.p0(<8 x float> %all, ptr %q, i32 4, <8 x i1> <i1 true, i1 true, i1 true, i1 true, i1 true, i1 true, i1 true, i1 true>)
  call void @llvm.masked.store.v8f32.p0(<8 x float> %all, ptr %q, i32 4, <8 x i1> zeroinitializer)
  ret <8 x float> %none
}

; A mask that differs by lane stays a masked access.
; CHECK-LABEL: define <8 x float> @varying(
; CHECK: call <8 x float> @llvm.masked.load.v8f32.p0(ptr %p, i32 4, <8 x i1> %m, <8 x float> zeroinitializer)
; CHECK: call void @llvm.masked.store.v8f32.p0(<8 x float> %v, ptr %p, i32 4, <8 x i1> %m)
define <8 x float> @varying(ptr %p, <8 x i32> %i, i32 %n) {
entry:
  %in = insertelement <8 x i32> poison, i32 %n, i64 0
  %sn = shufflevector <8 x i32> %in, <8 x i32> poison, <8 x i32> zeroinitializer
  %m = icmp slt <8 x i32> %i, %sn
  %v = call <8 x float> @llvm.masked.load.v8f32.p0(ptr %p, i32 4, <8 x i1> %m, <8 x float> zeroinitializer)
  call void @llvm.masked.store.v8f32.p0(<8 x float> %v, ptr %p, i32 4, <8 x i1> %m)
  ret <8 x float> %v
}

declare <8 x float> @llvm.masked.load.v8f32.p0(ptr, i32, <8 x i1>, <8 x float>)
declare void @llvm.masked.store.v8f32.p0(<8 x float>, ptr, i32, <8 x i1>)
