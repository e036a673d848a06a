#!/usr/bin/env python3
"""Makes Mach-O test inputs that ld64.lld cannot produce, from ones it can.

  fixups-patch.py stream IN OUT KIND HEX
      Replaces a dyld-info stream (KIND: rebase, bind, weak-bind, lazy-bind, export) or the
      payload of LC_DYLD_EXPORTS_TRIE (KIND: exports-trie) or LC_DYLD_CHAINED_FIXUPS (KIND:
      chained) with HEX bytes, appended at the end of the file (__LINKEDIT grows to cover them).
  fixups-patch.py trie IN OUT ENTRY...
      Builds an export trie from ENTRY specs and installs it as `stream ... export` does (or in
      LC_DYLD_EXPORTS_TRIE when the file has no LC_DYLD_INFO). An ENTRY is NAME followed by
      ,key=value / ,flag items: addr=N, weak, tls, abs, reexport=ORDINAL, import=NAME,
      resolver=N (stub-and-resolver, addr is the stub).
  fixups-patch.py arm64e IN OUT FORMAT [AUTH]
      Rewrites the DYLD_CHAINED_PTR_64 chains of a chained-fixups file in FORMAT (1 ARM64E,
      9 ARM64E_USERLAND, 12 ARM64E_USERLAND24, 7 ARM64E_KERNEL): same targets, same binds. With
      AUTH=1 every other rebase, and every bind without an addend, becomes an authenticated
      pointer (key, diversity and address diversity vary with the slot).
  fixups-patch.py chain-poke IN OUT N VALUE
      Overwrites the Nth pointer (0-based, in chain order) of the DYLD_CHAINED_PTR_64 chains with
      the 64-bit VALUE, to make broken chains.
  fixups-patch.py poke IN OUT FILEOFF HEX
      Writes HEX bytes at file offset FILEOFF.
  fixups-patch.py multi-start IN OUT
      Splits the first chain of at least two links into two chains started by a
      DYLD_CHAINED_PTR_START_MULTI page entry: the same fixups, reached another way.

The rewritten files keep their fixups' meaning, so linkbox's view of them can be checked against
llvm-objdump's view of the originals.
"""
import struct
import sys

LC_SEGMENT_64 = 0x19
LC_DYLD_INFO = 0x22
LC_DYLD_INFO_ONLY = 0x80000022
LC_DYLD_EXPORTS_TRIE = 0x80000033
LC_DYLD_CHAINED_FIXUPS = 0x80000034


class MachO:
    def __init__(self, data):
        self.data = bytearray(data)
        magic, _, _, _, ncmds, _, _, _ = struct.unpack_from("<8I", self.data, 0)
        assert magic == 0xfeedfacf, "64-bit little-endian Mach-O only"
        self.commands = []  # (offset, cmd, cmdsize)
        self.segments = []  # dicts
        off = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from("<2I", self.data, off)
            self.commands.append((off, cmd, size))
            if cmd == LC_SEGMENT_64:
                name = self.data[off + 8:off + 24].rstrip(b"\0").decode()
                vmaddr, vmsize, fileoff, filesize = struct.unpack_from("<4Q", self.data, off + 24)
                self.segments.append({"cmd_off": off, "name": name, "vmaddr": vmaddr, "vmsize": vmsize,
                                      "fileoff": fileoff, "filesize": filesize})
            off += size

    def command(self, *cmds):
        for off, cmd, _ in self.commands:
            if cmd in cmds:
                return off
        return None

    def base(self):
        for s in self.segments:
            if s["fileoff"] == 0 and s["filesize"]:
                return s["vmaddr"]
        return 0

    def append(self, payload):
        """Appends payload (8-aligned) and grows __LINKEDIT over it; returns its offset."""
        while len(self.data) % 8:
            self.data.append(0)
        at = len(self.data)
        self.data += payload
        while len(self.data) % 8:
            self.data.append(0)
        le = [s for s in self.segments if s["name"] == "__LINKEDIT"][0]
        filesize = len(self.data) - le["fileoff"]
        vmsize = (filesize + 0x3fff) & ~0x3fff
        struct.pack_into("<Q", self.data, le["cmd_off"] + 32, max(vmsize, le["vmsize"]))
        struct.pack_into("<Q", self.data, le["cmd_off"] + 48, filesize)
        return at

    def set_stream(self, kind, payload):
        fields = {"rebase": 8, "bind": 16, "weak-bind": 24, "lazy-bind": 32, "export": 40}
        if kind in fields:
            cmd = self.command(LC_DYLD_INFO, LC_DYLD_INFO_ONLY)
            assert cmd is not None, "no LC_DYLD_INFO"
            field = cmd + fields[kind]
        else:
            cmd = self.command({"exports-trie": LC_DYLD_EXPORTS_TRIE, "chained": LC_DYLD_CHAINED_FIXUPS}[kind])
            assert cmd is not None, "no command for " + kind
            field = cmd + 8
        at = self.append(payload)
        struct.pack_into("<2I", self.data, field, at, len(payload))

    def linkedit_payload(self, cmd_value):
        cmd = self.command(cmd_value)
        off, size = struct.unpack_from("<2I", self.data, cmd + 8)
        return cmd, off, size


