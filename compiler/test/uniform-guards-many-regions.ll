; Split guards past the sixteenth: the cap on guards is per region (UniformGuards.cpp), so every step of a
; fully unrolled sweep gets its stretches.  Twenty regions of one `threadIdx.x < d` guard each, as a Blelloch
; scan's 19 after the second unroll round.  With a cap of 16 guards in all (counting comparisons the
; regions never reach), 6 of these regions split; the scan's last three down-sweep steps ran every thread
; through the guard, in loops that did not vectorize (55 -> 43 ms when they split).
; RUN: %cuport-opt -passes=collect-kernels,retarget-to-host,lower-nvvm-intrinsics,inline-context-functions,lower-shared-memory,simplify,work-item-loops %s | %FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define dso_local void @__cuport_k_steps(
; CHECK-COUNT-20: {{^}}stretch.body{{[0-9]*}}:
; CHECK-NOT: {{^}}stretch.body{{[0-9]*}}:
; CHECK-LABEL: define internal i32 @steps.wi.rowuniform(
define void @steps(ptr %a) {
entry:
  %tid = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %t2 = shl i32 %tid, 1
  %i0 = zext i32 %t2 to i64
  %t3 = or i32 %t2, 1
  %i1 = zext i32 %t3 to i64
  %p0 = getelementptr inbounds i32, ptr %a, i64 %i0
  %p1 = getelementptr inbounds i32, ptr %a, i64 %i1
  br label %s0
s0:
  call void @llvm.nvvm.barrier0()
  %lt0 = icmp ult i32 %tid, 256
  br i1 %lt0, label %w0, label %s1
w0:
  %x0 = load i32, ptr %p0
  %y0 = load i32, ptr %p1
  %z0 = add i32 %x0, %y0
  store i32 %z0, ptr %p1
  br label %s1
s1:
  call void @llvm.nvvm.barrier0()
  %lt1 = icmp ult i32 %tid, 128
  br i1 %lt1, label %w1, label %s2
w1:
  %x1 = load i32, ptr %p0
  %y1 = load i32, ptr %p1
  %z1 = add i32 %x1, %y1
  store i32 %z1, ptr %p1
  br label %s2
s2:
  call void @llvm.nvvm.barrier0()
  %lt2 = icmp ult i32 %tid, 64
  br i1 %lt2, label %w2, label %s3
w2:
  %x2 = load i32, ptr %p0
  %y2 = load i32, ptr %p1
  %z2 = add i32 %x2, %y2
  store i32 %z2, ptr %p1
  br label %s3
s3:
  call void @llvm.nvvm.barrier0()
  %lt3 = icmp ult i32 %tid, 32
  br i1 %lt3, label %w3, label %s4
w3:
  %x3 = load i32, ptr %p0
  %y3 = load i32, ptr %p1
  %z3 = add i32 %x3, %y3
  store i32 %z3, ptr %p1
  br label %s4
s4:
  call void @llvm.nvvm.barrier0()
  %lt4 = icmp ult i32 %tid, 16
  br i1 %lt4, label %w4, label %s5
w4:
  %x4 = load i32, ptr %p0
  %y4 = load i32, ptr %p1
  %z4 = add i32 %x4, %y4
  store i32 %z4, ptr %p1
  br label %s5
s5:
  call void @llvm.nvvm.barrier0()
  %lt5 = icmp ult i32 %tid, 8
  br i1 %lt5, label %w5, label %s6
w5:
  %x5 = load i32, ptr %p0
  %y5 = load i32, ptr %p1
  %z5 = add i32 %x5, %y5
  store i32 %z5, ptr %p1
  br label %s6
s6:
  call void @llvm.nvvm.barrier0()
  %lt6 = icmp ult i32 %tid, 4
  br i1 %lt6, label %w6, label %s7
w6:
  %x6 = load i32, ptr %p0
  %y6 = load i32, ptr %p1
  %z6 = add i32 %x6, %y6
  store i32 %z6, ptr %p1
  br label %s7
s7:
  call void @llvm.nvvm.barrier0()
  %lt7 = icmp ult i32 %tid, 2
  br i1 %lt7, label %w7, label %s8
w7:
  %x7 = load i32, ptr %p0
  %y7 = load i32, ptr %p1
  %z7 = add i32 %x7, %y7
  store i32 %z7, ptr %p1
  br label %s8
s8:
  call void @llvm.nvvm.barrier0()
  %lt8 = icmp ult i32 %tid, 1
  br i1 %lt8, label %w8, label %s9
w8:
  %x8 = load i32, ptr %p0
  %y8 = load i32, ptr %p1
  %z8 = add i32 %x8, %y8
  store i32 %z8, ptr %p1
  br label %s9
s9:
  call void @llvm.nvvm.barrier0()
  %lt9 = icmp ult i32 %tid, 256
  br i1 %lt9, label %w9, label %s10
w9:
  %x9 = load i32, ptr %p0
  %y9 = load i32, ptr %p1
  %z9 = add i32 %x9, %y9
  store i32 %z9, ptr %p1
  br label %s10
s10:
  call void @llvm.nvvm.barrier0()
  %lt10 = icmp ult i32 %tid, 128
  br i1 %lt10, label %w10, label %s11
w10:
  %x10 = load i32, ptr %p0
  %y10 = load i32, ptr %p1
  %z10 = add i32 %x10, %y10
  store i32 %z10, ptr %p1
  br label %s11
s11:
  call void @llvm.nvvm.barrier0()
  %lt11 = icmp ult i32 %tid, 64
  br i1 %lt11, label %w11, label %s12
w11:
  %x11 = load i32, ptr %p0
  %y11 = load i32, ptr %p1
  %z11 = add i32 %x11, %y11
  store i32 %z11, ptr %p1
  br label %s12
s12:
  call void @llvm.nvvm.barrier0()
  %lt12 = icmp ult i32 %tid, 32
  br i1 %lt12, label %w12, label %s13
w12:
  %x12 = load i32, ptr %p0
  %y12 = load i32, ptr %p1
  %z12 = add i32 %x12, %y12
  store i32 %z12, ptr %p1
  br label %s13
s13:
  call void @llvm.nvvm.barrier0()
  %lt13 = icmp ult i32 %tid, 16
  br i1 %lt13, label %w13, label %s14
w13:
  %x13 = load i32, ptr %p0
  %y13 = load i32, ptr %p1
  %z13 = add i32 %x13, %y13
  store i32 %z13, ptr %p1
  br label %s14
s14:
  call void @llvm.nvvm.barrier0()
  %lt14 = icmp ult i32 %tid, 8
  br i1 %lt14, label %w14, label %s15
w14:
  %x14 = load i32, ptr %p0
  %y14 = load i32, ptr %p1
  %z14 = add i32 %x14, %y14
  store i32 %z14, ptr %p1
  br label %s15
s15:
  call void @llvm.nvvm.barrier0()
  %lt15 = icmp ult i32 %tid, 4
  br i1 %lt15, label %w15, label %s16
w15:
  %x15 = load i32, ptr %p0
  %y15 = load i32, ptr %p1
  %z15 = add i32 %x15, %y15
  store i32 %z15, ptr %p1
  br label %s16
s16:
  call void @llvm.nvvm.barrier0()
  %lt16 = icmp ult i32 %tid, 2
  br i1 %lt16, label %w16, label %s17
w16:
  %x16 = load i32, ptr %p0
  %y16 = load i32, ptr %p1
  %z16 = add i32 %x16, %y16
  store i32 %z16, ptr %p1
  br label %s17
s17:
  call void @llvm.nvvm.barrier0()
  %lt17 = icmp ult i32 %tid, 1
  br i1 %lt17, label %w17, label %s18
w17:
  %x17 = load i32, ptr %p0
  %y17 = load i32, ptr %p1
  %z17 = add i32 %x17, %y17
  store i32 %z17, ptr %p1
  br label %s18
s18:
  call void @llvm.nvvm.barrier0()
  %lt18 = icmp ult i32 %tid, 256
  br i1 %lt18, label %w18, label %s19
w18:
  %x18 = load i32, ptr %p0
  %y18 = load i32, ptr %p1
  %z18 = add i32 %x18, %y18
  store i32 %z18, ptr %p1
  br label %s19
s19:
  call void @llvm.nvvm.barrier0()
  %lt19 = icmp ult i32 %tid, 128
  br i1 %lt19, label %w19, label %s20
w19:
  %x19 = load i32, ptr %p0
  %y19 = load i32, ptr %p1
  %z19 = add i32 %x19, %y19
  store i32 %z19, ptr %p1
  br label %s20
s20:
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare void @llvm.nvvm.barrier0()

!nvvm.annotations = !{!0}
!0 = !{ptr @steps, !"kernel", i32 1}
