#!/usr/bin/env python3
"""Seed corpora for the Mach-O decoder fuzz targets, cut from real binaries.

  macho-decoder-seeds.py OUTDIR [MACHO...]

Writes OUTDIR/fuzz-macho-dyld-info/ (each rebase and bind stream with the 9-byte header that
describes the segments), OUTDIR/fuzz-macho-export-trie/ (each export trie) and
OUTDIR/fuzz-macho-chained-fixups/ (each LC_DYLD_CHAINED_FIXUPS payload with its segments' data),
in the layouts documented at the top of each target. With no MACHO arguments it builds the
decoder parity corpus (test/corpus/macho-decoders-parity.py: ld64.lld-14 and -19, arm64 and
x86_64) in a temporary directory and uses that.
"""
import glob
import importlib.util
import os
import shutil
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


patch = load("fixups_patch", os.path.join(HERE, "..", "macho", "decoders", "Inputs", "fixups-patch.py"))


def seeds_of(path, n, out):
    data = open(path, "rb").read()
    try:
        m = patch.MachO(data)
    except (AssertionError, struct.error):
        return
    segs = m.segments[:4]
    if not segs:
        return
    di = m.command(patch.LC_DYLD_INFO, patch.LC_DYLD_INFO_ONLY)
    if di is not None:
        fields = struct.unpack_from("<10I", m.data, di + 8)
        dylibs = sum(1 for _, cmd, _ in m.commands if cmd in (0xc, 0x80000018, 0x8000001f, 0x20, 0x80000023))
        head = bytes([(len(segs) - 1) | (min(dylibs, 31) << 3)])
        head += b"".join(struct.pack("<H", min(s["vmsize"] // 8, 0xffff)) for s in segs).ljust(8, b"\0")
        for k in range(4):
            off, size = fields[2 * k], fields[2 * k + 1]
            if size:
                with open(os.path.join(out, "fuzz-macho-dyld-info", "%d-%d" % (n, k)), "wb") as f:
                    f.write(head + data[off:off + size])
        if fields[9]:
            with open(os.path.join(out, "fuzz-macho-export-trie", str(n)), "wb") as f:
                f.write(data[fields[8]:fields[8] + fields[9]])
    et = m.command(patch.LC_DYLD_EXPORTS_TRIE)
    if et is not None:
        off, size = struct.unpack_from("<2I", m.data, et + 8)
        with open(os.path.join(out, "fuzz-macho-export-trie", "e%d" % n), "wb") as f:
            f.write(data[off:off + size])
    cf = m.command(patch.LC_DYLD_CHAINED_FIXUPS)
    if cf is not None:
        off, size = struct.unpack_from("<2I", m.data, cf + 8)
        blob = data[off:off + size]
        image, desc = b"", b""
        for s in segs:
            chunk = data[s["fileoff"]:s["fileoff"] + min(s["filesize"], 255 * 64)]
            units = (len(chunk) + 63) // 64
            desc += struct.pack("<HB", len(image) // 64, units)
            image += chunk.ljust(units * 64, b"\0")
        with open(os.path.join(out, "fuzz-macho-chained-fixups", str(n)), "wb") as f:
            f.write(bytes([len(segs) - 1]) + struct.pack("<H", len(blob)) + desc.ljust(12, b"\0") + blob + image)


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    out = argv[1]
    for target in ("fuzz-macho-dyld-info", "fuzz-macho-export-trie", "fuzz-macho-chained-fixups"):
        os.makedirs(os.path.join(out, target), exist_ok=True)
    files, work = argv[2:], None
    if not files:
        parity = load("parity", os.path.join(HERE, "..", "corpus", "macho-decoders-parity.py"))
        work = tempfile.mkdtemp(prefix="macho-seeds-")
        files = [path for path, _ in parity.build_corpus(work)]
        files += glob.glob(os.path.join(work, "*", "*", "lib*.dylib"))
    for n, path in enumerate(sorted(set(files))):
        seeds_of(path, n, out)
    if work:
        shutil.rmtree(work, ignore_errors=True)
    for target in sorted(os.listdir(out)):
        if target.startswith("fuzz-macho-") and target != "fuzz-macho-summary":
            print("%s: %d seeds" % (target, len(os.listdir(os.path.join(out, target)))))


if __name__ == "__main__":
    main(sys.argv)