def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


# Export trie --------------------------------------------------------------------------------------

def parse_entry(spec):
    parts = spec.split(",")
    e = {"name": parts[0], "flags": 0, "addr": 0}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if k == "addr":
            e["addr"] = int(v, 0)
        elif k == "weak":
            e["flags"] |= 0x04
        elif k == "tls":
            e["flags"] |= 0x01
        elif k == "abs":
            e["flags"] |= 0x02
        elif k == "reexport":
            e["flags"] |= 0x08
            e["ordinal"] = int(v, 0)
        elif k == "import":
            e["import"] = v
        elif k == "resolver":
            e["flags"] |= 0x10
            e["resolver"] = int(v, 0)
        else:
            raise SystemExit("unknown entry item " + p)
    return e


def terminal_info(e):
    if e is None:
        return b""
    body = uleb(e["flags"])
    if e["flags"] & 0x08:
        body += uleb(e["ordinal"]) + e.get("import", "").encode() + b"\0"
    else:
        body += uleb(e["addr"])
        if e["flags"] & 0x10:
            body += uleb(e["resolver"])
    return body


def build_trie(entries):
    """A radix tree of the names, serialised as dyld reads it (offsets fixed up until stable)."""
    def make(items, prefix_len):
        node = {"terminal": None, "edges": []}
        rest = []
        for name, e in items:
            if len(name) == prefix_len:
                node["terminal"] = e
            else:
                rest.append((name, e))
        while rest:
            first = rest[0][0]
            group = [x for x in rest if x[0][prefix_len] == first[prefix_len]]
            rest = [x for x in rest if x[0][prefix_len] != first[prefix_len]]
            common = min(len(x[0]) for x in group)
            end = prefix_len + 1
            while end < common and all(x[0][end] == first[end] for x in group):
                end += 1
            node["edges"].append((first[prefix_len:end], make(group, end)))
        return node

    root = make([(e["name"], e) for e in entries], 0)
    nodes = []

    def order(n):
        nodes.append(n)
        for _, child in n["edges"]:
            order(child)
    order(root)
    for n in nodes:
        n["offset"] = 0
    while True:
        changed, pos = False, 0
        for n in nodes:
            if n["offset"] != pos:
                n["offset"], changed = pos, True
            info = terminal_info(n["terminal"])
            size = len(uleb(len(info))) + len(info) + 1
            for label, child in n["edges"]:
                size += len(label) + 1 + len(uleb(child["offset"]))
            pos += size
        if not changed:
            break
    out = bytearray()
    for n in nodes:
        info = terminal_info(n["terminal"])
        out += uleb(len(info)) + info + bytes([len(n["edges"])])
        for label, child in n["edges"]:
            out += label.encode() + b"\0" + uleb(child["offset"])
    return bytes(out)


# Chained fixups -----------------------------------------------------------------------------------

def parse_chained(m):
    cmd, off, size = m.linkedit_payload(LC_DYLD_CHAINED_FIXUPS)
    blob = bytes(m.data[off:off + size])
    hdr = struct.unpack_from("<7I", blob, 0)
    starts = hdr[1]
    seg_count = struct.unpack_from("<I", blob, starts)[0]
    segs = []
    for i in range(seg_count):
        so = struct.unpack_from("<I", blob, starts + 4 + 4 * i)[0]
        if not so:
            continue
        at = starts + so
        size_, page_size, fmt, seg_off, max_valid, page_count = struct.unpack_from("<IHHQIH", blob, at)
        pages = list(struct.unpack_from("<%dH" % page_count, blob, at + 22))
        segs.append({"index": i, "info_at": at, "page_size": page_size, "format": fmt, "pages": pages,
                     "seg_offset": seg_off, "max_valid": max_valid})
    return cmd, off, blob, hdr, segs


def chain_slots(m, seg, page, start):
    """Yields file offsets of the pointers of one DYLD_CHAINED_PTR_64 chain."""
    s = m.segments[seg["index"]]
    off = s["fileoff"] + page * seg["page_size"] + start
    while True:
        yield off
        raw = struct.unpack_from("<Q", m.data, off)[0]
        nxt = (raw >> 51) & 0xfff
        if not nxt:
            return
        off += nxt * 4


