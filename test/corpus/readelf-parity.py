#!/usr/bin/env python3
# Acceptance check: linkbox's readelf personality prints byte-identical stdout to binutils readelf
# (2.40, /usr/bin/readelf) on every ELF file of the system, for each supported option.
#
# The corpus is every regular ELF file (any type: executables, shared libraries, objects, ...) under
# the roots, symlinks skipped and deduplicated by realpath. For each file and option both tools run
# with LC_ALL=C; stdout must match byte for byte. stderr is not part of the comparison (linkbox words
# its warnings its own way) and is reported separately: files where one tool wrote diagnostics and
# the other did not.
#
# Usage: readelf-parity.py [--roots DIR...] [--files FILE...] [--options='OPT,OPT'] [--all-forms]
#                          [--limit N] [--jobs N] [--show N] [--report-json OUT]
# Environment: LINKBOX (default /work/main/build/linkbox), READELF (default /usr/bin/readelf).
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402
from corpus_common import elf_type, linkbox_revision, snapshot_linkbox  # noqa: E402

READELF = os.environ.get("READELF", "/usr/bin/readelf")
ROOTS = ["/usr/bin", "/usr/lib/x86_64-linux-gnu"]
# Each supported option with -W, -a -W, and the options whose layout changes without -W.
DEFAULT_OPTIONS = ["-h -W", "-l -W", "-S -W", "-d -W", "-s -W", "--dyn-syms -W", "-r -W", "-n -W",
                   "-V -W", "-a -W", "-S", "-s", "-r", "-l"]
ALL_FORMS = DEFAULT_OPTIONS + ["-h", "-d", "--dyn-syms", "-n", "-V", "-a"]
ENV = dict(os.environ, LC_ALL="C")

PERSONALITY = None  # path of the "readelf" symlink to the linkbox snapshot, set in main()


def enumerate_elf(roots):
    return [path for path, _ in corpus_common.walk_elf_files(roots)]


def run(tool, option, path):
    try:
        p = subprocess.run([tool] + option.split() + [path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=ENV, timeout=900)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -999, b"", b"timeout"


def first_difference(a, b):
    """(line number, readelf line, linkbox line) of the first differing line."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else b"<end of output>"
        y = lb[i] if i < len(lb) else b"<end of output>"
        if x != y:
            return i + 1, x.decode("utf-8", "replace")[:200], y.decode("utf-8", "replace")[:200]
    return 0, "", ""


def check(task):
    path, option = task
    rc_r, out_r, err_r = run(READELF, option, path)
    rc_l, out_l, err_l = run(PERSONALITY, option, path)
    same = out_r == out_l
    result = {"file": path, "option": option, "same": same, "readelf_rc": rc_r, "linkbox_rc": rc_l,
              "readelf_stderr": bool(err_r.strip()), "linkbox_stderr": bool(err_l.strip()),
              "bytes": len(out_r)}
    if not same:
        result["diff"] = first_difference(out_r, out_l)
        result["linkbox_stderr_text"] = err_l.decode("utf-8", "replace")[:300]
    if err_r.strip() and not err_l.strip():
        result["readelf_stderr_text"] = err_r.decode("utf-8", "replace")[:300]
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--roots", nargs="+", default=ROOTS)
    ap.add_argument("--files", nargs="+", help="check these files instead of the corpus")
    ap.add_argument("--options", help="options to compare, comma-separated (e.g. --options='-s -W,-s')")
    ap.add_argument("--all-forms", action="store_true", help="every option with and without -W")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--show", type=int, default=5, help="failing files to list per option")
    ap.add_argument("--report-json", help="write every failure here")
    args = ap.parse_args()

    global PERSONALITY
    work = tempfile.mkdtemp(prefix="readelf-parity.")
    snapshot = snapshot_linkbox(os.path.join(work, "linkbox"))
    PERSONALITY = os.path.join(work, "readelf")
    os.symlink(snapshot, PERSONALITY)
    if args.options:
        options = [o.strip() for o in args.options.split(",") if o.strip()]
    else:
        options = ALL_FORMS if args.all_forms else DEFAULT_OPTIONS
    files = args.files or enumerate_elf(args.roots)
    if args.limit:
        files = files[:args.limit]
    version = subprocess.run([READELF, "--version"], stdout=subprocess.PIPE, text=True).stdout
    print("linkbox: %s" % linkbox_revision())
    print("oracle:  %s" % version.splitlines()[0])
    print("corpus:  %d ELF files under %s" % (len(files), " ".join(args.roots) if not args.files else "--files"))
    print("options: %s" % ", ".join(options), flush=True)

    # Big files first, so the pool does not end waiting on one of them.
    sizes = {f: os.path.getsize(f) for f in files}
    tasks = sorted(((f, o) for f in files for o in options), key=lambda t: -sizes[t[0]])
    start = time.time()
    results = []
    with Pool(args.jobs) as pool:
        for i, r in enumerate(pool.imap_unordered(check, tasks, chunksize=4)):
            results.append(r)
            if (i + 1) % 2000 == 0:
                print("  %d/%d checks, %.0fs" % (i + 1, len(tasks), time.time() - start), flush=True)

    by_option = {o: [r for r in results if r["option"] == o] for o in options}
    print("\n== readelf parity (byte-identical stdout) ==")
    print("%-16s %8s %8s %9s" % ("option", "pass", "total", "rate"))
    failures = {}
    for o in options:
        rs = by_option[o]
        passed = sum(r["same"] for r in rs)
        print("%-16s %8d %8d %8.2f%%" % (o, passed, len(rs), 100.0 * passed / max(len(rs), 1)))
        failures[o] = sorted((r for r in rs if not r["same"]), key=lambda r: r["file"])
    total = sum(len(v) for v in by_option.values())
    passed = sum(r["same"] for r in results)
    print("%-16s %8d %8d %8.2f%%" % ("all", passed, total, 100.0 * passed / max(total, 1)))
    print("time: %.0fs with %d jobs" % (time.time() - start, args.jobs))

    for o in options:
        if not failures[o]:
            continue
        print("\n-- %s: %d failing files; first %d --" % (o, len(failures[o]), min(args.show, len(failures[o]))))
        for r in failures[o][:args.show]:
            line, want, got = r["diff"]
            print("%s (line %d)\n   readelf: %r\n   linkbox: %r" % (r["file"], line, want, got))
            if r.get("linkbox_stderr_text"):
                print("   linkbox stderr: %s" % r["linkbox_stderr_text"].strip().splitlines()[0])

    only_r = [r for r in results if r["readelf_stderr"] and not r["linkbox_stderr"]]
    only_l = [r for r in results if r["linkbox_stderr"] and not r["readelf_stderr"]]
    print("\n== stderr (not compared; diagnostics are worded differently by design) ==")
    print("checks where only readelf wrote diagnostics: %d" % len(only_r))
    for r in only_r[:args.show]:
        print("  %s %s: %s" % (r["option"], r["file"], r.get("readelf_stderr_text", "").strip().splitlines()[0]))
    print("checks where only linkbox wrote diagnostics: %d" % len(only_l))
    for r in only_l[:args.show]:
        print("  %s %s" % (r["option"], r["file"]))

    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"options": options, "files": len(files),
                       "pass": {o: sum(r["same"] for r in by_option[o]) for o in options},
                       "failures": {o: failures[o] for o in options},
                       "stderr_only_readelf": [(r["option"], r["file"]) for r in only_r],
                       "stderr_only_linkbox": [(r["option"], r["file"]) for r in only_l]}, f, indent=1)
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
