#!/usr/bin/env python3
"""Extracts the PTX images cuport-cc embedded in programs and validates them with ptxas.

    ptx_images.py [--ptxas PATH] [--arch sm_XX ...] [--math-library] PROGRAM...

For each container of each program (tests/fatbin_images.py): the "nvptx64-ptx" image must be PTX text
(.version, .target) with one `.entry` per kernel of the manifest, except the kernels it lists as
"// cuport-unsupported" (printed); then `ptxas -arch=<arch>` must assemble it, for each --arch (default:
sm_75 and sm_90: the PTX targets sm_70, which later GPUs compile as well; ptxas of CUDA 13 no longer
assembles for sm_70 itself).  Without --ptxas only the text checks run.  With --math-library (the programs
were built with cuport's NVPTX math library) no kernel may be listed unsupported for a math function.
Prints PASS, or FAIL and exits 1.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fatbin_images import expand_programs, fail, manifest_kernels, program_containers  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ptxas", default="")
    ap.add_argument("--arch", action="append", default=[])
    ap.add_argument("--math-library", action="store_true")
    ap.add_argument("programs", nargs="+")
    args = ap.parse_args()
    args.programs = expand_programs(args.programs)
    archs = args.arch or ["sm_75", "sm_90"]
    total = unsupported_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for prog in args.programs:
            seen = 0
            for manifest, images in program_containers(prog):
                kernels = manifest_kernels(manifest)
                ptx = images.get("nvptx64-ptx")
                if ptx is None:
                    fail("%s: a fat binary without an nvptx64-ptx image" % prog)
                text = ptx.decode()
                skipped = {}
                for line in re.findall(r"^// cuport-unsupported (.*)$", text, re.M):
                    name, _, why = line.partition(" ")
                    skipped[name] = why
                    print("  unsupported: " + line)
                    if args.math_library and re.search(r"the (math|C library) function", why):
                        fail("%s: kernel %s is unsupported for a math function although the math library was "
                             "built: %s" % (prog, name, why))
                unsupported_total += len(skipped)
                entries = sorted(set(re.findall(r"^\.(?:visible|weak) \.entry ([^\s(]+)", text, re.M)))
                if kernels and not re.search(r"^\.version \d+\.\d+$", text, re.M):
                    fail("%s: the PTX has no .version directive" % prog)
                if kernels and not re.search(r"^\.target sm_\d+", text, re.M):
                    fail("%s: the PTX has no .target directive" % prog)
                for k in kernels:
                    if k not in skipped and k not in entries:
                        fail("%s: kernel %s is neither in the PTX (.entry) nor listed as unsupported" % (prog, k))
                for k in skipped:
                    if k in entries:
                        fail("%s: kernel %s is listed as unsupported but still in the PTX" % (prog, k))
                if args.ptxas and entries:
                    path = os.path.join(tmp, "%s.%d.ptx" % (os.path.basename(prog), seen))
                    with open(path, "w") as f:
                        f.write(text)
                    for arch in archs:
                        r = subprocess.run([args.ptxas, "-arch=" + arch, path, "-o", os.devnull],
                                           capture_output=True, text=True)
                        if r.returncode != 0:
                            fail("%s: ptxas -arch=%s rejected the PTX:\n%s%s" % (prog, arch, r.stdout, r.stderr))
                total += len(entries)
                print("%s: %d kernels in PTX%s: OK" % (prog, len(entries),
                                                       " (ptxas: %s)" % ", ".join(archs) if args.ptxas and entries else ""))
                seen += 1
            if not seen:
                fail("%s: no cuport fat binary found" % prog)
    print("%d kernels, %d unsupported" % (total, unsupported_total))
    print("PASS")


if __name__ == "__main__":
    main()
