# Looks up every named symbol of .dynsym through .gnu.hash and .hash (when
# present), the way a dynamic loader does, and reports how many were found.
# Any symbol a table cannot find is listed. Works for 32/64-bit, either byte
# order. Usage: check-hash.py FILE
import struct
import sys

data = open(sys.argv[1], "rb").read()
is64 = data[4] == 2
e = "<" if data[5] == 1 else ">"
if is64:
    shoff, = struct.unpack_from(e + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3A)
else:
    shoff, = struct.unpack_from(e + "I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x2E)


def section(i):
    at = shoff + i * shentsize
    if is64:
        name, typ, _, _, off, size, link, _, _, entsize = struct.unpack_from(e + "IIQQQQIIQQ", data, at)
    else:
        name, typ, _, _, off, size, link, _, _, entsize = struct.unpack_from(e + "IIIIIIIIII", data, at)
    return {"name": name, "type": typ, "off": off, "size": size, "link": link}


sections = [section(i) for i in range(shnum)]
shstr = sections[shstrndx]


def cstr(off):
    return data[off:data.index(b"\0", off)].decode()


by_name = {cstr(shstr["off"] + s["name"]): s for s in sections}
dynsym = by_name[".dynsym"]
dynstr = sections[dynsym["link"]]
symsize = 24 if is64 else 16
names = []
for i in range(dynsym["size"] // symsize):
    at = dynsym["off"] + i * symsize
    st_name, = struct.unpack_from(e + "I", data, at)
    shndx, = struct.unpack_from(e + "H", data, at + (6 if is64 else 14))
    names.append((cstr(dynstr["off"] + st_name), shndx))


def gnu_hash(s):
    h = 5381
    for c in s.encode():
        h = (h * 33 + c) & 0xFFFFFFFF
    return h


def sysv_hash(s):
    h = 0
    for c in s.encode():
        h = (h << 4) + c
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def gnu_lookup(name):
    sec = by_name[".gnu.hash"]
    off = sec["off"]
    nbuckets, symndx, maskwords, shift2 = struct.unpack_from(e + "IIII", data, off)
    word = 8 if is64 else 4
    bits = word * 8
    bloom = off + 16
    buckets = bloom + maskwords * word
    chains = buckets + nbuckets * 4
    h = gnu_hash(name)
    w, = struct.unpack_from(e + ("Q" if is64 else "I"), data, bloom + ((h // bits) % maskwords) * word)
    if not (w >> (h % bits)) & 1 or not (w >> ((h >> shift2) % bits)) & 1:
        return False
    i, = struct.unpack_from(e + "I", data, buckets + (h % nbuckets) * 4)
    if i == 0:
        return False
    while True:
        ch, = struct.unpack_from(e + "I", data, chains + (i - symndx) * 4)
        if (ch | 1) == (h | 1) and names[i][0] == name:
            return True
        if ch & 1:
            return False
        i += 1


def sysv_lookup(name):
    off = by_name[".hash"]["off"]
    nbucket, nchain = struct.unpack_from(e + "II", data, off)
    i, = struct.unpack_from(e + "I", data, off + 8 + (sysv_hash(name) % nbucket) * 4)
    seen = 0
    while i != 0 and seen <= nchain:
        if names[i][0] == name:
            return True
        i, = struct.unpack_from(e + "I", data, off + 8 + nbucket * 4 + i * 4)
        seen += 1
    return False


defined = [n for n, shndx in names[1:] if n and shndx != 0]
for table, lookup in ((".gnu.hash", gnu_lookup), (".hash", sysv_lookup)):
    if table not in by_name:
        continue
    missing = [n for n in defined if not lookup(n)]
    print("%s: %d of %d defined symbols found" % (table, len(defined) - len(missing), len(defined)))
    for n in missing:
        print("%s: cannot find %s" % (table, n))
