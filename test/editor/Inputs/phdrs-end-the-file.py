# Writes a tiny ELF64 little-endian x86-64 ET_EXEC whose program header table
# (one PT_LOAD over the ELF header only, so the table is in no segment) sits
# at 0x40 and ends the file. With a second argument "shdrs", a section header
# table (just the null section) follows the program headers directly.
import struct
import sys

path = sys.argv[1]
shdrs = len(sys.argv) > 2 and sys.argv[2] == "shdrs"
shoff, shentsize, shnum = (0x78, 64, 1) if shdrs else (0, 0, 0)
eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
eh += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x400000, 0x40, shoff, 0, 64, 56, 1, shentsize, shnum, 0)
ph = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x40, 0x40, 0x1000)
open(path, "wb").write(eh + ph + (bytes(64) if shdrs else b""))
