#!/usr/bin/env python3
"""retarget_ir.py IN.ll OUT.ll: the textual IR of the NVPTX device math library, retargeted to x86-64 Linux
(triple, data layout, no NVPTX target features), so that llc can compile it for the host accuracy test.  The
library's IR is target-neutral apart from these (64-bit long and pointers on both targets, only generic
LLVM intrinsics)."""
import re
import sys

text = open(sys.argv[1]).read()
text = re.sub(r'^target datalayout = .*$',
              'target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"',
              text, flags=re.M)
text = re.sub(r'^target triple = .*$', 'target triple = "x86_64-pc-linux-gnu"', text, flags=re.M)
text = re.sub(r' ?"target-(cpu|features)"="[^"]*"', "", text)
if re.search(r"@llvm\.nvvm\.", text):
    sys.exit("retarget_ir.py: the library uses NVPTX intrinsics; it cannot be compiled for the host")
open(sys.argv[2], "w").write(text)
