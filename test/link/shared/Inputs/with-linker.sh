#!/bin/bash
# with-linker.sh TOOLCHAIN LINKER BIN SCRIPT [ARGS...]
#
# Runs the bash SCRIPT (a path relative to the current directory) with
# set -e -u in a new directory ./TOOLCHAIN-LINKER, so that one scenario can be
# built and run once per compiler and once per linker and the outputs diffed.
# The script sees:
#   CC, CXX   gcc/g++ (TOOLCHAIN gcc) or clang-14/clang++-14 (TOOLCHAIN clang)
#   LINKBOX   driver flags that make CC/CXX link with linkbox (the ld in BIN)
#   BFD       driver flags that make CC/CXX link with GNU ld.bfd
#   LINK      $LINKBOX (LINKER linkbox) or $BFD (LINKER bfd); unset for
#             LINKER mixed, where the script picks $LINKBOX or $BFD itself
#   once FILE COMMAND...
#             a function: runs COMMAND, which makes FILE (an object file),
#             in the first run for TOOLCHAIN and keeps a copy in
#             ./TOOLCHAIN-objects; later runs (the other linker) copy it
#             from there. Both linkers then link the very same objects,
#             and the compiler runs only once.
# The script's stdout is this script's stdout; it is traced on stderr.
set -eu
if [ $# -lt 4 ]; then
  echo "usage: $0 gcc|clang linkbox|bfd|mixed BIN SCRIPT [ARGS...]" >&2
  exit 2
fi
toolchain=$1 linker=$2 bin=$3 script=$4
shift 4
case $toolchain in
  gcc) CC=gcc CXX=g++ LINKBOX="-B$bin" ;;
  clang) CC=clang-14 CXX=clang++-14 LINKBOX="-B$bin -fuse-ld=linkbox" ;;
  *) echo "$0: unknown toolchain $toolchain" >&2; exit 2 ;;
esac
BFD=-fuse-ld=bfd
case $linker in
  linkbox) LINK=$LINKBOX ;;
  bfd) LINK=$BFD ;;
  mixed) unset LINK ;;
  *) echo "$0: unknown linker $linker" >&2; exit 2 ;;
esac
# Make sure the driver really runs the linker we name (a missing ld in BIN
# would silently fall back to the system's ld).
if [ "$linker" != bfd ]; then
  $CC $LINKBOX -Wl,--version -o /dev/null 2>&1 | grep -q '^linkbox .*compatible with GNU linkers' ||
    { echo "$0: $CC $LINKBOX does not run linkbox" >&2; exit 1; }
fi
OBJECTS=$PWD/$toolchain-objects
mkdir -p "$OBJECTS"
once() {
  local file=$1
  shift
  if [ -e "$OBJECTS/$file" ]; then
    cp "$OBJECTS/$file" "$file"
  else
    "$@"
    cp "$file" "$OBJECTS/$file"
  fi
}
export -f once
export CC CXX LINKBOX BFD OBJECTS
[ "$linker" = mixed ] || export LINK
script=$(realpath "$script")
dir=$toolchain-$linker
rm -rf "$dir" && mkdir "$dir" && cd "$dir"
exec bash -eux "$script" "$@"
