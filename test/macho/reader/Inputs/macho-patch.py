#!/usr/bin/env python3
"""Writes a patched copy of a Mach-O file, for malformed-input tests.

usage: macho-patch.py IN OUT EDIT...

Each EDIT writes one integer (decimal or 0x hex). Thin files are taken to be
little-endian (what clang and ld64.lld write); fat headers are big-endian.
  u32@OFF=V        a little-endian u32 at file offset OFF
  be32@OFF=V       a big-endian u32 at OFF (fat headers, code signatures)
  u64@OFF=V        a little-endian u64 at OFF
  byte@OFF=V       one byte at OFF
  lc[N]+OFF=V      a u32 OFF bytes into load command N (0-based)
  cmd[C]+OFF=V     a u32 OFF bytes into the first load command whose cmd is C
  slice[N]:EDIT    EDIT applied inside fat slice N (offsets relative to it)
  cdflags=V        the flags of the code directory of the (thin) file
  truncate=N       keep only the first N bytes
"""
import re
import struct
import sys


def load_commands(data, base):
    magic, = struct.unpack_from("<I", data, base)
    header = 32 if magic == 0xfeedfacf else 28
    ncmds, = struct.unpack_from("<I", data, base + 16)
    off = base + header
    out = []
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, off)
        out.append((cmd, off))
        off += size
    return out


def slice_base(data, n):
    return struct.unpack_from(">I", data, 8 + 20 * n + 8)[0]


def apply(data, edit, base=0):
    m = re.fullmatch(r"slice\[(\d+)\]:(.*)", edit)
    if m:
        return apply(data, m.group(2), slice_base(data, int(m.group(1))))
    m = re.fullmatch(r"truncate=(\w+)", edit)
    if m:
        del data[int(m.group(1), 0):]
        return
    m = re.fullmatch(r"cdflags=(\w+)", edit)
    if m:
        for cmd, off in load_commands(data, base):
            if cmd == 0x1d:
                dataoff, = struct.unpack_from("<I", data, off + 8)
                sig = base + dataoff
                count, = struct.unpack_from(">I", data, sig + 8)
                for i in range(count):
                    typ, boff = struct.unpack_from(">II", data, sig + 12 + 8 * i)
                    if typ == 0:
                        struct.pack_into(">I", data, sig + boff + 12, int(m.group(1), 0))
                        return
        sys.exit("no code directory")
    m = re.fullmatch(r"(u32|be32|u64|byte)@(\w+)=(\w+)", edit)
    if m:
        fmt = {"u32": "<I", "be32": ">I", "u64": "<Q", "byte": "<B"}[m.group(1)]
        struct.pack_into(fmt, data, base + int(m.group(2), 0), int(m.group(3), 0))
        return
    m = re.fullmatch(r"(lc|cmd)\[(\w+)\]\+(\w+)=(\w+)", edit)
    if m:
        cmds = load_commands(data, base)
        key = int(m.group(2), 0)
        if m.group(1) == "lc":
            off = cmds[key][1]
        else:
            off = next(o for c, o in cmds if c == key)
        struct.pack_into("<I", data, off + int(m.group(3), 0), int(m.group(4), 0))
        return
    sys.exit("bad edit: " + edit)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data = bytearray(open(sys.argv[1], "rb").read())
    for edit in sys.argv[3:]:
        apply(data, edit)
    open(sys.argv[2], "wb").write(data)


main()
