#!/bin/bash
# parity-matrix.sh LINKBOX [WORKDIR]: acceptance point 2, measured.
#
# Builds a small corpus (arm64 and x86_64; executables and dylibs; ld64.lld-14
# and, when present, ld64.lld-19; thin and fat), applies every
# install_name_tool option to each file with linkbox and with
# llvm-install-name-tool-14 and -19 (through Inputs/parity), and counts the
# cases where both succeed and compare-edit.py finds the same load commands
# and signature pages. Options that change nothing (an -id on an executable,
# a -change of a name the file does not use) leave linkbox's file untouched
# while llvm rewrites it; those are counted apart. Prints one line per case that does not agree, then a
# summary. Then the same cases again on copies llvm-install-name-tool laid
# out first, where the two results must be byte-identical.
set -u
linkbox=$(readlink -f "$1")
work=${2:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
inputs=$(cd "$here/../../Inputs" && pwd)
mkdir -p "$work/bin" "$work/corpus" && cd "$work/corpus" || exit 2
ln -sf "$linkbox" "$work/bin/install_name_tool"
cat > lib.c <<'C'
int printf(const char *, ...);
int foo(int x) { printf("%d\n", x); return x + 1; }
C
cat > main.c <<'C'
int foo(int);
int main(void) { return foo(1); }
C
files=()
for a in arm64 x86_64; do
  "$inputs/macho-cc" $a -c lib.c -o lib-$a.o && "$inputs/macho-cc" $a -c main.c -o main-$a.o || exit 2
  for v in 14 19; do
    command -v ld64.lld-$v >/dev/null || continue
    case $v in 14) plat="11.0 11.0" ;; 19) plat="13.0 13.0" ;; esac
    ld=(ld64.lld-$v -platform_version macos $plat -arch $a -headerpad_max_install_names)
    "${ld[@]}" -dylib -install_name @rpath/libfoo.dylib lib-$a.o "$inputs/libSystem.tbd" -o libfoo$v-$a.dylib &&
      "${ld[@]}" main-$a.o libfoo$v-$a.dylib "$inputs/libSystem.tbd" -rpath /opt/a -rpath /opt/b -o main$v-$a &&
      files+=(libfoo$v-$a.dylib main$v-$a)
  done
done
llvm-lipo-14 -create main14-x86_64 main14-arm64 -output main14-fat && files+=(main14-fat)
llvm-lipo-14 -create libfoo14-x86_64.dylib libfoo14-arm64.dylib -output libfoo14-fat.dylib && files+=(libfoo14-fat.dylib)

options=(
  "-add_rpath @loader_path/../lib"
  "-prepend_rpath /first"
  "-delete_rpath /opt/a"
  "-rpath /opt/b /usr/local/lib/with/a/longer/path"
  "-change @rpath/libfoo.dylib @executable_path/../Frameworks/libfoo.1.dylib"
  "-change /usr/lib/libSystem.B.dylib /usr/lib/libSystem.C.dylib"
  "-id @rpath/libfoo.1.dylib"
  "-add_rpath /x -delete_rpath /opt/a -change @rpath/libfoo.dylib @rpath/f.dylib -id @rpath/g.dylib"
)
# The load-command lines llvm changed in FILE beyond its __LINKEDIT relayout
# and re-signing (offsets, __LINKEDIT sizes, the signature's size): empty
# when the options were a no-op.
real_changes() {
  diff <(llvm-objdump-14 --macho --private-headers --arch all "$1" | tail -n +2) \
       <(llvm-objdump-14 --macho --private-headers --arch all "$2" | tail -n +2) |
    grep '^[<>]' | grep -vE ' (vmsize|filesize|stroff|symoff|indirectsymoff|dataoff|datasize) ' |
    grep -vE '\((architecture [a-z0-9_]+)\):$'
}
total=0 agree=0 refused=0 disagree=0 pages=0 noop=0
for v in 14 19; do
  command -v llvm-install-name-tool-$v >/dev/null || continue
  for f in "${files[@]}"; do
    for o in "${options[@]}"; do
      # shellcheck disable=SC2086
      out=$("$here/parity" $v "$work/bin/install_name_tool" "$f" $o)
      total=$((total + 1))
      if grep -q "^compare: exit 0" <<<"$out"; then
        agree=$((agree + 1))
        n=$(grep -Eo '[0-9]+ pages verified' <<<"$out" | awk '{s += $1} END {print s + 0}')
        pages=$((pages + n))
      elif grep -q "both refused" <<<"$out"; then
        refused=$((refused + 1))
      elif grep -q "linkbox: file unchanged" <<<"$out" && grep -q "^llvm-$v: exit 0" <<<"$out" &&
           [ -z "$(real_changes "$f" "$f.parity$v/llvm/$f")" ]; then
        noop=$((noop + 1))
      else
        disagree=$((disagree + 1))
        echo "DISAGREE llvm-$v $f $o:"
        sed 's/^/  /' <<<"$out"
      fi
    done
  done
done
echo "parity: ${#files[@]} files x ${#options[@]} option sets: $total cases, $agree agree (same load commands and signature pages; $pages signed pages verified), $noop left unchanged by linkbox (llvm rewrote and re-signed them, same load commands), $refused refused by both, $disagree disagree"

# The same cases on files llvm-install-name-tool has already laid out (an
# -add_rpath and a -delete_rpath of a scratch path). llvm rewrites
# __LINKEDIT on every edit, but the same way each time, so on such a file
# its result and linkbox's must be byte-identical: the same load commands
# and every signature page hash the same.
ntotal=0 identical=0 nrefused=0 differ=0
for v in 14 19; do
  command -v llvm-install-name-tool-$v >/dev/null || continue
  for f in "${files[@]}"; do
    norm="$work/normalized$v/$f"
    mkdir -p "$(dirname "$norm")" && cp "$f" "$norm"
    llvm-install-name-tool-$v -add_rpath /linkbox-normalize "$norm" &&
      llvm-install-name-tool-$v -delete_rpath /linkbox-normalize "$norm" || { echo "normalize failed: $f"; exit 2; }
    for o in "${options[@]}"; do
      mkdir -p "$work/n/linkbox" "$work/n/llvm"
      cp "$norm" "$work/n/linkbox/$f" && cp "$norm" "$work/n/llvm/$f"
      # shellcheck disable=SC2086
      "$work/bin/install_name_tool" $o "$work/n/linkbox/$f" 2>/dev/null
      ours=$?
      # shellcheck disable=SC2086
      llvm-install-name-tool-$v $o "$work/n/llvm/$f" 2>/dev/null
      theirs=$?
      ntotal=$((ntotal + 1))
      if [ $ours -ne 0 ] && [ $theirs -ne 0 ]; then
        nrefused=$((nrefused + 1))
      elif [ $ours -eq 0 ] && [ $theirs -eq 0 ] && cmp -s "$work/n/linkbox/$f" "$work/n/llvm/$f"; then
        identical=$((identical + 1))
      else
        differ=$((differ + 1))
        echo "DIFFER llvm-$v $f $o: linkbox exit $ours, llvm exit $theirs"
        cmp "$work/n/linkbox/$f" "$work/n/llvm/$f" 2>&1 | sed 's/^/  /'
      fi
      rm -rf "$work/n"
    done
  done
done
echo "normalized: $ntotal cases, $identical byte-identical to llvm-install-name-tool's result, $nrefused refused by both, $differ differ"
[ $disagree -eq 0 ] && [ $differ -eq 0 ]
