#!/usr/bin/env bash
# Benchmark: linkbox's ldd against glibc's ldd, in one run, over every ELF file
# under /usr/bin, /usr/sbin, /usr/lib/x86_64-linux-gnu and /usr/libexec (the
# corpus of test/corpus/ldd-parity.py).
#   linkbox ldd   one process per 200 files (xargs), as the ldd personality
#   glibc ldd     /usr/bin/ldd per 200 files (xargs); it runs ld.so two or
#                 three times per file
# Usage: test/bench/ldd-corpus.sh [LINKBOX] [RUNS]
# Needs hyperfine (apt-get install hyperfine). Reports the ratio; absolute
# times on this machine are noisy.
set -euo pipefail
linkbox=$(readlink -f "${1:-build/linkbox}")
runs=${2:-5}
work=${BENCH_DIR:-/tmp/linkbox-bench-ldd}
rm -rf "$work"
mkdir -p "$work/bin"
# A copy, so that a rebuild of the build directory during the run does not
# change what is measured.
cp "$linkbox" "$work/bin/linkbox"
ln -s linkbox "$work/bin/ldd"
python3 - "$work/list" <<'PY'
import os, sys
seen, out = set(), []
for root in ("/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/libexec"):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            real = os.path.realpath(p)
            if real in seen:
                continue
            seen.add(real)
            try:
                with open(p, "rb") as fh:
                    if fh.read(4) != b"\x7fELF":
                        continue
            except OSError:
                continue
            out.append(p)
with open(sys.argv[1], "w") as fh:
    fh.write("\n".join(out) + "\n")
print(f"{len(out)} ELF files")
PY
# Both get the same environment: no LD_LIBRARY_PATH, the C locale. Output is
# discarded; "not a dynamic executable" goes to stderr and xargs must not
# stop on ldd's exit status 1 for those files, hence "|| true".
export LC_ALL=C
unset LD_LIBRARY_PATH
hyperfine -w 1 -r "$runs" --export-markdown "$work/result.md" \
  -n "linkbox ldd" "xargs -a $work/list -d '\n' -n 200 $work/bin/ldd > /dev/null 2>&1 || true" \
  -n "glibc ldd" "xargs -a $work/list -d '\n' -n 200 /usr/bin/ldd > /dev/null 2>&1 || true"
cat "$work/result.md"
