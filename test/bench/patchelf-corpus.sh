#!/usr/bin/env bash
# Benchmark: linkbox's patchelf personality against the Debian patchelf, in
# one run, over every ELF executable and shared library under /usr/bin,
# /usr/sbin and /usr/lib/x86_64-linux-gnu (copied to a scratch directory).
#   --print-needed   over the whole corpus (read only)
#   --set-rpath      over the whole corpus, a new value every run so each
#                    run really rewrites every file
# Usage: test/bench/patchelf-corpus.sh [LINKBOX] [RUNS]
# Needs hyperfine and patchelf (apt-get install hyperfine patchelf).
# Reports ratios; absolute times on this machine are noisy.
set -euo pipefail
linkbox=$(readlink -f "${1:-build/linkbox}")
runs=${2:-5}
work=${BENCH_DIR:-/tmp/linkbox-bench-patchelf}
rm -rf "$work"
mkdir -p "$work/bin" "$work/corpus"
ln -s "$linkbox" "$work/bin/patchelf"
echo "collecting the corpus..."
python3 - "$work/corpus" <<'PY'
import os, shutil, sys
dest = sys.argv[1]
seen = set()
n = 0
for root in ("/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu"):
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            real = os.path.realpath(p)
            if real in seen:
                continue
            seen.add(real)
            try:
                with open(p, "rb") as fh:
                    head = fh.read(18)
            except OSError:
                continue
            # ELF executables and shared objects only (e_type 2 or 3).
            if len(head) < 18 or head[:4] != b"\x7fELF" or head[16] not in (2, 3):
                continue
            n += 1
            shutil.copyfile(p, os.path.join(dest, f"{n:05d}-{f}"))
print(f"{n} files")
PY
ls "$work/corpus" > "$work/list"
# Files the Debian patchelf cannot edit would stop its runs early; keep the
# files both tools accept, so both do the same work.
cd "$work/corpus"
: > "$work/ok"
while read -r f; do
  if patchelf --print-needed "$f" >/dev/null 2>&1 && "$work/bin/patchelf" --print-needed "$f" >/dev/null 2>&1; then
    echo "$f" >> "$work/ok"
  fi
done < "$work/list"
echo "$(wc -l < "$work/ok") files readable by both"
# --set-rpath runs over the files both tools edit: linkbox deliberately refuses
# some that patchelf edits (a static-pie executable such as ldconfig, whose
# startup aborts on a run path; see DIFFERENCES FROM PATCHELF in
# linkbox-patchelf(1)), and one refusal would fail the whole xargs command.
: > "$work/ok-set"
mkdir -p "$work/probe"
while read -r f; do
  cp "$f" "$work/probe/lb" && cp "$f" "$work/probe/pe"
  if "$work/bin/patchelf" --set-rpath /opt/probe "$work/probe/lb" >/dev/null 2>&1 &&
     patchelf --set-rpath /opt/probe "$work/probe/pe" >/dev/null 2>&1; then
    echo "$f" >> "$work/ok-set"
  fi
done < "$work/ok"
rm -rf "$work/probe"
echo "$(wc -l < "$work/ok-set") of them edited by both with --set-rpath"
cp -r "$work/corpus" "$work/corpus-lb"
cp -r "$work/corpus" "$work/corpus-pe"
run_set() {  # $1: tool, $2: directory
  echo "cd $2 && xargs -a $work/ok-set -n 200 $1 --set-rpath /opt/bench/\$RANDOM\$RANDOM"
}
# bash, not hyperfine's default sh (dash here), which has no $RANDOM: the run
# path would be the same every run and linkbox would rightly write nothing.
hyperfine -S bash -w 1 -r "$runs" --export-markdown "$work/result.md" \
  -n "linkbox --print-needed" "cd $work/corpus && xargs -a $work/ok -n 200 $work/bin/patchelf --print-needed > /dev/null" \
  -n "patchelf --print-needed" "cd $work/corpus && xargs -a $work/ok -n 200 patchelf --print-needed > /dev/null" \
  -n "linkbox --set-rpath" "$(run_set "$work/bin/patchelf" "$work/corpus-lb")" \
  -n "patchelf --set-rpath" "$(run_set patchelf "$work/corpus-pe")"
cat "$work/result.md"
