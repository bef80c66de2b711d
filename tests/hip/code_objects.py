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

FATBIN_MAGIC = b"CUPORTFB"
BUNDLE_MAGIC = b"__CLANG_OFFLOAD_BUNDLE__"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def elf_sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2:
        fail("not an ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    for h in headers:
        name = names[h[0]:names.index(b"\0", h[0])].decode()
        if h[1] != 8:  # SHT_NOBITS has no bytes
            yield name, data[h[4]:h[4] + h[5]]


def containers(section):
    """Every cuport fat-binary container in a section (several when objects were linked together)."""
    pos = 0
    while True:
        pos = section.find(FATBIN_MAGIC, pos)
        if pos < 0:
            return
        if pos + 32 > len(section):
            return
        version, header_size, total, count, entry_size = struct.unpack_from("<IIQII", section, pos + 8)
        if version != 1 or pos + total > len(section) or header_size < 32 or entry_size < 72:
            pos += 8
            continue  # the magic bytes by chance, not a container
        blob = section[pos:pos + total]
        entries = []
        for i in range(count):
            kind, flags, off, size = struct.unpack_from("<IIQQ", blob, header_size + i * entry_size)
            target = blob[header_size + i * entry_size + 24:header_size + (i + 1) * entry_size]
            target = target.split(b"\0")[0].decode()
            entries.append((kind, target, blob[off:off + size]))
        yield entries
        pos += max(total, 8)


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
    archs = args.arch or ["gfx90a", "gfx1100"]
    outdir = args.extract or os.environ.get("TMPDIR", "/tmp")
    for prog in args.programs:
        data = open(prog, "rb").read()
        seen = 0
        for name, section in elf_sections(data):
            if name in ("", ".symtab", ".strtab", ".shstrtab", ".dynstr") or name.startswith(".debug"):
                continue
            for entries in containers(section):
                manifest = next((e[2] for e in entries if e[0] == 1), b"").decode()
                if "\nrdc 1" in manifest:
                    continue  # the device link's container holds the code
                kernels = re.findall(r"^kernel (\S+)", manifest, re.M)
                image = next((e[2] for e in entries if e[0] == 2 and e[1] == "amdgcn-amd-amdhsa"), None)
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
                        if not want and not re.search(r"^var ", manifest, re.M):
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
