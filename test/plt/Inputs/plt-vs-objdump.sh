#!/bin/sh
# Usage: plt-vs-objdump.sh LINKBOX OBJDUMP FILE...
# Compares the "ADDRESS <NAME@plt>" pairs of `LINKBOX readdyn --plt FILE` with
# the <NAME@plt> labels OBJDUMP -d prints for .plt, .plt.sec and .plt.got;
# prints a diff and exits 1 on the first file where they differ.
linkbox=$1 objdump=$2
shift 2
for f in "$@"; do
  "$linkbox" readdyn --plt "$f" | sed -n 's/^  0x0*\([0-9a-f]*\)  [^ ]* *\(.*\)$/\1 <\2>/p' | sort > "$f.plt-ours" || exit 1
  "$objdump" -d -j .plt -j .plt.sec -j .plt.got "$f" 2>/dev/null |
    sed -n 's/^0*\([0-9a-f]*\) <\(.*@plt\)>:$/\1 <\2>/p' | sort > "$f.plt-ref"
  if ! diff -u "$f.plt-ref" "$f.plt-ours"; then
    echo "$f: names differ from $objdump (-: $objdump, +: linkbox)" >&2
    exit 1
  fi
done
