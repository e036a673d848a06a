#!/usr/bin/env python3
"""Checks, with llvm-readelf as the oracle, that PT_DYNAMIC lies in a writable
PT_LOAD, PT_PHDR lies in a PT_LOAD, and every address-valued dynamic tag
points inside a PT_LOAD. Exits 1 with a message otherwise."""
import re
import subprocess
import sys

ADDRESS_TAGS = {"PLTGOT", "HASH", "GNU_HASH", "STRTAB", "SYMTAB", "RELA", "REL", "JMPREL", "INIT",
                "FINI", "INIT_ARRAY", "FINI_ARRAY", "VERSYM", "VERNEED", "VERDEF", "RELR"}

def main(path):
    out = subprocess.run(["llvm-readelf", "-l", "-d", "--wide", path], capture_output=True, text=True, check=True).stdout
    loads, special = [], {}
    for m in re.finditer(r"^\s+(\w+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) ([RWE ]+?)\s+0x", out, re.M):
        kind, off, va, fsz, msz, flg = m.group(1), *(int(m.group(i), 16) for i in range(2, 6)), m.group(6)
        if kind == "LOAD":
            loads.append((va, msz, "W" in flg))
        else:
            special[kind] = (va, msz)
    def load_of(va, size=1):
        for start, size_, w in loads:
            if start <= va and va + size <= start + size_:
                return (start, size_, w)
        return None
    dyn = special.get("DYNAMIC")
    if dyn:
        l = load_of(*dyn)
        if not l or not l[2]:
            sys.exit("PT_DYNAMIC is not inside a writable PT_LOAD")
    if "PHDR" in special and not load_of(*special["PHDR"]):
        sys.exit("PT_PHDR is not covered by a PT_LOAD")
    for m in re.finditer(r"^\s+0x[0-9a-f]+ \((\w+)\)\s+0x([0-9a-f]+)", out, re.M):
        if m.group(1) in ADDRESS_TAGS and not load_of(int(m.group(2), 16)):
            sys.exit(f"DT_{m.group(1)} = 0x{m.group(2)} is outside every PT_LOAD")
    print("layout ok")

if __name__ == "__main__":
    main(sys.argv[1])
