#!/usr/bin/env bash
# Builds seed corpora for the fuzz targets: make-seeds.sh DIR
#
# Creates DIR/fuzz-elf-reader, DIR/fuzz-readelf, DIR/fuzz-elf-editor, DIR/fuzz-macho-summary,
# DIR/fuzz-macho-reader, DIR/fuzz-macho-editor, DIR/fuzz-code-signature, the Mach-O
# decoders' DIR/fuzz-macho-dyld-info, -export-trie and -chained-fixups, DIR/fuzz-tbd, and
# DIR/fuzz-file-type (and DIR/fuzz-ld-so-cache, DIR/fuzz-ld-so-object). The seeds are compiled here from a few lines of C (so no
# binaries live in the repository) and copied from small system files. Every
# compiler is optional: what is missing is skipped, and the corpora just hold
# fewer kinds of file.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Mach-O links below need the libSystem stub of the Mach-O tests.
libsystem_tbd=$(cd "$(dirname "$0")/../macho/Inputs" && pwd)/libSystem.tbd
decoder_seeds=$(cd "$(dirname "$0")" && pwd)/macho-decoder-seeds.py
cd "$work"

reader=$out/fuzz-elf-reader
editor=$out/fuzz-elf-editor
macho=$out/fuzz-macho-summary
macho_reader=$out/fuzz-macho-reader
mkdir -p "$macho_reader"
ftype=$out/fuzz-file-type
ldcache=$out/fuzz-ld-so-cache
ldobject=$out/fuzz-ld-so-object
mkdir -p "$ldcache" "$ldobject"
readelf=$out/fuzz-readelf
mkdir -p "$reader" "$readelf" "$editor" "$macho" "$ftype"

# Seeds larger than this slow every mutation down; libFuzzer also sizes its
# inputs from the largest seed.
max_seed=65536

# Runs a build step; a step that fails (a missing cross compiler, say) is
# noted and skipped.
skipped=()
try() {
  if ! "$@" >/dev/null 2>&1; then
    skipped+=("$*")
    return 1
  fi
}

# --- Sources -----------------------------------------------------------------
cat > lib.c <<'EOF'
int counter;
int lib_get(void) { return counter; }
void lib_set(int v) { counter = v; }
int lib_old(void) { return 1; }
int lib_new(void) { return 2; }
__asm__(".symver lib_old,lib_versioned@VERS_1");
__asm__(".symver lib_new,lib_versioned@@VERS_2");
EOF
cat > lib.map <<'EOF'
VERS_1 { global: lib_get; lib_set; lib_versioned; local: *; };
VERS_2 { global: lib_versioned; } VERS_1;
EOF
cat > main.c <<'EOF'
#include <stdio.h>
int lib_get(void);
void lib_set(int);
int main(int argc, char **argv) {
  (void)argv;
  lib_set(argc);
  printf("%d\n", lib_get());
  return 0;
}
EOF
cat > hello.c <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
# For targets without a C library here: no libc, its own entry point.
cat > bare.c <<'EOF'
int data = 42;
extern int lib_get(void);
int call(void) { return lib_get() + data; }
void _start(void) { for (;;) { } }
EOF
cat > barelib.c <<'EOF'
int lib_value = 7;
int lib_get(void) { return lib_value; }
EOF

