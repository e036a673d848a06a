#!/usr/bin/env python3
# Acceptance check (issue 6, point 1, the decoders): `linkbox readdyn` prints the rebase, bind,
# lazy-bind and weak-bind opcodes, the export trie, the indirect symbols, and the chained fixups of
# Mach-O files exactly as llvm-objdump does, on a corpus of binaries generated here:
#   - arm64 and x86_64; executables and dylibs; classic dyld info (ld64.lld-14) and chained fixups
#     (ld64.lld-19, macOS 13); universal files of both arches (llvm-lipo);
#   - sources that exercise: lazy binds, binds with addends (inline, 32-bit import addends and
#     64-bit ones), weak imports, weak definitions that override and strong definitions that
#     override weak ones (the weak-bind table's "strong" lines), thread-local variables, absolute
#     symbols, more than 15 dylibs (BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB), flat-namespace lookups
#     (-undefined dynamic_lookup), long pointer arrays (the repeat and skip opcodes), frameworks.
#
# Oracles: llvm-objdump-14 --macho --arch=all for --rebase --bind --lazy-bind --weak-bind
# --indirect-symbols, and --exports-trie of classic files (14 does not read LC_DYLD_EXPORTS_TRIE);
# llvm-objdump-19 --macho --arch=all for all of those plus --exports-trie, --chained-fixups and
# --dyld-info. Outputs are compared byte for byte, whole, per file and oracle; a mismatch is
# re-run option by option to name the table that differs.
#
# Known llvm-objdump 19 bug, filtered out and counted: for DYLD_CHAINED_IMPORT_ADDEND64 imports it
# reads name_offset from bit 16 (one bit wide) and weak_import from bits 17..63, so it prints wrong
# names and weak_import values for them (and in --dyld-info, wrong symbol names and a dylib column
# sized by them). For such files the import lines weak_import/name_offset and, in --dyld-info, the
# columns after the addend are left out of the comparison; the rest must still match.
#
# With --reader-corpus, the corpus of the reader's parity script (test/corpus/macho-parity.py:
# objects, bundles, weak, re-exported, upward and lazy dylibs, fat64 files...) is generated too and
# compared the same way.
#
# Usage: macho-decoders-parity.py [--keep DIR] [--reader-corpus] [--report-json OUT] [--show N]
# Environment: LINKBOX (default /work/main/build/linkbox).
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(os.path.dirname(HERE), "macho", "Inputs")
LIBSYSTEM = os.path.join(INPUTS, "libSystem.tbd")
ARCHES = ["arm64", "x86_64"]
LINKERS = {
    "classic": ["ld64.lld-14", "-platform_version", "macos", "11.0", "11.0"],
    "chained": ["ld64.lld-19", "-platform_version", "macos", "13.0", "13.0"],
}
OBJDUMP14, OBJDUMP19 = "llvm-objdump-14", "llvm-objdump-19"
CLASSIC_OPTIONS = ["--indirect-symbols", "--rebase", "--bind", "--lazy-bind", "--weak-bind"]
CHAINED_OPTIONS = ["--dyld-info", "--chained-fixups"]

# Sources ------------------------------------------------------------------------------------------
# No Darwin headers here: sources declare what they use.

DEP_C = r"""
int ext_arr[200];
int maybe;
int dep_var = 1;
__attribute__((weak)) int overridable(void) { return 5; }
__attribute__((weak)) int weak_in_dep = 9;
int dep_fn(int x) { return x + ext_arr[0]; }
int optional_fn(void) { return 0; }
"""

FRAMEWORK_C = r"""
int fw_fn(void) { return 42; }
int fw_var = 4;
"""

SMALL_LIB_C = r"""
int lib%(n)02d_fn(int x) { return x + %(n)d; }
int lib%(n)02d_var = %(n)d;
"""

