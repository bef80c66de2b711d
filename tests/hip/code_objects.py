#!/usr/bin/env python3
"""Extracts the AMDGPU code objects cuport-cc embedded in a program and checks them with llvm-readelf.

    code_objects.py [--readelf PATH] [--arch gfx90a ...] [--extract DIR] PROGRAM...

For each program: finds the fat-binary containers (in .nv_fatbin, __nv_relfatbin, and the device
link's in .rodata), their "amdgcn-amd-amdhsa" image (a Clang offload bundle), and in it
the code object of each architecture.  Each code object must be an AMDGPU ELF shared object whose
AMDGPU metadata note (llvm-readelf --notes) lists every kernel of the container's manifest that the
bundle does not name as unsupported, each with its kernel descriptor symbol (<name>.kd, llvm-readelf
--symbols), the wavefront size of its architecture (32 on gfx10+, 64 on gfx9) and a kernel-argument
segment.  Prints one line per program and architecture; exits 1 on the first problem.
"""
import argparse
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fatbin_images import expand_programs, fail, manifest_has_variables, manifest_kernels, program_containers  # noqa: E402

BUNDLE_MAGIC = b"__CLANG_OFFLOAD_BUNDLE__"


def bundle_entries(bundle):
    if not bundle.startswith(BUNDLE_MAGIC):
        fail("the amdgcn image is not a Clang offload bundle")
    count, = struct.unpack_from("<Q", bundle, 24)
    pos, out = 32, {}
    for _ in range(count):
        off, size, idlen = struct.unpack_from("<QQQ", bundle, pos)
        ident = bundle[pos + 24:pos + 24 + idlen].decode()
        pos += 24 + idlen
        if off + size > len(bundle):
            fail("bundle entry %s runs past the end" % ident)
        out[ident] = bundle[off:off + size]
    return out


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def check_code_object(path, arch, kernels, readelf, objdump):
    header = run([readelf, "--file-header", path])
    if "AMDGPU" not in header or "DYN (Shared object file)" not in header:
        fail("%s: not an AMDGPU shared object:\n%s" % (path, header))
    notes = run([readelf, "--notes", path])
    symbols = run([readelf, "--symbols", "--wide", path])
    wave = "64" if re.match(r"gfx[0-9][0-9a-f]{2}$", arch) else "32"
    found = re.findall(r"\.name:\s+(\S+)", notes)
    for k in kernels:
        if k not in found:
            fail("%s: kernel %s missing from the metadata (has %s)" % (path, k, found))
        if not re.search(r"\s%s\.kd\s*$" % re.escape(k), symbols, re.M):
            fail("%s: no kernel descriptor symbol %s.kd" % (path, k))
    waves = re.findall(r"\.wavefront_size:\s+(\d+)", notes)
    if kernels and (len(waves) < len(kernels) or any(w != wave for w in waves)):
        fail("%s: wavefront sizes %s, expected %s" % (path, waves, wave))
    if kernels and not re.search(r"\.kernarg_segment_size:", notes):
        fail("%s: no kernel-argument segment in the metadata" % path)
    if not re.search(r"amdhsa\.target:\s+'?amdgcn-amd-amdhsa--%s\b" % arch, notes):
        fail("%s: the metadata does not name the target %s" % (path, arch))
    # The machine code disassembles for the architecture, and each kernel ends its program.
    code = run([objdump, "--disassemble", "--mcpu=" + arch, path])
    for k in kernels:
        body = re.search(r"<%s>:\n(.*?)(?:\n\n|\Z)" % re.escape(k), code, re.S)
        if not body or "s_endpgm" not in body.group(1):
            fail("%s: no disassembled code ending in s_endpgm for %s" % (path, k))
    return len(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readelf", default="llvm-readelf-15")
    ap.add_argument("--objdump", default="llvm-objdump-15")
    ap.add_argument("--arch", action="append", default=[])
    ap.add_argument("--extract", default="")
    ap.add_argument("programs", nargs="+")
    args = ap.parse_args()
    args.programs = expand_programs(args.programs)
    archs = args.arch or ["gfx90a", "gfx1100"]
    outdir = args.extract or os.environ.get("TMPDIR", "/tmp")
    for prog in args.programs:
        seen = 0
        for manifest, images in program_containers(prog):
            kernels = manifest_kernels(manifest)
            image = images.get("amdgcn-amd-amdhsa")
            if image is None:
                fail("%s: a fat binary without an amdgcn-amd-amdhsa image" % prog)
            bundle = bundle_entries(image)
            unsupported = bundle.get("cuport-unsupported", b"").decode().splitlines()
            skipped = {line.split(" ", 1)[0] for line in unsupported if line}
            for line in unsupported:
                print("  unsupported: " + line)
            want = [k for k in kernels if k not in skipped]
            for arch in archs:
                co = bundle.get("hipv4-amdgcn-amd-amdhsa--" + arch)
                if co is None:
                    if not want and not manifest_has_variables(manifest):
                        continue  # no device code in this translation unit
                    fail("%s: no code object for %s (bundle has %s)" % (prog, arch, sorted(bundle)))
                path = os.path.join(outdir, "%s.%d.%s.co" % (os.path.basename(prog), seen, arch))
                with open(path, "wb") as f:
                    f.write(co)
                n = check_code_object(path, arch, want, args.readelf, args.objdump)
                print("%s: %s: %d kernels, %d bytes: OK" % (prog, arch, n, len(co)))
                if not args.extract:
                    os.remove(path)
            seen += 1
        if not seen:
            fail("%s: no cuport fat binary found" % prog)
    print("PASS")


if __name__ == "__main__":
    main()