def to_arm64e(m, fmt, auth):
    cmd, off, blob, hdr, segs = parse_chained(m)
    base = m.base()
    count = 0
    for seg in segs:
        assert seg["format"] == 2, "expects DYLD_CHAINED_PTR_64 input"
        struct.pack_into("<H", m.data, off + seg["info_at"] + 6, fmt)
        for page, start in enumerate(seg["pages"]):
            if start == 0xffff:
                continue
            for slot in list(chain_slots(m, seg, page, start)):
                raw = struct.unpack_from("<Q", m.data, slot)[0]
                nxt = (raw >> 51) & 0xfff
                assert nxt % 2 == 0, "arm64e chains step in 8-byte units"
                nxt8 = nxt // 2 if fmt != 7 else nxt
                count += 1
                make_auth = auth and count % 2 == 0
                key, div, addr_div = count % 4, (0x1000 * count + 0x35) & 0xffff, count % 3 == 0
                if raw >> 63:  # bind
                    ordinal, addend = raw & 0xffffff, (raw >> 24) & 0xff
                    if auth and addend == 0:
                        new = (1 << 63) | (1 << 62) | ordinal | (div << 32) | (int(addr_div) << 48) | (key << 49)
                    else:
                        new = (1 << 62) | ordinal | (addend << 32)
                else:
                    target, high8 = raw & 0xfffffffff, (raw >> 36) & 0xff
                    if make_auth and high8 == 0:
                        new = (1 << 63) | (target - base) | (div << 32) | (int(addr_div) << 48) | (key << 49)
                    else:
                        value = target if fmt == 1 else target - base
                        new = value | (high8 << 43)
                new |= nxt8 << 51
                struct.pack_into("<Q", m.data, slot, new)


def multi_start(m):
    cmd, off, blob, hdr, segs = parse_chained(m)
    for seg in segs:
        for page, start in enumerate(seg["pages"]):
            if start == 0xffff:
                continue
            slots = list(chain_slots(m, seg, page, start))
            if len(slots) < 2:
                continue
            # End the chain after its first link; the rest becomes a second start.
            first = slots[0]
            raw = struct.unpack_from("<Q", m.data, first)[0]
            struct.pack_into("<Q", m.data, first, raw & ~(0xfff << 51))
            page_base = m.segments[seg["index"]]["fileoff"] + page * seg["page_size"]
            second = slots[1] - page_base
            # Rebuild the blob: this segment's info gains two overflow entries.
            npages = len(seg["pages"])
            new_pages = list(seg["pages"])
            new_pages[page] = 0x8000 | npages
            new_pages += [start, 0x8000 | second]
            info = struct.pack("<IHHQIH", 22 + 2 * len(new_pages), seg["page_size"], seg["format"],
                               seg["seg_offset"], seg["max_valid"], npages)
            info += struct.pack("<%dH" % len(new_pages), *new_pages)
            starts = hdr[1]
            seg_count = struct.unpack_from("<I", blob, starts)[0]
            offsets = list(struct.unpack_from("<%dI" % seg_count, blob, starts + 4))
            # Lay out: header, starts_in_image, the seg infos (ours replaced), imports, symbols.
            infos = []
            for s in segs:
                if s is seg:
                    infos.append((s["index"], info))
                else:
                    size_ = struct.unpack_from("<I", blob, s["info_at"])[0]
                    infos.append((s["index"], blob[s["info_at"]:s["info_at"] + size_]))
            image = bytearray(struct.pack("<I", seg_count) + b"\0" * 4 * seg_count)
            for index, data in infos:
                while len(image) % 8:
                    image.append(0)
                offsets[index] = len(image)
                image += data
            struct.pack_into("<%dI" % seg_count, image, 4, *offsets)
            imports = blob[hdr[2]:hdr[3]]
            symbols = blob[hdr[3]:]
            new = bytearray(32) + image
            while len(new) % 4:
                new.append(0)
            imports_off = len(new)
            new += imports
            symbols_off = len(new)
            new += symbols
            struct.pack_into("<7I", new, 0, 0, 32, imports_off, symbols_off, hdr[4], hdr[5], hdr[6])
            m.set_stream("chained", bytes(new))
            return
    raise SystemExit("no chain with two links")


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    op, src, dst = argv[1:4]
    m = MachO(open(src, "rb").read())
    if op == "stream":
        m.set_stream(argv[4], bytes.fromhex(argv[5]))
    elif op == "trie":
        trie = build_trie([parse_entry(s) for s in argv[4:]])
        kind = "export" if m.command(LC_DYLD_INFO, LC_DYLD_INFO_ONLY) is not None else "exports-trie"
        m.set_stream(kind, trie)
    elif op == "arm64e":
        to_arm64e(m, int(argv[4]), len(argv) > 5 and argv[5] == "1")
    elif op == "chain-poke":
        cmd, off, blob, hdr, segs = parse_chained(m)
        slots = [slot for seg in segs for page, start in enumerate(seg["pages"]) if start != 0xffff
                 for slot in chain_slots(m, seg, page, start)]
        struct.pack_into("<Q", m.data, slots[int(argv[4])], int(argv[5], 0))
    elif op == "poke":
        at, payload = int(argv[4], 0), bytes.fromhex(argv[5])
        m.data[at:at + len(payload)] = payload
    elif op == "multi-start":
        multi_start(m)
    else:
        raise SystemExit("unknown operation " + op)
    with open(dst, "wb") as f:
        f.write(m.data)


if __name__ == "__main__":
    main(sys.argv)