VARIANTS = {
    # Calls through stubs (lazy binds), globals of a dylib, a framework.
    "basic": r"""
int printf(const char *, ...);
int puts(const char *);
extern int dep_var;
int dep_fn(int);
int fw_fn(void);
int counter;
int *counter_ptr = &counter;
int entry(void) { puts("hi"); return printf("%d\n", dep_fn(dep_var) + fw_fn()) + *counter_ptr; }
""",
    # Pointers in data: runs of rebases (the repeat and skip opcodes), binds with inline and
    # 32-bit addends, weak imports.
    "data": r"""
extern int ext_arr[];
extern int maybe __attribute__((weak_import));
extern int optional_fn(void) __attribute__((weak_import));
static int locals[64];
int *table[40] = {
  &locals[0], &locals[1], &locals[2], &locals[3], &locals[4], &locals[5], &locals[6], &locals[7],
  &locals[8], &locals[9], &locals[10], &locals[11], &locals[12], &locals[13], &locals[14], &locals[15],
  &locals[16], &locals[17], &locals[18], &locals[19], &locals[20], &locals[21], &locals[22], &locals[23],
  &locals[24], &locals[25], &locals[26], &locals[27], &locals[28], &locals[29], &locals[30], &locals[31],
  &locals[32], &locals[33], &locals[34], &locals[35], &locals[36], &locals[37], &locals[38], &locals[39]};
struct pair { int *p; long n; } pairs[6] = {
  {&locals[40], 1}, {&locals[41], 2}, {&locals[42], 3}, {&locals[43], 4}, {&locals[44], 5}, {&locals[45], 6}};
int *small_addend = &ext_arr[3];
int *medium_addend = &ext_arr[150];
int *ext_plain = ext_arr;
int *weak_imported = &maybe;
int (*weak_fn_ptr)(void) = optional_fn;
int entry(void) { return *table[3] + (int)pairs[2].n + *small_addend + (weak_fn_ptr ? weak_fn_ptr() : 0); }
""",
    # Weak definitions: one that overrides the dylib's weak one, a strong one that does (the
    # weak-bind table's "strong" entries), and uses of a weak definition of the dylib.
    "weak": r"""
extern int weak_in_dep;
__attribute__((weak)) int mine_weak(void) { return 1; }
int overridable(void) { return 2; }
__attribute__((weak)) int weak_in_dep = 3;
int *weak_ptr = &weak_in_dep;
int (*fn_ptr)(void) = mine_weak;
int entry(void) { return overridable() + mine_weak() + *weak_ptr + fn_ptr(); }
""",
    # Thread-local variables (exported per-thread, __thread_ptrs) and an absolute symbol.
    "tls": r"""
int printf(const char *, ...);
__thread int tls_counter = 3;
__thread long tls_zero;
int entry(void) { return printf("%d %ld\n", tls_counter, tls_zero); }
__asm__(".globl _absolute_value\n_absolute_value = 0x1234\n");
""",
    # More than fifteen dylibs: ordinals that need BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB.
    "many": "\n".join(["int lib%02d_fn(int);\nextern int lib%02d_var;" % (n, n) for n in range(1, 18)]) +
    "\nint entry(void) { int s = 0;\n" +
    "\n".join(["  s += lib%02d_fn(lib%02d_var);" % (n, n) for n in range(1, 18)]) + "\n  return s; }\n" +
    "int *var_ptrs[] = {" + ", ".join(["&lib%02d_var" % n for n in range(1, 18)]) + "};\n",
    # Flat-namespace lookups: undefined symbols left to dyld (-undefined dynamic_lookup).
    "flat": r"""
extern int nowhere_var;
int nowhere_fn(int);
int *flat_ptr = &nowhere_var;
int entry(void) { return nowhere_fn(*flat_ptr); }
""",
    # A 64-bit addend: chained fixups need DYLD_CHAINED_IMPORT_ADDEND64 (see the known bug above).
    "addend64": r"""
extern int ext_arr[];
char *far_ptr = (char *)ext_arr + 0x100000000L;
int *near_ptr = &ext_arr[1];
int entry(void) { return *near_ptr; }
""",
}
MAIN_C = "int entry(void);\nint main(void) { return entry(); }\n"

# Build --------------------------------------------------------------------------------------------


def sh(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stdout.decode(errors="replace")))


def cc(work, arch, src_name, text):
    src = os.path.join(work, src_name + ".c")
    with open(src, "w") as f:
        f.write(text)
    obj = os.path.join(work, "%s-%s.o" % (src_name, arch))
    sh([os.path.join(INPUTS, "macho-cc"), arch, "-c", src, "-o", obj], work)
    return obj


def link(work, flavour, arch, out, objs, extra):
    sh(LINKERS[flavour] + ["-arch", arch] + objs + extra + [LIBSYSTEM, "-o", out], work)
    return out


