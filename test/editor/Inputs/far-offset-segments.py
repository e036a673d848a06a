# Rewrites a 64-bit little-endian executable so that two program headers
# carry offsets far past the end of the file, which the loader ignores:
# PT_GNU_EH_FRAME becomes an unused PT_NULL entry at 0x302800000000 with 0x100
# bytes, and PT_GNU_STACK (no bytes) moves to offset 0x2db000000000.
import struct
import sys

path = sys.argv[1]
b = bytearray(open(path, "rb").read())
phoff, = struct.unpack_from("<Q", b, 0x20)
phentsize, phnum = struct.unpack_from("<HH", b, 0x36)
done = set()
for i in range(phnum):
    o = phoff + i * phentsize
    ptype, = struct.unpack_from("<I", b, o)
    if ptype == 0x6474E550:  # PT_GNU_EH_FRAME
        struct.pack_into("<IIQQQQQQ", b, o, 0, 0, 0x302800000000, 0, 0, 0x100, 0x100, 8)
        done.add("null")
    elif ptype == 0x6474E551:  # PT_GNU_STACK
        struct.pack_into("<Q", b, o + 8, 0x2DB000000000)
        done.add("stack")
if done != {"null", "stack"}:
    sys.exit("far-offset-segments.py: %s lacks PT_GNU_EH_FRAME or PT_GNU_STACK" % path)
open(path, "wb").write(b)