# --- Native ELF (gcc) --------------------------------------------------------
try gcc -O1 -shared -fPIC -Wl,--version-script=lib.map -Wl,-soname,libseed.so.1 lib.c -o libseed.so
try gcc -O1 hello.c -o hello-pie
try gcc -O1 -no-pie hello.c -o hello-nopie
try gcc -O1 -no-pie -Wl,-z,execstack hello.c -o hello-execstack
try gcc -O1 main.c -L. -lseed -Wl,-rpath,'$ORIGIN/lib' -o main-runpath
try gcc -O1 main.c -L. -lseed -Wl,--disable-new-dtags -Wl,-rpath,/opt/seed -o main-rpath
try gcc -O1 -Wl,--hash-style=sysv main.c -L. -lseed -o main-sysvhash
try gcc -O1 -Wl,-z,now -Wl,-z,relro main.c -L. -lseed -o main-now
# Static executables with glibc are ~800 KiB, far above max_seed; a bare one
# keeps the shape (no PT_INTERP, no PT_DYNAMIC) small.
try gcc -O1 -static -nostdlib bare.c barelib.c -o bare-static
try gcc -O1 -static-pie -nostdlib -fPIE bare.c barelib.c -o bare-static-pie
try gcc -O1 -c hello.c -o hello.o
# -m32: often only the compiler is there, without a 32-bit C library, so
# these avoid libc.
try gcc -O1 -m32 -c lib.c -o lib-m32.o
try gcc -O1 -m32 -static -nostdlib bare.c barelib.c -o bare-m32-static
try gcc -O1 -m32 -shared -fPIC -nostdlib -Wl,--version-script=lib.map lib.c -o libseed-m32.so &&
  try gcc -O1 -m32 -nostdlib -fPIE -pie -Wl,--dynamic-linker,/lib/ld-linux.so.2 bare.c libseed-m32.so \
    -o bare-m32-pie
# No section headers: readers must find everything through PT_DYNAMIC.
if [ -f main-runpath ]; then
  try llvm-objcopy --strip-sections main-runpath main-nosections ||
    try /usr/lib/llvm-14/bin/llvm-objcopy --strip-sections main-runpath main-nosections
fi

# --- Other ELF classes and byte orders (clang + lld, no libc needed) ---------
if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
  for t in i386-linux-gnu powerpc64-linux-gnu mips-linux-gnu armv7-linux-gnueabihf riscv64-linux-gnu; do
    try clang --target=$t -O1 -nostdlib -fuse-ld=lld -fPIC -shared barelib.c -o libbare-$t.so &&
      try clang --target=$t -O1 -nostdlib -fuse-ld=lld -fPIE -pie \
        -Wl,--dynamic-linker,/lib/ld-fuzz.so.1 bare.c libbare-$t.so -o bare-$t
  done
fi

# --- aarch64 (cross gcc) -----------------------------------------------------
if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
  # 4 KiB pages: with the default 64 KiB the files are mostly padding and
  # exceed max_seed.
  a64=(aarch64-linux-gnu-gcc -O1 -Wl,-z,max-page-size=0x1000)
  try "${a64[@]}" -shared -fPIC -Wl,--version-script=lib.map lib.c -o libseed-aarch64.so &&
    try "${a64[@]}" main.c -L. -l:libseed-aarch64.so -Wl,-rpath,/opt/a64 -o main-aarch64
  try "${a64[@]}" -no-pie hello.c -o hello-aarch64-nopie
fi

# --- Small system files -------------------------------------------------------
for f in /usr/bin/true /bin/true /usr/lib/x86_64-linux-gnu/libdl.so.2 /lib/x86_64-linux-gnu/libdl.so.2 \
         /usr/lib/x86_64-linux-gnu/libutil.so.1 /usr/lib/x86_64-linux-gnu/Scrt1.o \
         /usr/lib/x86_64-linux-gnu/libpthread.so.0 /usr/lib/x86_64-linux-gnu/librt.so.1; do
  [ -f "$f" ] || continue
  cp -L "$f" "sys-$(basename "$f")" 2>/dev/null || true
done

# --- Sort the ELF files into the ELF corpora ----------------------------------
n_elf=0
for f in *; do
  [ -f "$f" ] || continue
  head -c4 "$f" | cmp -s - <(printf '\177ELF') || continue
  size=$(stat -c %s "$f")
  [ "$size" -le "$max_seed" ] || continue
  cp "$f" "$reader/$f"
  n_elf=$((n_elf + 1))
