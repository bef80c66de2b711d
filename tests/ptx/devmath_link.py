#!/usr/bin/env python3
"""The NVPTX device math library in cuport-cc's PTX images, with and without the library.

    devmath_link.py --cc BUILD/bin/cuport-cc [--ptxas PATH]

Compiles kernels that call C math functions (expf, sinf, erff, pow, fmod, lgamma, lrint, ...) with
--cuport-targets=cpu,ptx:
  1. with cuport-cc as built: every kernel is in the PTX (.entry), none is listed unsupported, no math
     function is left external (.extern .func), and ptxas (when given) assembles the PTX for sm_75 and sm_90;
  2. with a copy of cuport-cc in a prefix whose lib/ lacks libcuport-ptx-devmath.bc: the compilation still
     succeeds, the kernel without math is in the PTX, and each math kernel is listed unsupported with a reason
     naming the missing library (today's behaviour without the library; llvm.lrint no longer crashes LLVM).
Prints PASS, or FAIL and exits 1.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fatbin_images import fail, program_containers  # noqa: E402

SOURCE = r"""
__global__ void math_float(float* f) { f[0] = expf(f[0]) + sinf(f[1]) + erff(f[2]) + powf(f[3], f[4]); }
__global__ void math_double(double* d) {
  d[0] = pow(d[0], d[1]) + fmod(d[2], d[3]) + lgamma(d[4]) + cbrt(d[5]) + atan2(d[6], d[7]);
}
__global__ void math_round(double* d, long* r) { r[0] = lrint(d[0]) + lround(d[1]); }
__global__ void plain(float* f) { f[0] = sqrtf(f[0]) + fabsf(f[1]); }
"""
MATH_KERNELS = ["_Z10math_floatPf", "_Z11math_doublePd", "_Z10math_roundPdPl"]
PLAIN = "_Z5plainPf"


def ptx_of(cc, src, obj):
    r = subprocess.run([cc, "--cuport-targets=cpu,ptx", "-c", src, "-o", obj], capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s -c failed (%d):\n%s%s" % (cc, r.returncode, r.stdout, r.stderr))
    for _, images in program_containers(obj):
        if "nvptx64-ptx" in images:
            return images["nvptx64-ptx"].decode()
    fail("%s: no nvptx64-ptx image" % obj)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--ptxas", default="")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "m.cu")
        with open(src, "w") as f:
            f.write(SOURCE)

        # 1. With the library.
        text = ptx_of(args.cc, src, os.path.join(tmp, "with.o"))
        unsupported = re.findall(r"^// cuport-unsupported (.*)$", text, re.M)
        if unsupported:
            fail("with the math library, kernels are still unsupported:\n  " + "\n  ".join(unsupported))
        entries = set(re.findall(r"^\.visible \.entry ([^\s(]+)", text, re.M))
        for k in MATH_KERNELS + [PLAIN]:
            if k not in entries:
                fail("with the math library, kernel %s is not in the PTX" % k)
        externs = re.findall(r"^\.extern \.func .*$", text, re.M)
        if externs:
            fail("with the math library, functions are left external:\n  " + "\n  ".join(externs))
        print("with libcuport-ptx-devmath.bc: %d kernels in the PTX, none unsupported, no external function"
              % len(entries))
        if args.ptxas:
            path = os.path.join(tmp, "with.ptx")
            with open(path, "w") as f:
                f.write(text)
            for arch in ("sm_75", "sm_90"):
                r = subprocess.run([args.ptxas, "-arch=" + arch, path, "-o", os.devnull], capture_output=True, text=True)
                if r.returncode != 0:
                    fail("ptxas -arch=%s rejected the PTX:\n%s%s" % (arch, r.stdout, r.stderr))
            print("ptxas: sm_75, sm_90: OK")

        # 2. Without it: a prefix with a copy of cuport-cc and every library of the build but the math library.
        build = os.path.dirname(os.path.dirname(os.path.realpath(args.cc)))
        prefix = os.path.join(tmp, "prefix")
        os.makedirs(os.path.join(prefix, "bin"))
        os.makedirs(os.path.join(prefix, "lib"))
        cc = os.path.join(prefix, "bin", "cuport-cc")
        shutil.copy2(os.path.realpath(args.cc), cc)
        for name in os.listdir(os.path.join(build, "lib")):
            if name != "libcuport-ptx-devmath.bc":
                os.symlink(os.path.join(build, "lib", name), os.path.join(prefix, "lib", name))
        text = ptx_of(cc, src, os.path.join(tmp, "without.o"))
        skipped = dict(l.split(" ", 1) for l in re.findall(r"^// cuport-unsupported (.*)$", text, re.M))
        entries = set(re.findall(r"^\.visible \.entry ([^\s(]+)", text, re.M))
        for k in MATH_KERNELS:
            if k not in skipped:
                fail("without the math library, kernel %s is not listed unsupported" % k)
            if "libcuport-ptx-devmath.bc" not in skipped[k] or "not found" not in skipped[k]:
                fail("without the math library, the reason for %s does not name it: %s" % (k, skipped[k]))
            print("  unsupported: %s %s" % (k, skipped[k]))
        if PLAIN not in entries:
            fail("without the math library, kernel %s is not in the PTX" % PLAIN)
        print("without libcuport-ptx-devmath.bc: the math kernels are listed unsupported, %s is in the PTX" % PLAIN)
    print("PASS")


if __name__ == "__main__":
    main()
