#!/usr/bin/env python3
# Acceptance check: `linkbox readdyn --json` agrees with `llvm-readelf -d -l --wide` on the interpreter,
# NEEDED (in order), SONAME, RPATH and RUNPATH of every ELF executable and shared library of the system.
#
# Usage: read-parity.py [--roots DIR...] [--files FILE...] [--limit N] [--report-json OUT]
# Environment: LINKBOX (default /work/main/build/linkbox), LLVM_READELF (default llvm-readelf).
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402
from corpus_common import READELF, elf_type, enumerate_corpus, parse_readelf, run  # noqa: E402

LINKBOX = corpus_common.LINKBOX  # replaced by a snapshot in main()

BATCH = 100
WORKERS = 2


def linkbox_batch(paths):
    """readdyn results by path (one --json run per batch)."""
    return corpus_common.json_batch([LINKBOX, "readdyn", "--json"], paths)


def readelf_one(path):
    p = run([READELF, "-d", "-l", "--wide", path])
    err = p.stderr.decode(errors="replace")
    diags = [l for l in err.splitlines() if "warning" in l or "error" in l]
    return path, {
        "rc": p.returncode,
        "fields": parse_readelf(p.stdout.decode("utf-8", "surrogateescape")),
        "errors": [l for l in diags if "error" in l],
        "warnings": [l for l in diags if "warning" in l],
    }


def compare(lb, rd):
    """List of (field, linkbox value, llvm-readelf value) disagreements, plus notes on entries that
    occur more than once (linkbox reports the first; glibc's loader uses the last)."""
    f = rd["fields"]
    mism, notes = [], []
    lb_interp = lb.get("interpreter")
    rd_interp = f["INTERP"][0] if f["INTERP"] else None
    if len(f["INTERP"]) > 1:
        notes.append("multiple PT_INTERP: %r" % f["INTERP"])
    if lb_interp != rd_interp:
        mism.append(("interpreter", lb_interp, rd_interp))
    if lb.get("needed", []) != f["NEEDED"]:
        mism.append(("needed", lb.get("needed", []), f["NEEDED"]))
    for key, tag in (("soname", "SONAME"), ("rpath", "RPATH"), ("runpath", "RUNPATH")):
        vals = f[tag]
        if len(vals) > 1:
            notes.append("multiple DT_%s: %r" % (tag, vals))
        rd_v = vals[0] if vals else None
        if lb.get(key) != rd_v:
            mism.append((key, lb.get(key), rd_v))
    return mism, notes


def main():
    args = corpus_common.corpus_arguments(__doc__).parse_args()

    global LINKBOX
    LINKBOX = corpus_common.start_run("read-parity")
    skipped = {}
    if args.files:
        files = [(p, elf_type(p)) for p in args.files]
    else:
        files, skipped = enumerate_corpus(args.roots)
    if args.limit:
        files = files[:args.limit]
    paths = [p for p, _ in files]
    corpus_common.print_corpus(files, skipped)

    lb = {}
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    with ThreadPoolExecutor(WORKERS) as pool:
        for res in pool.map(linkbox_batch, batches):
            lb.update(res)
        rd = dict(pool.map(readelf_one, paths))

    agree, mismatches, lb_errors, rd_errors, rd_warned, notes = [], [], [], [], [], []
    for path in paths:
        l, r = lb[path], rd[path]
        if r["rc"] != 0 or r["errors"]:
            rd_errors.append((path, r["rc"], r["errors"]))
        if r["warnings"]:
            rd_warned.append((path, r["warnings"]))
        if "error" in l:
            lb_errors.append((path, l["error"]))
            continue
        m, n = compare(l, r)
        if n:
            notes.append((path, n))
        if m:
            mismatches.append((path, m, r["warnings"] + r["errors"]))
        else:
            agree.append(path)

    print("\n== read parity ==")
    print("files checked:         %d" % len(paths))
    print("agreements:            %d" % len(agree))
    print("mismatches:            %d" % len(mismatches))
    print("linkbox errors:        %d" % len(lb_errors))
    print("llvm-readelf errors:   %d  (files with llvm-readelf warnings: %d)" % (len(rd_errors), len(rd_warned)))
    if mismatches:
        print("\n-- mismatches (field: linkbox | llvm-readelf) --")
        for path, m, diags in mismatches:
            print(path)
            for field, a, b in m:
                print("   %s: %r | %r" % (field, a, b))
            for d in diags:
                print("   llvm-readelf said: %s" % d)
    if lb_errors:
        print("\n-- linkbox errors --")
        for path, e in lb_errors:
            print("%s: %s" % (path, e))
    if rd_errors:
        print("\n-- llvm-readelf errors --")
        for path, rc, errs in rd_errors:
            print("%s: exit %d %s" % (path, rc, " / ".join(errs)))
    if rd_warned:
        print("\n-- llvm-readelf warnings (informational) --")
        for path, w in rd_warned:
            print("%s: %s" % (path, " / ".join(w[:3]) + (" (+%d more)" % (len(w) - 3) if len(w) > 3 else "")))
    if notes:
        print("\n-- notes: repeated entries --")
        for path, n in notes:
            print("%s: %s" % (path, "; ".join(n)))
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"checked": len(paths), "agree": len(agree),
                       "mismatches": [{"file": p, "fields": m, "readelf": d} for p, m, d in mismatches],
                       "linkbox_errors": lb_errors, "readelf_errors": rd_errors, "readelf_warnings": rd_warned,
                       "notes": notes, "skipped": skipped}, f, indent=1)
    return 0 if not mismatches and not lb_errors else 1


if __name__ == "__main__":
    sys.exit(main())
