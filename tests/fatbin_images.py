"""The cuport fat-binary containers embedded in a program, for the test scripts that check device images
(tests/hip/code_objects.py, tests/cuda/ptx_images.py).  docs/fatbin.md describes the format."""
import os
import re
import struct
import sys

FATBIN_MAGIC = b"CUPORTFB"
MANIFEST, IMAGE = 1, 2


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
    """Every cuport fat-binary container in a section (several when objects were linked together), as a
    list of (kind, target, bytes) entries."""
    pos = 0
    while True:
        pos = section.find(FATBIN_MAGIC, pos)
        if pos < 0 or pos + 32 > len(section):
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


def program_containers(path):
    """(manifest text, {target: image bytes}) of every container of a program that holds device code: the
    relocatable containers of -rdc objects are skipped (the device link's container holds their code)."""
    data = open(path, "rb").read()
    for name, section in elf_sections(data):
        if name in ("", ".symtab", ".strtab", ".shstrtab", ".dynstr") or name.startswith(".debug"):
            continue
        for entries in containers(section):
            manifest = next((e[2] for e in entries if e[0] == MANIFEST), b"").decode()
            if re.search(r"^rdc 1$", manifest, re.M):
                continue
            yield manifest, {e[1]: e[2] for e in entries if e[0] == IMAGE}


def expand_programs(paths):
    """Program paths, with each directory replaced by the executables in it (sorted)."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(os.path.join(p, f) for f in os.listdir(p)
                          if os.access(os.path.join(p, f), os.X_OK) and os.path.isfile(os.path.join(p, f)))
        else:
            out.append(p)
    return out


def manifest_kernels(manifest):
    return re.findall(r"^kernel (\S+)", manifest, re.M)


def manifest_has_variables(manifest):
    return re.search(r"^var ", manifest, re.M) is not None
