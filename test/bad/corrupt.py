#!/usr/bin/env python3
"""Makes a broken variant of a good BPF object, for the bad-input tests.
Usage: corrupt.py KIND GOOD.o OUT.o. Each KIND damages one thing the reader checks."""
import struct
import sys

kind, good, out = sys.argv[1:4]
data = bytearray(open(good, "rb").read())


def sections(d):
    shoff, = struct.unpack_from("<Q", d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]

    def name(h):
        s = stroff + h[0]
        return d[s:d.index(0, s)].decode()
    return [(name(h), h, shoff + i * shentsize) for i, h in enumerate(hdrs)]


def section(d, wanted):
    for name, h, hdr_off in sections(d):
        if name == wanted:
            return h, hdr_off
    raise SystemExit("no section " + wanted)


if kind == "not_elf":
    data = bytearray(b"this is not an ELF object\n" * 4)
elif kind == "truncated":
    data = data[:200]
elif kind == "wrong_machine":
    struct.pack_into("<H", data, 0x12, 62)          # EM_X86_64
elif kind == "elf32":
    data[4] = 1                                      # ELFCLASS32
elif kind == "btf_magic":
    h, _ = section(data, ".BTF")
    struct.pack_into("<H", data, h[4], 0x1234)
elif kind == "btf_ext_magic":
    h, _ = section(data, ".BTF.ext")
    struct.pack_into("<H", data, h[4], 0x1234)
elif kind == "relo_offset":
    h, _ = section(data, ".relxdp")
    struct.pack_into("<Q", data, h[4], 0x100000)    # r_offset of relo #0
elif kind == "relo_symbol":
    h, _ = section(data, ".relxdp")
    info, = struct.unpack_from("<Q", data, h[4] + 8)
    struct.pack_into("<Q", data, h[4] + 8, (0xffff << 32) | (info & 0xffffffff))
elif kind == "prog_size":
    _, hdr_off = section(data, "xdp")
    size, = struct.unpack_from("<Q", data, hdr_off + 0x20)
    struct.pack_into("<Q", data, hdr_off + 0x20, size - 3)
else:
    raise SystemExit("unknown kind " + kind)
open(out, "wb").write(data)
