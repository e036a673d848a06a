#!/usr/bin/env python3
"""Checks the embedded code signature of a Mach-O file, independently of linkbox.

Usage: check-signature.py [--dump] [--hashes] FILE...

For every slice of every FILE (thin or fat) it finds LC_CODE_SIGNATURE,
reads the SuperBlob and each CodeDirectory in it, and recomputes every code
page hash over the file bytes [0, codeLimit) of the slice. It prints
"N pages verified" per slice, or the first mismatch and exits 1. A slice
without LC_CODE_SIGNATURE prints "no signature". --dump prints the
CodeDirectory fields; --hashes prints each page hash (to compare two files).
"""
import hashlib
import os
import struct
import sys

LC_CODE_SIGNATURE = 0x1D
LC_SEGMENT_64 = 0x19
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
HASHES = {1: hashlib.sha1, 2: hashlib.sha256}
ARCHES = {(0x01000007, 3): "x86_64", (0x01000007, 8): "x86_64h", (0x0100000C, 0): "arm64",
          (0x0100000C, 2): "arm64e", (7, 3): "i386"}


class Bad(Exception):
    pass


def u32be(b, off):
    if off + 4 > len(b):
        raise Bad("truncated at 0x%x" % off)
    return struct.unpack_from(">I", b, off)[0]


def slices(data):
    magic = struct.unpack_from(">I", data, 0)[0]
    if magic in (0xCAFEBABE, 0xCAFEBABF):
        n = u32be(data, 4)
        wide = magic == 0xCAFEBABF
        out = []
        for i in range(n):
            if wide:
                cpu, sub, off, size, _align, _r = struct.unpack_from(">IIQQII", data, 8 + 32 * i)
            else:
                cpu, sub, off, size, _align = struct.unpack_from(">IIIII", data, 8 + 20 * i)
            name = ARCHES.get((cpu, sub & 0xFFFFFF), "cpu%d" % cpu)
            out.append((name, data[off:off + size]))
        return out
    return [(None, data)]


def code_signature(image):
    magic = struct.unpack_from("<I", image, 0)[0]
    if magic not in (0xFEEDFACE, 0xFEEDFACF):
        raise Bad("not a little-endian Mach-O image")
    hdr = 32 if magic == 0xFEEDFACF else 28
    ncmds, sizeofcmds = struct.unpack_from("<II", image, 16)
    off = hdr
    found = None
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", image, off)
        if cmd == LC_CODE_SIGNATURE:
            found = struct.unpack_from("<II", image, off + 8)
        if cmdsize < 8:
            raise Bad("bad cmdsize")
        off += cmdsize
    if off > hdr + sizeofcmds:
        raise Bad("load commands overrun sizeofcmds")
    return found


def code_directories(image, dataoff, datasize):
    if dataoff + datasize > len(image):
        raise Bad("signature [0x%x, +0x%x) is outside the image (0x%x bytes)" % (dataoff, datasize, len(image)))
    sig = image[dataoff:dataoff + datasize]
    if u32be(sig, 0) != CSMAGIC_EMBEDDED_SIGNATURE:
        raise Bad("SuperBlob magic is 0x%08x" % u32be(sig, 0))
    length, count = u32be(sig, 4), u32be(sig, 8)
    if length > datasize:
        raise Bad("SuperBlob length 0x%x exceeds datasize 0x%x" % (length, datasize))
    cds = []
    for i in range(count):
        slot, boff = u32be(sig, 12 + 8 * i), u32be(sig, 16 + 8 * i)
        if u32be(sig, boff) == CSMAGIC_CODEDIRECTORY:
            cds.append((slot, sig[boff:boff + u32be(sig, boff + 4)]))
    if not cds:
        raise Bad("no CodeDirectory")
    return length, count, cds


def check_cd(image, slot, cd, dump, show_hashes, label):
    (magic, length, version, flags, hash_off, ident_off, n_special, n_code, code_limit,
     hash_size, hash_type, platform, page_shift, _spare2) = struct.unpack_from(">IIIIIIIIIBBBBI", cd, 0)
    ident = cd[ident_off:cd.index(b"\0", ident_off)].decode("utf-8", "replace")
    exec_base = exec_limit = exec_flags = None
    if version >= 0x20400 and len(cd) >= 88:
        exec_base, exec_limit, exec_flags = struct.unpack_from(">QQQ", cd, 64)
    if dump:
        print("%sCodeDirectory slot=0x%x length=%d version=0x%x flags=0x%x hashOffset=%d identOffset=%d"
              % (label, slot, length, version, flags, hash_off, ident_off))
        print("%s  nSpecialSlots=%d nCodeSlots=%d codeLimit=%d hashSize=%d hashType=%d platform=%d pageSize=%d"
              % (label, n_special, n_code, code_limit, hash_size, hash_type, platform, page_shift))
        print("%s  identifier=%s execSegBase=%s execSegLimit=%s execSegFlags=%s"
              % (label, ident, exec_base, exec_limit, exec_flags))
    if hash_type not in HASHES:
        raise Bad("unknown hash type %d" % hash_type)
    page = 1 << page_shift if page_shift else code_limit
    if code_limit > len(image):
        raise Bad("codeLimit 0x%x is past the end of the image" % code_limit)
    expected_pages = (code_limit + page - 1) // page
    if n_code != expected_pages:
        raise Bad("nCodeSlots is %d, codeLimit 0x%x needs %d" % (n_code, code_limit, expected_pages))
    for i in range(n_code):
        want = cd[hash_off + i * hash_size:hash_off + (i + 1) * hash_size]
        got = HASHES[hash_type](image[i * page:min((i + 1) * page, code_limit)]).digest()[:hash_size]
        if show_hashes:
            print("%spage %d %s" % (label, i, want.hex()))
        if want != got:
            raise Bad("page %d hash mismatch: signature has %s, file has %s" % (i, want.hex(), got.hex()))
    return n_code


def main(argv):
    dump = "--dump" in argv
    show_hashes = "--hashes" in argv
    files = [a for a in argv if not a.startswith("--")]
    status = 0
    for path in files:
        data = open(path, "rb").read()
        for arch, image in slices(data):
            label = "%s (%s): " % (os.path.basename(path), arch) if arch else "%s: " % os.path.basename(path)
            try:
                cs = code_signature(image)
                if cs is None:
                    print(label + "no signature")
                    continue
                dataoff, datasize = cs
                length, count, cds = code_directories(image, dataoff, datasize)
                if dump:
                    print("%sSuperBlob length=%d count=%d dataoff=%d datasize=%d" % (label, length, count, dataoff, datasize))
                pages = sum(check_cd(image, slot, cd, dump, show_hashes, label) for slot, cd in cds)
                print("%s%d pages verified" % (label, pages))
            except (Bad, struct.error, ValueError) as e:
                print("%sFAILED: %s" % (label, e))
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
