#!/usr/bin/env python3
"""Changes the kind of one dylib load command in a thin little-endian
Mach-O file, for dylib kinds the linkers here cannot write:
    set-load-command.py FILE NAME-SUBSTRING CMD
CMD is a number (0x80000023 for LC_LOAD_UPWARD_DYLIB, 0x20 for
LC_LAZY_LOAD_DYLIB). The first LC_LOAD_DYLIB whose name contains
NAME-SUBSTRING is changed."""
import struct
import sys

path, name, cmd = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3], 0)
data = bytearray(open(path, "rb").read())
magic, = struct.unpack_from("<I", data, 0)
header = 32 if magic == 0xFEEDFACF else 28
ncmds, = struct.unpack_from("<I", data, 16)
off = header
for _ in range(ncmds):
    c, size = struct.unpack_from("<II", data, off)
    if c == 0xC:
        name_off, = struct.unpack_from("<I", data, off + 8)
        text = bytes(data[off + name_off:off + size]).split(b"\0")[0]
        if name in text:
            struct.pack_into("<I", data, off, cmd)
            open(path, "wb").write(data)
            sys.exit(0)
    off += size
sys.exit("no LC_LOAD_DYLIB named like %s in %s" % (name.decode(), path))
