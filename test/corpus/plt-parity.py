#!/usr/bin/env python3
"""PLT names: for every ELF file under the corpus directories that has a PLT,
compare the entries `linkbox readdyn --plt` names with the <sym@plt> labels
objdump -d prints. Usage: plt-parity.py [LINKBOX] [DIR...]"""
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

linkbox = sys.argv[1] if len(sys.argv) > 1 else "build/linkbox"
roots = sys.argv[2:] or ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu"]

def files():
    seen = set()
    for root in roots:
        for d, _, names in os.walk(root):
            for n in names:
                p = os.path.join(d, n)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                r = os.path.realpath(p)
                if r in seen:
                    continue
                seen.add(r)
                try:
                    with open(p, "rb") as f:
                        if f.read(4) != b"\x7fELF":
                            continue
                except OSError:
                    continue
                yield p

LABEL = re.compile(r"^0*([0-9a-f]+) <(.*@plt)>:$", re.M)
OURS = re.compile(r"^  0x0*([0-9a-f]+)  \S+\s+(.*)$", re.M)

def check(path):
    ref = subprocess.run(["objdump", "-d", "-j", ".plt", "-j", ".plt.sec", "-j", ".plt.got", path],
                         capture_output=True, text=True, errors="replace")
    want = {(int(a, 16), n) for a, n in LABEL.findall(ref.stdout)}
    got_p = subprocess.run([linkbox, "readdyn", "--plt", path], capture_output=True, text=True, errors="replace")
    got = {(int(a, 16), n) for a, n in OURS.findall(got_p.stdout)}
    return path, want, got, got_p.returncode, got_p.stderr.strip()

total = agree = with_plt = 0
bad = []
with ThreadPoolExecutor(2) as pool:
    for path, want, got, rc, err in pool.map(check, files()):
        total += 1
        if not want and not got:
            continue
        with_plt += 1
        if want == got:
            agree += 1
        else:
            bad.append((path, sorted(want - got)[:3], sorted(got - want)[:3], err))
print(f"files: {total}, with PLT entries: {with_plt}, names identical: {agree}, mismatches: {len(bad)}")
for path, missing, extra, err in bad[:50]:
    print(f"  {path}: objdump only {missing} linkbox only {extra} {err}")
sys.exit(1 if bad else 0)
