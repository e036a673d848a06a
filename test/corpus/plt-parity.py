#!/usr/bin/env python3
# Acceptance check (issue 5, point 4): the PLT entries `linkbox readdyn --plt --json` names agree with
# the `<ADDR> <NAME@plt>:` labels that binutils objdump prints for .plt, .plt.sec and .plt.got, on every
# ELF executable and shared library of the system.
#
# For each file, the two (address -> name) maps are compared entry by entry. An entry is an address
# that either side names; it agrees when both give it the same name. objdump puts its synthetic
# `foo@plt` symbols on the .plt entries of a lazy PLT, on the .plt.sec entries when there is a second
# PLT (IBT), and on the .plt.got entries; linkbox must name exactly those.
#
# Known objdump 2.40 artefacts on AArch64, where BFD names stubs by their index in .rela.plt rather
# than by decoding them (linkbox decodes, as llvm-objdump does): it assumes 16-byte BTI stubs in
# ET_DYN files, so it mislabels ld.lld's 24-byte BTI stubs in PIEs and shared libraries, and it
# gives the TLSDESC trampoline the name of the first R_AARCH64_TLSDESC symbol. The system corpus is
# x86 only; run with OBJDUMP=llvm-objdump as a second opinion on AArch64 files.
#
# Files of a machine that linkbox does not decode (not x86-64, i386 or AArch64) are counted and
# skipped. AArch64 files are checked with aarch64-linux-gnu-objdump when it is installed.
#
# Usage: plt-parity.py [--roots DIR...] [--files FILE...] [--limit N] [--report-json OUT] [--show N]
# Environment: LINKBOX (default /work/main/build/linkbox), OBJDUMP (default objdump; when set, it is
#              used for every machine), AARCH64_OBJDUMP (default aarch64-linux-gnu-objdump).
import json
import os
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402
from corpus_common import elf_type, enumerate_corpus, run  # noqa: E402

ROOTS = ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/libexec"]
OBJDUMP = os.environ.get("OBJDUMP", "objdump")
OBJDUMP_FORCED = "OBJDUMP" in os.environ  # one objdump for every machine (e.g. OBJDUMP=llvm-objdump)
AARCH64_OBJDUMP = os.environ.get("AARCH64_OBJDUMP", "aarch64-linux-gnu-objdump")
LINKBOX = corpus_common.LINKBOX  # replaced by a snapshot in main(); the workers inherit it (fork)
BATCH = 50
WORKERS = os.cpu_count() or 2

EM_386, EM_X86_64, EM_AARCH64 = 3, 62, 183
LABEL_RE = re.compile(r"^([0-9a-f]+) <(.*@plt)>:$")


def machine(path):
    with open(path, "rb") as f:
        head = f.read(20)
    return int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")


def objdump_labels(path, mach):
    """{address: name} of objdump's `<name@plt>` labels, or an error string."""
    tool = AARCH64_OBJDUMP if mach == EM_AARCH64 and not OBJDUMP_FORCED else OBJDUMP
    p = run([tool, "-d", "-j", ".plt", "-j", ".plt.sec", "-j", ".plt.got", path])
    out = p.stdout.decode("utf-8", "surrogateescape")
    # objdump exits 1 when none of the -j sections exists: that is a file without a PLT.
    errs = [l for l in p.stderr.decode(errors="replace").splitlines() if "mentioned in a -j option" not in l]
    if p.returncode != 0 and (errs or "Disassembly of section" in out):
        return "objdump exit %d: %s" % (p.returncode, " / ".join(errs)[:300])
    labels = {}
    for line in out.splitlines():
        m = LABEL_RE.match(line)
        if m:
            labels[int(m.group(1), 16)] = m.group(2)
    return labels


def linkbox_batch(paths):
    """{path: {address: name}} or {path: error string}; a batch that fails is split so the culprit is
    named."""
    p = run([LINKBOX, "readdyn", "--plt", "--json"] + paths)
    try:
        objs = json.loads(p.stdout.decode("utf-8", "surrogateescape"))
        if len(objs) != len(paths) or p.returncode < 0:
            raise ValueError("%d objects for %d files, exit %d" % (len(objs), len(paths), p.returncode))
    except ValueError as e:
        if len(paths) == 1:
            return {paths[0]: "no JSON (%s); exit %d; stderr: %s" %
                    (e, p.returncode, p.stderr.decode(errors="replace").strip()[:300])}
        out = {}
        for path in paths:
            out.update(linkbox_batch([path]))
        return out
    out = {}
    for path, obj in zip(paths, objs):
        if "error" in obj:
            out[path] = obj["error"]
        else:
            out[path] = {int(e["address"], 16): e["name"] for e in obj["plt"]}
    return out


