#!/usr/bin/env python3
# Acceptance check: `linkbox ldd --json` lists the same libraries as glibc's ldd (/usr/bin/ldd, which runs
# the program's loader in trace mode) on every ELF file of the system: for each file the ordered list of
# (name, resolved path or "not found"), with load addresses ignored, the same verdict for files that
# are not dynamic ("not a dynamic executable") or need nothing ("statically linked"), and the same
# messages from ld.so (missing symbol versions, preloading).
#
# Usage: ldd-parity.py [--roots DIR...] [--files FILE...] [--limit N] [--report-json OUT]
# Environment: LINKBOX (default /work/main/build/linkbox), GLIBC_LDD (default /usr/bin/ldd).
# Both tools run with LD_LIBRARY_PATH and LD_PRELOAD unset and LC_ALL=C.
import json
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402
from corpus_common import elf_type, enumerate_corpus, run  # noqa: E402

DEFAULT_ROOTS = ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/libexec"]
GLIBC_LDD = os.environ.get("GLIBC_LDD", "/usr/bin/ldd")
LINKBOX = corpus_common.LINKBOX  # replaced by a snapshot in main()

BATCH = 100
WORKERS = 2
ENV = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}
ENV["LC_ALL"] = "C"

# glibc's trace lines: "\tNAME => PATH (0xADDR)", "\tNAME (0xADDR)", "\tNAME => not found".
_ARROW = re.compile(r"^\t(.*) => (.*) \(0x[0-9a-f]+\)$")
_PLAIN = re.compile(r"^\t(.*) \(0x[0-9a-f]+\)$")
_MISSING = re.compile(r"^\t(.*) => not found$")


def glibc_one(path):
    """(path, result): result is {"status": ..., "libs": [[name, path], ...], "other": [lines]}."""
    p = run([GLIBC_LDD, path], env=ENV)
    out = p.stdout.decode("utf-8", "surrogateescape")
    err = p.stderr.decode("utf-8", "surrogateescape")
    libs, other = [], []
    status = "dynamic"
    for line in out.splitlines():
        m = _MISSING.match(line)
        if m:
            libs.append([m.group(1), "not found"])
            continue
        m = _ARROW.match(line)
        if m:
            libs.append([m.group(1), m.group(2)])
            continue
        m = _PLAIN.match(line)
        if m:
            libs.append([m.group(1), m.group(1)])
            continue
        if line == "\tstatically linked":
            status = "statically-linked"
        elif line.strip():
            other.append(line)
    if "not a dynamic executable" in err:
        status = "not-dynamic"
    elif p.returncode != 0 and status == "dynamic":
        status = "error"
        other.append(err.strip())
    return path, {"status": status, "libs": libs, "other": other, "rc": p.returncode}


def linkbox_batch(paths):
    """linkbox results by path (one --json run per batch)."""
    return corpus_common.json_batch([LINKBOX, "ldd", "--json"], paths, env=ENV)


def linkbox_view(obj):
    """The same shape as glibc_one's result."""
    if "error" in obj:
        return {"status": "error", "libs": [], "other": [obj["error"]]}
    libs = [[lib["name"], lib["path"] if lib["path"] is not None else "not found"]
            for lib in obj.get("libraries", [])]
    other = obj.get("loader_messages", []) + ["%s: %s" % (obj["file"], m) for m in obj.get("version_messages", [])]
    return {"status": obj["status"], "libs": libs, "other": other}


def main():
    args = corpus_common.corpus_arguments(__doc__).parse_args()

    global LINKBOX
    LINKBOX = corpus_common.start_run("ldd-parity")
    if args.files:
        files = [(p, elf_type(p)) for p in args.files]
    else:
        # Every ELF file: executables and libraries, and the others (objects), which both must call
        # "not a dynamic executable".
        files, skipped = enumerate_corpus(args.roots)
        for paths in skipped.values():
            files += [(p, elf_type(p)) for p in paths]
        files.sort()
    if args.limit:
        files = files[:args.limit]
    paths = [p for p, _ in files]
    print("corpus: %d ELF files (%s)" % (len(paths), corpus_common.type_counts(files)), flush=True)

    lb = {}
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    with ThreadPoolExecutor(WORKERS) as pool:
        for res in pool.map(linkbox_batch, batches):
            lb.update(res)
        gl = dict(pool.map(glibc_one, paths))

    agree, mismatches, statuses = [], [], {}
    for path in paths:
        l, g = linkbox_view(lb[path]), gl[path]
        statuses[g["status"]] = statuses.get(g["status"], 0) + 1
        if l["status"] == g["status"] and l["libs"] == g["libs"] and l["other"] == g["other"]:
            agree.append(path)
        else:
            mismatches.append((path, l, g))

    print("\n== ldd parity ==")
    print("files checked:  %d  (glibc verdicts: %s)" % (len(paths), ", ".join(
        "%s %d" % kv for kv in sorted(statuses.items()))))
    print("agreements:     %d" % len(agree))
    print("mismatches:     %d" % len(mismatches))
    for path, l, g in mismatches:
        print("\n%s" % path)
        print("   linkbox: %s %s" % (l["status"], l["other"]))
        print("   glibc:   %s %s" % (g["status"], g["other"]))
        ln, gn = l["libs"], g["libs"]
        for i in range(max(len(ln), len(gn))):
            a = ln[i] if i < len(ln) else None
            b = gn[i] if i < len(gn) else None
            mark = "  " if a == b else "!!"
            print("   %s %-60s | %s" % (mark, a and "%s => %s" % tuple(a), b and "%s => %s" % tuple(b)))
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"checked": len(paths), "agree": len(agree),
                       "mismatches": [{"file": p, "linkbox": l, "glibc": g} for p, l, g in mismatches]},
                      f, indent=1)
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
