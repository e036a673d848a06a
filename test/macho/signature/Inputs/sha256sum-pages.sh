#!/bin/bash
# sha256sum-pages.sh FILE HASHES: HASHES is check-signature.py --dump
# --hashes output for thin FILE. Recomputes each page hash with sha256sum.
file=$1 hashes=$2
limit=$(sed -n 's/.*codeLimit=\([0-9]*\).*/\1/p' "$hashes")
checked=0 bad=0
while read -r _ _ index hash; do
  start=$((index * 4096))
  len=$((limit - start < 4096 ? limit - start : 4096))
  got=$(tail -c +$((start + 1)) "$file" | head -c "$len" | sha256sum | cut -d' ' -f1)
  checked=$((checked + 1))
  [ "$got" = "$hash" ] || { bad=$((bad + 1)); echo "page $index: $got != $hash"; }
done < <(grep ': page [0-9]* ' "$hashes")
echo "pages checked with sha256sum: $checked, mismatches: $bad"
