#!/usr/bin/env python3
"""tight-fat.py OUT SLICE...: a fat file whose slices follow each other with
no alignment gap (align 2^0), so a slice cannot grow without running into
the next one. llvm-lipo always leaves gaps, hence this script."""
import struct
import sys

out, inputs = sys.argv[1], sys.argv[2:]
images = [open(p, "rb").read() for p in inputs]
header = struct.pack(">II", 0xCAFEBABE, len(images))
offset = 4096
entries, body = b"", b""
for img in images:
    cputype, cpusubtype = struct.unpack_from("<II", img, 4)
    entries += struct.pack(">IIIII", cputype, cpusubtype, offset + len(body), len(img), 0)
    body += img
data = header + entries
data += b"\0" * (offset - len(data)) + body
open(out, "wb").write(data)
