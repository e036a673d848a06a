#!/bin/sh
# same-as-glibc.sh LDD [-v] FILE [VAR=VALUE...]: compares what glibc's ldd and
# the linkbox ldd personality at LDD print for FILE (load addresses blanked),
# in an environment that has only the given variables besides PATH; prints
# the difference and fails when they differ.
ldd=$1
shift
options=
if [ "$1" = -v ]; then
  options=-v
  shift
fi
file=$1
shift
blank() { sed -E 's/\(0x[0-9a-f]+\)/(ADDR)/'; }
glibc=$(env -i PATH="$PATH" LC_ALL=C "$@" /usr/bin/ldd $options "$file" 2>&1 | blank)
linkbox=$(env -i PATH="$PATH" LC_ALL=C "$@" "$ldd" $options "$file" 2>&1 | blank)
if [ "$glibc" != "$linkbox" ]; then
  echo "glibc ldd and linkbox differ on $file:"
  printf '%s\n' "$glibc" > "$file.glibc-ldd"
  printf '%s\n' "$linkbox" > "$file.linkbox-ldd"
  diff "$file.glibc-ldd" "$file.linkbox-ldd"
  exit 1
fi
printf '%s\n' "$linkbox"
