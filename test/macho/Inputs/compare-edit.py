#!/usr/bin/env python3
"""Compares a file edited by linkbox with the same file edited by
llvm-install-name-tool (acceptance point 2 of the Mach-O issue).

Usage: compare-edit.py OURS THEIRS

1. Load commands, as llvm-objdump-14 --macho --private-headers decodes them,
   slice by slice. llvm-install-name-tool rewrites __LINKEDIT (it repacks the
   string table and rounds __LINKEDIT's vmsize to a page) where linkbox only
   touches the header padding, so exactly these fields may differ: the
   __LINKEDIT segment's vmsize and filesize, and the file offsets of linkedit
   data (stroff, symoff, dataoff, ...). Each such difference is printed as
   "linkedit: FIELD"; any other difference is a failure.
2. Signatures, when the slice has one: both must verify; the CodeDirectory
   fields must be equal; page hashes must be equal except on the pages that
   hold the load commands (page 0) or __LINKEDIT, whose bytes the two tools
   lay out differently. Prints "pages: N same" and the differing pages.
Exits 1 on any unexpected difference.
"""
import importlib.util
import os
import re
import struct
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_signature", os.path.join(here, "check-signature.py"))
cs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cs)

LINKEDIT_OFFSETS = {"rebase_off", "bind_off", "weak_bind_off", "lazy_bind_off", "export_off", "symoff",
                    "stroff", "indirectsymoff", "dataoff", "extreloff", "locreloff", "tocoff", "modtaboff",
                    "extrefsymoff"}


def objdump_slices(path):
    out = subprocess.run(["llvm-objdump-14", "--macho", "--private-headers", "--arch", "all", path],
                         check=True, capture_output=True, text=True).stdout
    slices, cur = [], None
    for line in out.splitlines():
        if line.startswith(path):
            cur = []
            slices.append(cur)
            continue
        cur.append(line)
    return slices


def blocks(lines):
    """Splits one slice's dump into [header, load command 0, 1, ...]."""
    out = [[]]
    for line in lines:
        if re.match(r"^Load command \d+$", line):
            out.append([])
        out[-1].append(line)
    return out


def compare_commands(label, ours, theirs):
    ok = True
    a, b = blocks(ours), blocks(theirs)
    if len(a) != len(b):
        print("%s: FAILED: %d load commands, llvm has %d" % (label, len(a) - 1, len(b) - 1))
        return False
    notes = []
    for x, y in zip(a, b):
        if len(x) != len(y):
            print("%s: FAILED: command differs:\n  %s\n  %s" % (label, "\n  ".join(x), "\n  ".join(y)))
            ok = False
            continue
        segname = next((l.split()[1] for l in x if l.strip().startswith("segname")), None)
        for lx, ly in zip(x, y):
            if lx == ly:
                continue
            key = lx.split()[0] if lx.split() else ""
            if segname == "__LINKEDIT" and key in ("vmsize", "filesize"):
                notes.append("%s(__LINKEDIT)" % key)
            elif key in LINKEDIT_OFFSETS:
                notes.append(key)
            else:
                print("%s: FAILED: '%s' vs llvm '%s'" % (label, lx.strip(), ly.strip()))
                ok = False
    print("%s: load commands: %s%s" % (label, "same" if ok else "DIFFERENT",
                                       (", linkedit: " + " ".join(notes)) if notes else ""))
    return ok


def linkedit_range(image):
    ncmds = struct.unpack_from("<I", image, 16)[0]
    off = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", image, off)
        if cmd == cs.LC_SEGMENT_64 and image[off + 8:off + 24].rstrip(b"\0") == b"__LINKEDIT":
            fileoff, filesize = struct.unpack_from("<QQ", image, off + 40)
            return fileoff, fileoff + filesize
        off += size
    return None


def cd_fields(image):
    dataoff, datasize = cs.code_signature(image)
    _, _, cds = cs.code_directories(image, dataoff, datasize)
    slot, cd = cds[0]
    f = struct.unpack_from(">IIIIIIIIIBBBBI", cd, 0)
    ident_off = f[5]
    ident = cd[ident_off:cd.index(b"\0", ident_off)]
    hashes = [cd[f[4] + i * f[9]:f[4] + (i + 1) * f[9]] for i in range(f[7])]
    exec_seg = struct.unpack_from(">QQQ", cd, 64) if f[2] >= 0x20400 else None
    fields = dict(version=f[2], flags=f[3], n_code=f[7], code_limit=f[8], hash_size=f[9], hash_type=f[10],
                  page=f[12], identifier=ident, exec_seg=exec_seg, n_special=f[6])
    return fields, hashes, 1 << f[12]


def compare_signatures(label, a, b):
    sa, sb = cs.code_signature(a), cs.code_signature(b)
    if (sa is None) != (sb is None):
        print("%s: FAILED: signature present in %s only" % (label, "linkbox's file" if sa else "llvm's file"))
        return False
    if sa is None:
        print("%s: no signature" % label)
        return True
    ok = True
    for who, img in (("linkbox", a), ("llvm", b)):
        try:
            dataoff, datasize = cs.code_signature(img)
            _, _, cds = cs.code_directories(img, dataoff, datasize)
            for slot, cd in cds:
                cs.check_cd(img, slot, cd, False, False, "")
        except cs.Bad as e:
            print("%s: FAILED: %s's signature does not verify: %s" % (label, who, e))
            ok = False
    fa, ha, page = cd_fields(a)
    fb, hb, _ = cd_fields(b)
    for k in fa:
        if fa[k] != fb[k]:
            print("%s: FAILED: CodeDirectory %s: %r vs llvm %r" % (label, k, fa[k], fb[k]))
            ok = False
    header_end = 32 + struct.unpack_from("<I", a, 20)[0]
    le = linkedit_range(a)
    same, allowed, bad = 0, [], []
    for i, (x, y) in enumerate(zip(ha, hb)):
        if x == y:
            same += 1
            continue
        start, end = i * page, (i + 1) * page
        if start < header_end:
            allowed.append("%d (load commands)" % i)
        elif le and start < le[1] and end > le[0]:
            allowed.append("%d (__LINKEDIT)" % i)
        else:
            bad.append(str(i))
    if bad:
        print("%s: FAILED: page hashes differ on pages %s" % (label, ", ".join(bad)))
        ok = False
    print("%s: signature: %s CodeDirectory, %d of %d page hashes same%s" % (
        label, "same" if ok else "DIFFERENT", same, len(ha),
        ("; differing: " + ", ".join(allowed)) if allowed else ""))
    return ok


def main(ours, theirs):
    ok = True
    sa = cs.slices(open(ours, "rb").read())
    sb = cs.slices(open(theirs, "rb").read())
    da, db = objdump_slices(ours), objdump_slices(theirs)
    if len(sa) != len(sb) or len(da) != len(db) or len(da) != len(sa):
        print("FAILED: slice counts differ")
        return 1
    for (arch, a), (_, b), la, lb in zip(sa, sb, da, db):
        label = arch or "thin"
        ok &= compare_commands(label, la, lb)
        ok &= compare_signatures(label, a, b)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