def build_corpus(work):
    """Builds everything; returns a list of (path, flavour)."""
    corpus = []
    for arch in ARCHES:
        dep_o = cc(work, arch, "dep", DEP_C)
        fw_o = cc(work, arch, "fw", FRAMEWORK_C)
        small_os = [cc(work, arch, "lib%02d" % n, SMALL_LIB_C % {"n": n}) for n in range(1, 18)]
        main_o = cc(work, arch, "main", MAIN_C)
        variant_os = {name: cc(work, arch, name, text) for name, text in VARIANTS.items()}
        for flavour in LINKERS:
            d = os.path.join(work, flavour, arch)
            os.makedirs(os.path.join(d, "Fw.framework", "Versions", "A"), exist_ok=True)
            dep = link(work, flavour, arch, os.path.join(d, "libdep.A.dylib"), [dep_o],
                       ["-dylib", "-install_name", "/usr/lib/libdep.A.dylib"])
            fw = link(work, flavour, arch, os.path.join(d, "Fw.framework", "Versions", "A", "Fw"), [fw_o],
                      ["-dylib", "-install_name", "@rpath/Fw.framework/Versions/A/Fw"])
            corpus += [(dep, flavour), (fw, flavour)]
            smalls = []
            for n, o in enumerate(small_os, 1):
                smalls.append(link(work, flavour, arch, os.path.join(d, "lib%02d.dylib" % n), [o],
                                   ["-dylib", "-install_name", "@rpath/lib%02d_debug.dylib" % n]))
            corpus += [(smalls[0], flavour), (smalls[-1], flavour)]
            for name, obj in variant_os.items():
                deps = [dep, fw] + (smalls if name == "many" else [])
                extra = ["-undefined", "dynamic_lookup"] if name == "flat" else []
                exe = link(work, flavour, arch, os.path.join(d, name), [obj, main_o], deps + extra)
                dylib = link(work, flavour, arch, os.path.join(d, "lib%s.dylib" % name), [obj],
                             ["-dylib", "-install_name", "@rpath/lib%s.dylib" % name] + deps + extra)
                corpus += [(exe, flavour), (dylib, flavour)]
    # Universal files of both arches.
    for flavour in LINKERS:
        for name in ["basic", "data", "weak", "tls"]:
            for stem in [name, "lib%s.dylib" % name]:
                out = os.path.join(work, flavour, "fat-" + stem)
                sh(["llvm-lipo-14", "-create"] + [os.path.join(work, flavour, a, stem) for a in ARCHES] +
                   ["-output", out], work)
                corpus.append((out, flavour))
    return corpus


# Compare ------------------------------------------------------------------------------------------

_ADDEND64_RE = re.compile(r"^dyld chained import addend64\[")


def filter_addend64_bug(text):
    """Drops what llvm-objdump 19 gets wrong about DYLD_CHAINED_IMPORT_ADDEND64 imports (see the
    header): their weak_import and name_offset lines, and the dylib and symbol columns of
    --dyld-info's bind rows (whose width depends on those names)."""
    out, in_import, in_dyld_info = [], False, False
    for line in text.splitlines():
        if _ADDEND64_RE.match(line):
            in_import = True
        elif not line.startswith("  "):
            in_import = False
        if line == "dyld information:":
            in_dyld_info = True
            out.append(line)
            continue
        if in_dyld_info:
            fields = line.split()
            if len(fields) >= 6 and fields[4] in ("bind", "rebase", "type"):
                out.append(" ".join(fields[:6] if fields[4] != "rebase" else fields))
                continue
            in_dyld_info = False
        if in_import and (line.startswith("  weak_import") or line.startswith("  name_offset")):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def uses_addend64(path):
    p = corpus_common.run([OBJDUMP19, "--macho", "--arch=all", "--chained-fixups", path])
    return b"imports_format = 3" in p.stdout


