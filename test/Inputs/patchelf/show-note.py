# Prints one ELF note (a section dumped with llvm-objcopy --dump-section) in
# a form FileCheck can match: its header fields, its owner, and its
# descriptor with each NUL shown as "|". Fails if the sizes or the padding
# are inconsistent. Usage: show-note.py FILE [big]
import struct
import sys

data = open(sys.argv[1], "rb").read()
order = ">" if len(sys.argv) > 2 and sys.argv[2] == "big" else "<"
namesz, descsz, ntype = struct.unpack_from(order + "III", data, 0)
name_end = 12 + ((namesz + 3) & ~3)
desc_end = name_end + descsz
if len(data) != ((desc_end + 3) & ~3):
    sys.exit("note size %d does not match namesz %d and descsz %d" % (len(data), namesz, descsz))
if any(data[12 + namesz:name_end]) or any(data[desc_end:]):
    sys.exit("padding is not zero")
print("namesz %d descsz %d type 0x%08x" % (namesz, descsz, ntype))
print("owner " + data[12:12 + namesz].decode().replace("\0", "|"))
print("desc " + data[name_end:desc_end].decode().replace("\0", "|"))