done

# The editor target reads 4 control bytes before the ELF file (see
# fuzz-elf-editor.cc). Each executable or shared library gets a few prefixes
# that together cover every edit.
prefixes=(
  '\377\020\001\003'   # every edit, 3 NEEDED, clobber, default page size
  '\002\007\000\000'   # 8 DT_NEEDED entries at the front
  '\001\377\006\000'   # a ~2 KiB interpreter, 64 KiB pages
  '\030\001\000\005'   # clear a symbol version, rename two symbols
  '\044\040\021\000'   # DT_RUNPATH and set_execstack, NEEDED at the end
  '\300\003\010\002'   # replace/remove string entries, OS ABI and a note, 512-byte pages
)
n_edit=0
for f in "$reader"/*; do
  type=$(od -An -tx1 -j16 -N2 "$f" | tr -d ' \n')
  # ET_EXEC or ET_DYN, either byte order; the editor refuses everything else.
  case "$type" in 0200|0002|0300|0003) ;; *) continue ;; esac
  for i in 0 1 2; do
    p=${prefixes[$(( (n_edit + i * 2) % ${#prefixes[@]} ))]}
    { printf "$p"; cat "$f"; } > "$editor/$(basename "$f")-$i"
  done
  n_edit=$((n_edit + 1))
done

# --- ld.so: the ELF seeds as the loader sees them; ld.so.cache files ---------
cp "$reader"/* "$ldobject/" 2>/dev/null
# ld.so.cache in its three layouts (new, old, old with new appended), with
# glibc-hwcaps entries, from ldconfig on a small root. (The system's own is
# some 40 KiB: it would slow every execution down for little coverage.)
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
if [ -x "$ldconfig" ] && [ -f libseed.so ]; then
  mkdir -p cache-root/etc cache-root/lib/glibc-hwcaps/x86-64-v2 cache-root/lib/glibc-hwcaps/x86-64-v3
  cp libseed.so cache-root/lib/libseed.so.1
  cp libseed.so cache-root/lib/glibc-hwcaps/x86-64-v2/libseed.so.1
  cp libseed.so cache-root/lib/glibc-hwcaps/x86-64-v3/libseed.so.1
  [ -f sys-libdl.so.2 ] && cp sys-libdl.so.2 cache-root/lib/libdl.so.2
  echo /lib > cache-root/etc/ld.so.conf
  for format in new old compat; do
    try "$ldconfig" -r "$PWD/cache-root" -c $format -C /etc/ld.so.cache.$format &&
      cp cache-root/etc/ld.so.cache.$format "$ldcache/ld.so.cache-$format"
  done
fi
printf 'glibc-ld.so.cache1.1' > "$ldcache/magic-only"

# --- Mach-O ------------------------------------------------------------------
if command -v clang >/dev/null 2>&1; then
  printf 'int f(int x) { return x + 1; }\n' > m.c
  try clang --target=arm64-apple-macos11 -c m.c -o macho-arm64.o
  try clang --target=x86_64-apple-macos11 -c m.c -o macho-x86_64.o
  try clang --target=i386-apple-macos10.10 -c m.c -o macho-i386.o
  lipo=$(command -v llvm-lipo || command -v llvm-lipo-14 || true)
  if [ -n "$lipo" ] && [ -f macho-arm64.o ] && [ -f macho-x86_64.o ]; then
    try "$lipo" -create macho-arm64.o macho-x86_64.o -output macho-fat.o
  fi
fi
# Linked images for the reader: executables, dylibs and bundles from
# ld64.lld-14 (dyld info opcodes) and ld64.lld-19 (chained fixups); the
# arm64 ones carry an ad-hoc signature. arm64 images are 16 KiB-page sized,
# so the fat seeds pair an x86_64 image with an object to stay small.
if command -v ld64.lld-14 >/dev/null 2>&1 && [ -f macho-arm64.o ] && [ -f "$libsystem_tbd" ]; then
  printf 'int f(int);\nint printf(const char *, ...);\nint *p = 0;\nint main(void) { return printf("%%d", f(1)); }\n' > mm.c
  for a in x86_64 arm64; do
    try clang --target=$a-apple-macos11 -c mm.c -o mm-$a.o || continue
    ld14=(ld64.lld-14 -platform_version macos 11.0 11.0 -arch $a)
    try "${ld14[@]}" -dylib -install_name @rpath/libm.dylib -current_version 1.2.3 macho-$a.o \
      "$libsystem_tbd" -o macho-lib14-$a.dylib &&
      try "${ld14[@]}" mm-$a.o macho-lib14-$a.dylib "$libsystem_tbd" -rpath @executable_path/../lib \
        -o macho-exe14-$a
    try "${ld14[@]}" -bundle macho-$a.o "$libsystem_tbd" -o macho-bundle14-$a
    if command -v ld64.lld-19 >/dev/null 2>&1; then
      ld19=(ld64.lld-19 -platform_version macos 13.0 13.0 -arch $a)
      try "${ld19[@]}" -dylib -install_name /usr/lib/libm19.dylib macho-$a.o "$libsystem_tbd" \
        -o macho-lib19-$a.dylib &&
        try "${ld19[@]}" mm-$a.o -weak_library macho-lib19-$a.dylib "$libsystem_tbd" -o macho-exe19-$a
    fi
  done
  if [ -n "${lipo:-}" ] && [ -f macho-exe14-x86_64 ] && [ -f macho-arm64.o ]; then
    try "$lipo" -create macho-exe14-x86_64 macho-arm64.o -output macho-fat-exe
  fi
  lipo19=$(command -v llvm-lipo-19 || true)
  if [ -n "$lipo19" ] && [ -f macho-lib14-x86_64.dylib ] && [ -f macho-arm64.o ]; then
    try "$lipo19" -create -fat64 macho-lib14-x86_64.dylib macho-arm64.o -output macho-fat64-lib
  fi
fi
# Headers by hand: the forms the files above do not cover.
printf '\376\355\372\316\000\000\000\022\000\000\000\000' > macho-be32   # big-endian, PowerPC
printf '\376\355\372\317\001\000\000\022\000\000\000\000' > macho-be64
printf '\312\376\272\277\000\000\000\002' > macho-fat64                  # FAT_MAGIC_64
printf '\312\376\272\276\000\000\000\064\000\003' > java-class             # a Java class file
printf '\317\372\355' > macho-truncated
for f in macho-*; do
  [ -f "$f" ] && cp "$f" "$macho/$f"
done
cp java-class "$macho/"
for f in macho-* java-class; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -le $max_seed ] && cp "$f" "$macho_reader/$f"
done
# The editor edits what the reader reads; the signature target starts from
# the signature blobs of the signed (arm64) images.
mkdir -p "$out/fuzz-macho-editor" "$out/fuzz-code-signature"
cp "$macho_reader"/* "$out/fuzz-macho-editor/"
for f in macho-*-arm64 macho-*-arm64.dylib; do
  [ -f "$f" ] && try python3 - "$f" "$out/fuzz-code-signature/sig-$f" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
ncmds = struct.unpack_from("<I", d, 16)[0]
off = 32
for _ in range(ncmds):
    cmd, size = struct.unpack_from("<II", d, off)
    if cmd == 0x1d:
        dataoff, datasize = struct.unpack_from("<II", d, off + 8)
        open(sys.argv[2], "wb").write(d[dataoff:dataoff + datasize])
    off += size
PY
done
# The Mach-O decoder targets: the opcode streams, export tries and chained
# fixups of those images, cut out in each target's input layout.
mkdir -p "$out/fuzz-macho-dyld-info" "$out/fuzz-macho-export-trie" "$out/fuzz-macho-chained-fixups"
ls macho-lib1* macho-exe1* macho-bundle1* >/dev/null 2>&1 &&
  try python3 "$decoder_seeds" "$out" macho-lib1* macho-exe1* macho-bundle1*

# --- readelf corpus: the ELF seeds, plus objects (relocations, groups) -------
cp "$reader"/* "$readelf/"
for f in *.o; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -le $max_seed ] && cp "$f" "$readelf/obj-$f"
done
printf 'template <class T> T twice(T x) { return x + x; }\nint use(int v) { return twice(v); }\n' > group.cc
if try g++ -c group.cc -o group.o; then cp group.o "$readelf/obj-comdat-groups.o"; fi

# --- File-type corpus: one of each kind ---------------------------------------
for f in "$reader"/*; do
  b=$(basename "$f")
  case "$b" in hello-pie|libseed.so|lib-m32.o|bare-powerpc64-linux-gnu) cp "$f" "$ftype/" ;; esac
done
cp "$macho"/* "$ftype/"
[ -f hello.o ] && try ar rcs archive.a hello.o && cp archive.a "$ftype/"
[ -f hello.o ] && try ar rcsT thin.a hello.o && cp thin.a "$ftype/"
if command -v clang >/dev/null 2>&1 && try clang -c -emit-llvm m.c -o bitcode.bc; then
  cp bitcode.bc "$ftype/"
fi
printf 'GROUP ( /lib/libc.so.6 /usr/lib/libc_nonshared.a )\n' > "$ftype/linker-script"
printf '\033[1mtext with an escape\n' > "$ftype/text-escape"
: > "$ftype/empty"

# --- text-based stubs (fuzz-tbd): the Mach-O tests' stub, and one of each
# other YAML version and the JSON (v5) form, written here.
tbd_seeds=$out/fuzz-tbd
mkdir -p "$tbd_seeds"
cp "$libsystem_tbd" "$tbd_seeds/libSystem-v4.tbd"
cat > "$tbd_seeds/v3.tbd" <<'TBD'
--- !tapi-tbd-v3
archs: [ x86_64, arm64 ]
platform: macosx
install-name: '/usr/lib/libfoo.dylib'
current-version: 2.1
compatibility-version: 1.0
exports:
  - archs: [ x86_64, arm64 ]
    re-exports: [ '/usr/lib/libbar.dylib' ]
    symbols: [ _foo, _bar ]
...
TBD
cat > "$tbd_seeds/umbrella-v4.tbd" <<'TBD'
--- !tapi-tbd
tbd-version: 4
targets: [ arm64-macos ]
install-name: '/usr/lib/libSystem.B.dylib'
reexported-libraries:
  - targets: [ arm64-macos ]
    libraries: [ '/usr/lib/system/libsystem_c.dylib' ]
--- !tapi-tbd
tbd-version: 4
targets: [ arm64-macos ]
install-name: '/usr/lib/system/libsystem_c.dylib'
exports:
  - targets: [ arm64-macos ]
    symbols: [ _printf ]
...
TBD
cat > "$tbd_seeds/v5.tbd" <<'TBD'
{"tapi_tbd_version": 5, "main_library": {"target_info": [{"target": "arm64-macos"}],
 "install_names": [{"name": "/usr/lib/libjson.dylib"}],
 "reexported_libraries": [{"names": ["/usr/lib/libother.dylib"]}]}}
TBD

echo "make-seeds: $n_elf ELF seeds, $n_edit editable ($(ls "$editor" | wc -l) editor seeds)," \
     "$(ls "$ldcache" | wc -l) ld.so.cache seeds, $(ls "$macho" | wc -l) Mach-O seeds, $(ls "$ftype" | wc -l) file-type seeds in $out"
if [ ${#skipped[@]} -gt 0 ]; then
  echo "make-seeds: skipped (failed or unavailable):"
  printf '  %s\n' "${skipped[@]}"
fi
exit 0