def check_batch(paths):
    """(path, machine, linkbox result, objdump result) for each path."""
    machines = {p: machine(p) for p in paths}
    lb = linkbox_batch(paths)
    return [(p, machines[p], lb[p], objdump_labels(p, machines[p])) for p in paths]


def compare(ours, theirs):
    """(agreeing, [(address, linkbox name or None, objdump name or None)])."""
    agree, diff = 0, []
    for addr in sorted(set(ours) | set(theirs)):
        a, b = ours.get(addr), theirs.get(addr)
        if a == b:
            agree += 1
        else:
            diff.append((addr, a, b))
    return agree, diff


def main():
    ap = corpus_common.corpus_arguments(__doc__, roots=ROOTS)
    ap.add_argument("--show", type=int, default=5, help="disagreeing entries to print per file")
    args = ap.parse_args()

    global LINKBOX
    LINKBOX = corpus_common.start_run("plt-parity")
    if args.files:
        files = [(p, elf_type(p)) for p in args.files if elf_type(p) is not None]
        skipped = {"not ELF": [p for p in args.files if elf_type(p) is None]} if len(files) < len(args.files) else {}
    else:
        files, skipped = enumerate_corpus(args.roots)
    if args.limit:
        files = files[:args.limit]
    paths = [p for p, _ in files]
    corpus_common.print_corpus(files, skipped)

    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    results = []
    with ProcessPoolExecutor(WORKERS) as pool:
        for res in pool.map(check_batch, batches):
            results.extend(res)

    compared = with_plt = identical = entries = agreeing = 0
    only_lb = only_od = renamed = 0
    other_machine, lb_errors, od_errors, mismatches = {}, [], [], []
    aarch64_skipped = 0
    for path, mach, lb, od in results:
        if mach not in (EM_386, EM_X86_64, EM_AARCH64):
            other_machine[mach] = other_machine.get(mach, 0) + 1
            continue
        if mach == EM_AARCH64 and not OBJDUMP_FORCED and not shutil.which(AARCH64_OBJDUMP):
            aarch64_skipped += 1
            continue
        if isinstance(lb, str):
            lb_errors.append((path, lb))
            continue
        if isinstance(od, str):
            od_errors.append((path, od))
            continue
        compared += 1
        if not lb and not od:
            continue
        with_plt += 1
        a, d = compare(lb, od)
        entries += a + len(d)
        agreeing += a
        for _, x, y in d:
            if x is None:
                only_od += 1
            elif y is None:
                only_lb += 1
            else:
                renamed += 1
        if d:
            mismatches.append((path, a, d))
        else:
            identical += 1

    print("\n== PLT parity (linkbox readdyn --plt vs objdump -d labels) ==")
    print("files compared:            %d" % compared)
    print("  with PLT entries:        %d" % with_plt)
    print("  identical maps:          %d" % identical)
    print("  with a disagreement:     %d" % len(mismatches))
    print("entries compared:          %d" % entries)
    print("  agreeing:                %d" % agreeing)
    print("  disagreeing:             %d  (objdump only %d, linkbox only %d, different names %d)" % (
        only_od + only_lb + renamed, only_od, only_lb, renamed))
    print("linkbox errors:            %d" % len(lb_errors))
    print("objdump errors:            %d" % len(od_errors))
    print("other machines (skipped):  %s" % (", ".join("e_machine %d: %d" % kv for kv in sorted(other_machine.items()))
                                             or "none"))
    if aarch64_skipped:
        print("AArch64 files skipped (no %s): %d" % (AARCH64_OBJDUMP, aarch64_skipped))
    if mismatches:
        print("\n-- disagreements (address: linkbox | objdump) --")
        for path, a, d in mismatches:
            print("%s: %d agree, %d disagree" % (path, a, len(d)))
            for addr, x, y in d[:args.show]:
                print("   %#x: %s | %s" % (addr, x or "-", y or "-"))
    for title, errs in (("linkbox errors", lb_errors), ("objdump errors", od_errors)):
        if errs:
            print("\n-- %s --" % title)
            for path, e in errs:
                print("%s: %s" % (path, e))
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"compared": compared, "with_plt": with_plt, "identical": identical,
                       "entries": entries, "agreeing": agreeing,
                       "mismatches": [{"file": p, "agree": a,
                                       "diff": [{"address": hex(x), "linkbox": l, "objdump": o} for x, l, o in d]}
                                      for p, a, d in mismatches],
                       "linkbox_errors": lb_errors, "objdump_errors": od_errors,
                       "other_machines": other_machine}, f, indent=1)
    return 0 if not mismatches and not lb_errors else 1


if __name__ == "__main__":
    sys.exit(main())
