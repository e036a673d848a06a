#!/usr/bin/env python3
"""Acceptance check for the Mach-O reader: `linkbox readdyn --json` agrees with
`llvm-objdump --macho --private-headers --arch=all` on every load command of a
corpus of Mach-O files generated here (there are no Mach-O files on this
machine to read).

The corpus (generate() below; at least 30 files): arm64 and x86_64; objects,
executables, dylibs and bundles; ld64.lld-14 (classic LC_DYLD_INFO opcodes) and
ld64.lld-19 (chained fixups, macOS 13); plain, weak (-weak_library) and
re-exported (-reexport_library) dependencies, plus upward and lazy ones (ld64.lld
cannot write those, so they are patched in: LC_LOAD_DYLIB's cmd number
rewritten); rpaths; -headerpad_max_install_names; rebases, binds, lazy binds,
weak binds (weak definitions), thread-local variables and a large export trie;
fat files from llvm-lipo-14 (an executable, a dylib, a bundle) and a 64-bit fat
header from llvm-lipo-19 -fat64. Every file is listed with what it exercises in
DIR/manifest.json, so other parity scripts (the dyld-info, export-trie and
chained-fixup decoders) can reuse the corpus:

    macho-parity.py --out DIR --generate-only     # write the corpus and stop
    import macho_parity; macho_parity.generate(DIR)  (load it with importlib)

Compared, for every slice: the header (file type, ncmds, sizeofcmds, flags),
every load command's name and cmdsize in order; segments (name, addresses,
sizes, file ranges, protections, section count) and their sections (names,
addr, size, offset, align, reloff, nreloc, reserved1, reserved2); dylib
commands (kind, name, versions, timestamp); LC_ID_DYLIB; rpaths; the dylinker;
the UUID; LC_BUILD_VERSION (platform, minos, sdk, tools) and LC_VERSION_MIN_*;
LC_MAIN; LC_SYMTAB; LC_DYSYMTAB; LC_DYLD_INFO(_ONLY); and every
linkedit_data_command (dataoff, datasize).

Usage: macho-parity.py [--out DIR] [--generate-only] [--small] [--files FILE...]
                       [--linkbox PATH] [--oracles TOOL...] [--report-json OUT]
Environment: LINKBOX (default /work/main/build/linkbox) when --linkbox is not given.
Exit status 0 when every slice agrees with every oracle, 1 otherwise.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "..", "macho", "Inputs")
MACHO_CC = os.path.join(INPUTS, "macho-cc")
LIBSYSTEM = os.path.join(INPUTS, "libSystem.tbd")
LD14 = ["ld64.lld-14", "-platform_version", "macos", "11.0", "11.0"]
LD19 = ["ld64.lld-19", "-platform_version", "macos", "13.0", "13.0"]
ARCHES = ["arm64", "x86_64"]

# --- Sources ------------------------------------------------------------------

BASE_C = r"""
int printf(const char *, ...);
int base_value = 7;
int base_get(void) { return base_value; }
int base_print(int x) { return printf("base %d\n", x); }
__attribute__((weak)) int base_weak(void) { return 1; }
"""

DEP_C = r"""
int dep_%(name)s(void) { return %(n)d; }
"""

FOO_C = r"""
int printf(const char *, ...);
int puts(const char *);
int base_get(void);
int base_print(int);
int dep_weakdep(void);
int dep_reexp(void);
extern int base_value;
int *foo_ptr = &base_value;                 /* a bind in __DATA */
int (*foo_fn)(void) = base_get;             /* another */
static int local = 3;
int *foo_local_ptr = &local;                /* a rebase */
__attribute__((weak)) int foo_weak(void) { return 2; }
int foo(int x) { return base_print(x) + dep_weakdep() + dep_reexp() + puts("foo") + *foo_ptr + foo_fn(); }
%(exports)s
"""

MAIN_C = r"""
int printf(const char *, ...);
int foo(int);
int base_get(void);
int base_weak(void);
int foo_weak(void);
int foo_weak(void) { return 5; }     /* overrides libfoo's weak definition: a weak bind */
static const char *names[] = { "a", "b", "c" };
const char **names_ptr = names;      /* rebases */
int main(int argc, char **argv) {
  (void)argv;
  printf("%d %s\n", foo(argc) + base_get() + base_weak() + foo_weak(), names_ptr[argc % 3]);
  return 0;
}
"""

TLV_C = r"""
int printf(const char *, ...);
_Thread_local int counter = 4;
_Thread_local int zero;
int main(void) { counter++; zero++; return printf("%d\n", counter + zero); }
"""

BUNDLE_C = r"""
int base_get(void);
int plugin_entry(void) { return base_get() + 1; }
"""


def foo_exports(small):
    """Many exported names with shared prefixes: an export trie with real depth."""
    n = 8 if small else 60
    return "\n".join("int foo_export_%s_%d(void) { return %d; }" % (["alpha", "beta", "gamma"][i % 3], i, i)
                     for i in range(n))


# --- Generation -----------------------------------------------------------------

class Builder:
    def __init__(self, out, log):
        self.out = out
        self.log = log
        self.entries = []
        self.failures = []

    def run(self, cmd, what):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.out)
        if p.returncode != 0:
            self.failures.append((what, " ".join(cmd), p.stderr.decode(errors="replace").strip()[:400]))
            return False
        return True

    def write(self, name, text):
        with open(os.path.join(self.out, name), "w") as f:
            f.write(text)

    def add(self, name, **attrs):
        attrs["path"] = name
        self.entries.append(attrs)


def have(tool):
    return shutil.which(tool) is not None


def patch_dylib_cmd(path, out, install_name, new_cmd):
    """Copies a thin little-endian Mach-O file, turning the LC_LOAD_DYLIB of
    `install_name` into `new_cmd` (LC_LOAD_UPWARD_DYLIB or LC_LAZY_LOAD_DYLIB,
    which ld64.lld cannot write; the command's layout is the same)."""
    d = bytearray(open(path, "rb").read())
    magic, = struct.unpack_from("<I", d, 0)
    off = 32 if magic == 0xfeedfacf else 28
    ncmds, = struct.unpack_from("<I", d, 16)
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", d, off)
        if cmd == 0xc:
            name_off, = struct.unpack_from("<I", d, off + 8)
            name = bytes(d[off + name_off:off + size]).split(b"\0")[0].decode()
            if name == install_name:
                struct.pack_into("<I", d, off, new_cmd)
                open(out, "wb").write(d)
                return True
        off += size
    return False


def generate(out, small=False, log=print):
    """Writes the corpus into `out` (created if needed) and its manifest,
    out/manifest.json: a list of {path, arches, filetype, linker, fixups,
    features}. Returns (entries, failures): failures lists the build steps that
    did not work (a missing ld64.lld-19, say), which are skipped."""
    os.makedirs(out, exist_ok=True)
    b = Builder(out, log)
    linkers = [("lld14", LD14, "dyld-info")]
    if have("ld64.lld-19"):
        linkers.append(("lld19", LD19, "chained-fixups"))
    arches = ARCHES
    b.write("base.c", BASE_C)
    b.write("weakdep.c", DEP_C % {"name": "weakdep", "n": 1})
    b.write("reexp.c", DEP_C % {"name": "reexp", "n": 2})
    b.write("foo.c", FOO_C % {"exports": foo_exports(small)})
    b.write("main.c", MAIN_C)
    b.write("tlv.c", TLV_C)
    b.write("bundle.c", BUNDLE_C)
    sources = ["base", "weakdep", "reexp", "foo", "main", "tlv", "bundle"]
    for arch in arches:
        for src in sources:
            b.run([MACHO_CC, arch, "-O1", "-c", src + ".c", "-o", "%s-%s.o" % (src, arch)], "compile %s %s" % (src, arch))
        if b.run(["cp", "foo-%s.o" % arch, "object-%s.o" % arch], "copy object"):
            b.add("object-%s.o" % arch, arches=[arch], filetype="object", linker="clang-14", fixups="none",
                  features=["relocations"])

    built = {}  # (linker, arch, name) -> path
    for lname, ld, fixups in linkers:
        if small and lname == "lld19":
            arches_here = ["arm64"]
        else:
            arches_here = arches
        for arch in arches_here:
            d = "%s-%s" % (lname, arch)
            os.makedirs(os.path.join(out, d), exist_ok=True)
            common = ld + ["-arch", arch]
            o = lambda src: "%s-%s.o" % (src, arch)  # noqa: E731
            p = lambda name: "%s/%s" % (d, name)  # noqa: E731

            def link(name, args, filetype, features):
                if b.run(common + args + [LIBSYSTEM, "-o", p(name)], "link %s %s" % (p(name), lname)):
                    built[(lname, arch, name)] = p(name)
                    b.add(p(name), arches=[arch], filetype=filetype, linker=lname, fixups=fixups, features=features)
                    return True
                return False

            link("libbase.dylib", ["-dylib", "-install_name", "@rpath/libbase.dylib", "-current_version", "1.2.3",
                                   "-compatibility_version", "1.0", o("base")], "dylib",
                 ["install-name", "weak-definition", "lazy-bind"])
            if small:
                link("libfoo.dylib", ["-dylib", "-install_name", "@rpath/libfoo.dylib", "-current_version", "4.5",
                                      "-compatibility_version", "4.0", o("foo"), o("weakdep"), o("reexp"),
                                      p("libbase.dylib"), "-rpath", "@loader_path"],
                     "dylib", ["rpath", "bind", "rebase", "exports-trie"])
            else:
                link("libweakdep.dylib", ["-dylib", "-install_name", "/opt/corpus/lib/libweakdep.dylib",
                                          "-current_version", "2.0.1", o("weakdep")], "dylib", ["install-name"])
                link("libreexp.dylib", ["-dylib", "-install_name", "@loader_path/libreexp.dylib", o("reexp")],
                     "dylib", ["install-name"])
                link("libfoo.dylib", ["-dylib", "-install_name", "@rpath/libfoo.dylib", "-current_version", "4.5",
                                      "-compatibility_version", "4.0", o("foo"), p("libbase.dylib"),
                                      "-weak_library", p("libweakdep.dylib"), "-reexport_library",
                                      p("libreexp.dylib"), "-rpath", "@loader_path/../lib"],
                     "dylib", ["weak-dylib", "reexport-dylib", "rpath", "bind", "rebase", "weak-definition",
                               "exports-trie"])
            link("main", [o("main"), p("libfoo.dylib"), p("libbase.dylib"), "-rpath", "@executable_path/../lib",
                          "-rpath", "/opt/corpus/lib"], "execute",
                 ["rpath", "bind", "lazy-bind", "rebase", "weak-bind", "entry-point"])
            if small:
                continue
            link("main-weak", [o("main"), p("libfoo.dylib"), "-weak_library", p("libbase.dylib")], "execute",
                 ["weak-dylib", "weak-import", "weak-bind"])
            link("main-headerpad", [o("main"), p("libfoo.dylib"), p("libbase.dylib"),
                                    "-headerpad_max_install_names", "-rpath", "@executable_path"], "execute",
                 ["headerpad"])
            link("main-tlv", [o("tlv")], "execute", ["thread-local"])
            link("plugin.bundle", ["-bundle", o("bundle"), p("libbase.dylib")], "bundle", ["bundle"])
            # Upward and lazy dylibs: ld64.lld cannot write them.
            if (lname, arch, "main") in built:
                src = os.path.join(out, p("main"))
                for kind, cmd, dylib in (("upward", 0x80000023, "@rpath/libbase.dylib"),
                                         ("lazy", 0x20, "@rpath/libfoo.dylib")):
                    name = "main-%s" % kind
                    if patch_dylib_cmd(src, os.path.join(out, p(name)), dylib, cmd):
                        b.add(p(name), arches=[arch], filetype="execute", linker=lname, fixups=fixups,
                              features=["%s-dylib" % kind, "patched"])
                        # The signature no longer matches the patched header; the
                        # reader does not care.

    # Fat files: both arches of one linker's output.
    os.makedirs(os.path.join(out, "fat"), exist_ok=True)
    for lname, _, fixups in linkers:
        names = ["main", "libfoo.dylib"] if small else ["main", "libfoo.dylib", "plugin.bundle"]
        for name in names:
            slices = [built.get((lname, a, name)) for a in arches]
            if None in slices:
                continue
            dest = "fat/%s-%s" % (lname, name)
            if b.run(["llvm-lipo-14", "-create"] + slices + ["-output", dest], "lipo " + dest):
                b.add(dest, arches=list(arches), filetype=next(e["filetype"] for e in b.entries if e["path"] == slices[0]),
                      linker=lname, fixups=fixups, features=["fat"])
    if not small and have("llvm-lipo-19"):
        slices = [built.get(("lld14", a, "libfoo.dylib")) for a in arches]
        if None not in slices:
            dest = "fat/lld14-libfoo-fat64.dylib"
            if b.run(["llvm-lipo-19", "-create", "-fat64"] + slices + ["-output", dest], "lipo -fat64"):
                b.add(dest, arches=list(arches), filetype="dylib", linker="lld14", fixups="dyld-info",
                      features=["fat", "fat64"])
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(b.entries, f, indent=1)
    return b.entries, b.failures


# --- llvm-objdump --macho --private-headers ----------------------------------------

_SLICE_RE = re.compile(r"^(.*) \(architecture (\S+)\):$")


def parse_version(text):
    """'11.0' / '1.2.3' / 'n/a' as a 3-tuple."""
    if text in ("n/a", ""):
        return (0, 0, 0)
    parts = [int(x) for x in text.split(".")]
    return tuple((parts + [0, 0, 0])[:3])


def first_int(text):
    tok = text.split()[0]
    return int(tok, 0)


def parse_objdump(text, path):
    """Slices of `llvm-objdump --macho --private-headers --arch=all` output:
    a list of {arch, header: {...}, commands: [{cmd, fields: [(key, value)],
    sections: [[(key, value)]]}]}."""
    slices = []
    cur = None
    block = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = _SLICE_RE.match(line)
        if m or line == path + ":":
            cur = {"arch": m.group(2) if m else None, "header": None, "commands": []}
            slices.append(cur)
            block = None
            continue
        if cur is None:
            continue
        s = line.strip()
        if s == "Mach header":
            i += 1  # the column titles
            f = lines[i].split()
            i += 1
            cur["header"] = {"filetype": f[4], "ncmds": int(f[5]), "sizeofcmds": int(f[6]), "flags": f[7:]}
            continue
        if re.match(r"^Load command \d+$", s):
            block = {"fields": [], "sections": []}
            cur["commands"].append(block)
            continue
        if s == "Section" and block is not None:
            block["sections"].append([])
            continue
        if block is None or not s:
            continue
        key, _, value = s.partition(" ")
        # Multi-word keys of llvm-objdump's dylib commands.
        for k in ("time stamp", "current version", "compatibility version"):
            if s.startswith(k + " "):
                key, value = k, s[len(k) + 1:]
        target = block["sections"][-1] if block["sections"] else block["fields"]
        target.append((key, value.strip()))
    for sl in slices:
        for c in sl["commands"]:
            c["cmd"] = dict(c["fields"]).get("cmd")
    return slices


def fields_of(block):
    """The fields of a load command block as a dict; repeated keys (build tools) as lists."""
    out = {}
    for k, v in block:
        if k in out:
            if not isinstance(out[k], list):
                out[k] = [out[k]]
            out[k].append(v)
        else:
            out[k] = v
    return out


# --- Comparison --------------------------------------------------------------------

DYLIB_KIND = {"LC_LOAD_DYLIB": "load", "LC_LOAD_WEAK_DYLIB": "weak", "LC_REEXPORT_DYLIB": "reexport",
              "LC_LAZY_LOAD_DYLIB": "lazy", "LC_LOAD_UPWARD_DYLIB": "upward"}
TOOL_NUMBERS = {"clang": 1, "swift": 2, "ld": 3, "lld": 4}
PLATFORM_NUMBERS = {"macos": 1, "ios": 2, "tvos": 3, "watchos": 4, "bridgeos": 5, "macCatalyst": 6,
                    "maccatalyst": 6, "iossimulator": 7, "tvossimulator": 8, "watchossimulator": 9,
                    "driverkit": 10}
LINKEDIT_CMDS = {"LC_CODE_SIGNATURE", "LC_SEGMENT_SPLIT_INFO", "LC_FUNCTION_STARTS", "LC_DATA_IN_CODE",
                 "LC_DYLIB_CODE_SIGN_DRS", "LC_LINKER_OPTIMIZATION_HINT", "LC_DYLD_EXPORTS_TRIE",
                 "LC_DYLD_CHAINED_FIXUPS"}


def prot_text(v):
    return ("r" if v & 1 else "-") + ("w" if v & 2 else "-") + ("x" if v & 4 else "-")


def tool_number(name):
    if name in TOOL_NUMBERS:
        return TOOL_NUMBERS[name]
    m = re.match(r"tool (\d+)$", name)
    return int(m.group(1)) if m else name


def objdump_tool(text):
    t = text.lower()
    if t in TOOL_NUMBERS:
        return TOOL_NUMBERS[t]
    return int(text, 0)


def objdump_platform(text):
    return PLATFORM_NUMBERS.get(text, None) if not text[0].isdigit() else int(text, 0)


def compare_slice(lb, od):
    """Disagreements between one linkbox JSON slice and one objdump slice, as
    a list of strings."""
    diffs = []

    def check(what, a, b):
        if a != b:
            diffs.append("%s: linkbox %r, objdump %r" % (what, a, b))

    h = od["header"]
    if h is None:
        return ["objdump printed no header"]
    check("filetype", lb["filetype"].upper(), h["filetype"])
    check("ncmds", len(lb["load_commands"]), h["ncmds"])
    # llvm-objdump spells one flag with its prefix (MH_HAS_TLV_DESCRIPTORS).
    check("flags", lb["flags"], [re.sub(r"^MH_", "", f) for f in h["flags"] if f != "(none)"])
    check("load command names", [c["cmd"] for c in lb["load_commands"]], [c["cmd"] for c in od["commands"]])
    if len(lb["load_commands"]) != len(od["commands"]):
        return diffs
    segs = iter(lb["segments"])
    dylibs = iter(lb["dylibs"])
    rpaths = iter(lb["rpaths"])
    linkedit = iter(lb["linkedit_data"])
    for idx, (lc, oc) in enumerate(zip(lb["load_commands"], od["commands"])):
        f = fields_of(oc["fields"])
        where = "load command %d (%s)" % (idx, lc["cmd"])
        check(where + " cmdsize", lc["cmdsize"], int(f.get("cmdsize", -1)))
        cmd = lc["cmd"]
        if cmd in ("LC_SEGMENT_64", "LC_SEGMENT"):
            sg = next(segs)
            check(where + " segname", sg["name"], f.get("segname"))
            for k in ("vmaddr", "vmsize", "fileoff", "filesize"):
                check(where + " " + k, sg[k], int(f[k], 0))
            for k in ("maxprot", "initprot"):
                v = f[k]
                check(where + " " + k, prot_text(sg[k]) if not v.startswith("0x") else sg[k],
                      v if not v.startswith("0x") else int(v, 0))
            check(where + " nsects", len(sg["sections"]), int(f["nsects"]))
            if f.get("flags") == "(none)":
                check(where + " flags", sg["flags"], 0)
            for si, (sec, osec) in enumerate(zip(sg["sections"], oc["sections"])):
                sf = fields_of(osec)
                sw = "%s section %d" % (where, si)
                check(sw + " sectname", sec["sectname"], sf.get("sectname"))
                check(sw + " segname", sec["segname"], sf.get("segname"))
                for k in ("addr", "size", "offset", "reloff", "nreloc"):
                    check(sw + " " + k, sec[k], int(sf[k], 0))
                check(sw + " align", sec["align"], int(sf["align"].split()[0][2:]))
                check(sw + " reserved1", sec["reserved1"], first_int(sf["reserved1"]))
                check(sw + " reserved2", sec["reserved2"], first_int(sf["reserved2"]))
        elif cmd in DYLIB_KIND or cmd == "LC_ID_DYLIB":
            d = lb["install_name"] if cmd == "LC_ID_DYLIB" else next(dylibs)
            if cmd != "LC_ID_DYLIB":
                check(where + " kind", d["kind"], DYLIB_KIND[cmd])
            check(where + " name", d["name"], re.sub(r" \(offset \d+\)$", "", f.get("name", "")))
            check(where + " current version", parse_version(d["current_version"]), parse_version(f["current version"]))
            check(where + " compatibility version", parse_version(d["compatibility_version"]),
                  parse_version(f["compatibility version"]))
            check(where + " timestamp", d["timestamp"], first_int(f["time stamp"]))
        elif cmd == "LC_RPATH":
            check(where + " path", next(rpaths), re.sub(r" \(offset \d+\)$", "", f.get("path", "")))
        elif cmd == "LC_LOAD_DYLINKER":
            check(where + " name", lb["dylinker"], re.sub(r" \(offset \d+\)$", "", f.get("name", "")))
        elif cmd == "LC_UUID":
            check(where + " uuid", lb["uuid"], f.get("uuid"))
        elif cmd == "LC_BUILD_VERSION":
            p = lb["platform"]
            check(where + " platform", PLATFORM_NUMBERS.get(p["platform"], p["platform"]), objdump_platform(f["platform"]))
            check(where + " minos", parse_version(p["minos"]), parse_version(f["minos"]))
            check(where + " sdk", parse_version(p["sdk"]), parse_version(f["sdk"]))
            tools = f.get("tool", [])
            versions = f.get("version", [])
            tools = tools if isinstance(tools, list) else [tools]
            versions = versions if isinstance(versions, list) else [versions]
            check(where + " tools", [(tool_number(t["tool"]), parse_version(t["version"])) for t in p["tools"]],
                  [(objdump_tool(t), parse_version(v)) for t, v in zip(tools, versions)])
        elif cmd.startswith("LC_VERSION_MIN_"):
            p = lb["platform"]
            check(where + " source", p["source"], cmd)
            check(where + " version", parse_version(p["minos"]), parse_version(f["version"]))
            check(where + " sdk", parse_version(p["sdk"]), parse_version(f["sdk"]))
        elif cmd == "LC_MAIN":
            e = lb["entry_point"]
            check(where + " entryoff", e["entryoff"], int(f["entryoff"]))
            check(where + " stacksize", e["stacksize"], int(f["stacksize"]))
        elif cmd == "LC_SYMTAB":
            for k in ("symoff", "nsyms", "stroff", "strsize"):
                check(where + " " + k, lb["symtab"][k], int(f[k]))
        elif cmd == "LC_DYSYMTAB":
            for k, v in lb["dysymtab"].items():
                check(where + " " + k, v, int(f[k]))
        elif cmd in ("LC_DYLD_INFO", "LC_DYLD_INFO_ONLY"):
            for k, v in lb["dyld_info"].items():
                if k != "cmd":
                    check(where + " " + k, v, int(f[k]))
        elif cmd in LINKEDIT_CMDS:
            d = next(linkedit)
            check(where + " linkedit cmd", d["cmd"], cmd)
            check(where + " dataoff", d["dataoff"], int(f["dataoff"]))
            check(where + " datasize", d["datasize"], int(f["datasize"]))
    return diffs


def compare_file(path, lb_obj, oracle):
    """(slices compared, list of disagreements) for one file and one oracle."""
    if "error" in lb_obj:
        return 0, ["linkbox error: " + lb_obj["error"]]
    p = subprocess.run([oracle, "--macho", "--private-headers", "--arch=all", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return 0, ["%s failed: %s" % (oracle, p.stderr.decode(errors="replace").strip()[:300])]
    od = parse_objdump(p.stdout.decode("utf-8", "surrogateescape"), path)
    lb_slices = lb_obj["slices"]
    if len(od) != len(lb_slices):
        return 0, ["%d slices from linkbox, %d from %s" % (len(lb_slices), len(od), oracle)]
    diffs = []
    for ls, os_ in zip(lb_slices, od):
        if os_["arch"] is not None and os_["arch"] != ls["arch"]:
            diffs.append("slice arch: linkbox %s, %s %s" % (ls["arch"], oracle, os_["arch"]))
            continue
        diffs += ["[%s] %s" % (ls["arch"], d) for d in compare_slice(ls, os_)]
    return len(lb_slices), diffs


def readdyn_json(linkbox, paths):
    p = subprocess.run([linkbox, "readdyn", "--json"] + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        objs = json.loads(p.stdout.decode("utf-8", "surrogateescape"))
    except ValueError:
        objs = []
    if len(objs) != len(paths):
        if len(paths) == 1:
            return [{"error": "no JSON (exit %d): %s" % (p.returncode, p.stderr.decode(errors="replace")[:300])}]
        return [o for path in paths for o in readdyn_json(linkbox, [path])]
    return objs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="write the corpus here (default: a temporary directory, removed after)")
    ap.add_argument("--generate-only", action="store_true", help="write the corpus and its manifest, and stop")
    ap.add_argument("--small", action="store_true", help="a handful of files (for the lit test)")
    ap.add_argument("--files", nargs="+", help="compare these files instead of generating a corpus")
    ap.add_argument("--linkbox", default=os.environ.get("LINKBOX", "/work/main/build/linkbox"))
    ap.add_argument("--oracles", nargs="+", default=None,
                    help="llvm-objdump binaries to compare with (default: llvm-objdump-14 and -19, those present)")
    ap.add_argument("--report-json", help="write the full results here")
    args = ap.parse_args()

    tmp = None
    if args.files:
        paths = args.files
        base = "."
    else:
        base = args.out or tempfile.mkdtemp(prefix="macho-parity-")
        tmp = None if args.out else base
        entries, failures = generate(base, small=args.small)
        kinds = {}
        for e in entries:
            key = "%s %s" % (e["filetype"], "fat" if "fat" in e["features"] else "/".join(e["arches"]))
            kinds[key] = kinds.get(key, 0) + 1
        print("corpus: %d files in %s (%s)" % (len(entries), base, ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
        for what, cmd, err in failures:
            print("  not built: %s: %s\n    %s" % (what, cmd, err))
        if args.generate_only:
            return 0 if entries and not failures else 1
        if failures:
            print("the corpus is incomplete: fix the build steps above")
            return 1
        paths = [os.path.join(base, e["path"]) for e in entries]

    oracles = args.oracles or [o for o in ("llvm-objdump-14", "llvm-objdump-19") if have(o)]
    lb = dict(zip(paths, readdyn_json(args.linkbox, paths)))
    results = {}
    ok = True
    for oracle in oracles:
        agree, slices, bad = 0, 0, []
        for path in paths:
            n, diffs = compare_file(path, lb[path], oracle)
            slices += n
            if diffs:
                bad.append((path, diffs))
            else:
                agree += 1
        results[oracle] = {"files": len(paths), "slices": slices, "agree": agree,
                           "disagreements": {p: d for p, d in bad}}
        print("%s: %d files (%d slices), %d agree, %d disagree" % (oracle, len(paths), slices, agree, len(bad)))
        for path, diffs in bad:
            print("  %s" % os.path.relpath(path, base))
            for d in diffs[:20]:
                print("    %s" % d)
            if len(diffs) > 20:
                print("    ... %d more" % (len(diffs) - 20))
        ok = ok and not bad
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump(results, f, indent=1)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok and oracles else 1


if __name__ == "__main__":
    sys.exit(main())