def run_text(cmd):
    p = corpus_common.run(cmd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def compare(linkbox, oracle, path, options, addend64):
    """Returns None when linkbox and the oracle print the same, else a description."""
    rc_l, out_l, err_l = run_text([linkbox, "readdyn"] + options + [path])
    rc_o, out_o, err_o = run_text([oracle, "--macho", "--arch=all"] + options + [path])
    if addend64:
        out_l, out_o = filter_addend64_bug(out_l), filter_addend64_bug(out_o)
    if rc_l == 0 and rc_o == 0 and out_l == out_o:
        return None
    # Name the options that differ.
    bad = []
    for opt in options:
        _, a, _ = run_text([linkbox, "readdyn", opt, path])
        _, b, _ = run_text([oracle, "--macho", "--arch=all", opt, path])
        if addend64:
            a, b = filter_addend64_bug(a), filter_addend64_bug(b)
        if a != b:
            bad.append(opt)
    return {"options": bad or options, "linkbox_exit": rc_l, "oracle_exit": rc_o,
            "linkbox_stderr": err_l[-500:], "oracle_stderr": err_o[-500:]}


def filetype(path):
    """MH_EXECUTE, MH_DYLIB, ... of the file (its first slice when universal)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    magic = struct.unpack_from(">I", head, 0)[0]
    if magic in (0xcafebabe, 0xcafebabf):
        offset = struct.unpack_from(">Q" if magic == 0xcafebabf else ">I", head, 16)[0]  # first fat_arch(_64)
        with open(path, "rb") as f:
            f.seek(offset)
            head = f.read(16)
    return {1: "objects", 2: "executables", 6: "dylibs", 8: "bundles"}.get(struct.unpack_from("<I", head, 12)[0], "other")


def slices(path):
    p = corpus_common.run(["llvm-lipo-14", "-archs", path])
    return p.stdout.decode().split() if p.returncode == 0 else ["?"]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--keep", help="build the corpus in DIR and keep it")
    ap.add_argument("--reader-corpus", action="store_true",
                    help="also compare on the corpus of test/corpus/macho-parity.py")
    ap.add_argument("--report-json")
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="macho-decoders-")
    os.makedirs(work, exist_ok=True)
    linkbox = corpus_common.snapshot_linkbox(os.path.join(work, "linkbox"))
    corpus = build_corpus(work)
    if args.reader_corpus:
        import importlib.util
        spec = importlib.util.spec_from_file_location("macho_parity", os.path.join(HERE, "macho-parity.py"))
        macho_parity = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(macho_parity)
        reader_dir = os.path.join(work, "reader-corpus")
        entries, failures = macho_parity.generate(reader_dir, log=lambda *a: None)
        for e in entries:
            path = e["path"] if os.path.isabs(e["path"]) else os.path.join(reader_dir, e["path"])
            corpus.append((path, "chained" if e.get("fixups") == "chained-fixups" else "classic"))
        if failures:
            print("reader corpus: %d build steps failed and were skipped" % len(failures))

    results = []
    stats = {"files": 0, "slices": 0, "arm64": 0, "x86_64": 0, "fat": 0, "classic": 0, "chained": 0,
             "executables": 0, "dylibs": 0, "bundles": 0, "objects": 0, "other": 0, "addend64_filtered": 0}
    checks = {"llvm-objdump-14": [0, 0], "llvm-objdump-19": [0, 0]}
    for path, flavour in corpus:
        archs = slices(path)
        stats["files"] += 1
        stats["slices"] += len(archs)
        for a in archs:
            stats[a] = stats.get(a, 0) + 1
        stats["fat"] += len(archs) > 1
        stats[flavour] += 1
        stats[filetype(path)] += 1
        addend64 = flavour == "chained" and uses_addend64(path)
        stats["addend64_filtered"] += addend64
        rel = os.path.relpath(path, work)
        opts14 = CLASSIC_OPTIONS + (["--exports-trie"] if flavour == "classic" else [])
        opts19 = CLASSIC_OPTIONS + ["--exports-trie"] + CHAINED_OPTIONS
        for oracle, opts in (("llvm-objdump-14", opts14), ("llvm-objdump-19", opts19)):
            bad = compare(linkbox, OBJDUMP14 if oracle.endswith("14") else OBJDUMP19, path, opts, addend64)
            checks[oracle][0] += 1
            if bad is None:
                checks[oracle][1] += 1
            else:
                results.append({"file": rel, "oracle": oracle, **bad})

    print("corpus: %(files)d files, %(slices)d slices (arm64 %(arm64)d, x86_64 %(x86_64)d), "
          "%(fat)d universal, %(classic)d classic (ld64.lld-14) + %(chained)d chained (ld64.lld-19), "
          "%(executables)d executables, %(dylibs)d dylibs, %(bundles)d bundles, %(objects)d objects" % stats)
    for oracle, (n, ok) in checks.items():
        print("%s: %d/%d files print the same" % (oracle, ok, n))
    print("files compared modulo llvm-objdump 19's DYLD_CHAINED_IMPORT_ADDEND64 bug: %d"
          % stats["addend64_filtered"])
    for r in results[:args.show]:
        print("MISMATCH %s vs %s: %s" % (r["file"], r["oracle"], " ".join(r["options"])))
        if r["linkbox_stderr"] or r["oracle_stderr"]:
            print("  linkbox: %s\n  oracle: %s" % (r["linkbox_stderr"].strip(), r["oracle_stderr"].strip()))
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"stats": stats, "checks": checks, "mismatches": results}, f, indent=1)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if results else 0


if __name__ == "__main__":
    sys.exit(main())
