#!/usr/bin/env python3
# Acceptance check: linkbox's edits keep every system ELF file readable and every runnable program running.
#
# For each ET_EXEC/ET_DYN file of the corpus, a copy gets:
#   linkbox setinterp F INTERP        (only if it has PT_INTERP; INTERP is 200 characters)
#   linkbox addneeded F A B C         (three 60-character names)
#   patchelf --set-rpath R F          (linkbox's patchelf personality; R is a 300-character directory,
#                                      followed by the original RUNPATH/RPATH if there was one)
# and the result must re-read cleanly: llvm-readelf -a --wide adds no warning/error the original did not
# have, and linkbox readdyn --json and llvm-readelf both show the new interpreter, NEEDED and RUNPATH.
# Extra: `ld.so --list` must still succeed where it succeeded on the original (the loader maps it).
#
# Running check: every executable in /usr/bin whose `--version` (else `--help`) exits 0 with output within
# 5 s (stdin /dev/null, empty cwd, HOME=cwd) is run again after the edit, after `strip` and after
# `llvm-strip` of the edited copy; INTERP is a symlink to the real loader, A/B/C are symlinks to libm in
# the RUNPATH directory, and the output must be identical.
#
# Usage: edit-safety.py [--roots DIR...] [--files FILE...] [--limit N] [--report-json OUT] [--keep]
# Environment: LINKBOX (default /work/main/build/linkbox), LLVM_READELF (default llvm-readelf).
import argparse
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common  # noqa: E402
from corpus_common import (READELF, DEFAULT_ROOTS, ET_NAMES, elf_type, enumerate_corpus,  # noqa: E402
                           linkbox_revision, normalise_numbers, parse_readelf, readelf_diagnostics, run,
                           snapshot_linkbox)

WORK = "/tmp/corpus-work/edit"
LINKBOX = corpus_common.LINKBOX  # replaced by a snapshot in setup(); the workers inherit it (fork)
LOADER = "/lib64/ld-linux-x86-64.so.2"
TARGET_LIB = "/lib/x86_64-linux-gnu/libm.so.6"
RUN_TIMEOUT = 5
WORKERS = 2


def long_path(prefix, total, leaf, component=100):
    """prefix/dir/dir/.../leaf, exactly `total` characters, no component longer than `component`."""
    path = prefix.rstrip("/")
    room = total - len(path) - (len(leaf) + 1 if leaf else 0)  # leaf costs its "/" too
    assert room > 1
    parts = []
    while room > 0:
        n = min(component, room - 1)  # each component costs n + 1 for its "/"
        if room - (n + 1) == 1:      # a remaining 1 cannot hold "/x"; shorten this one
            n -= 1
        parts.append(chr(ord("a") + len(parts) % 26) * n)
        room -= n + 1
    out = path + "/" + "/".join(parts) + "/" + leaf if leaf else path + "/" + "/".join(parts)
    assert len(out) == total, (len(out), total)
    return out


INTERP = long_path(WORK + "/interp", 200, "ld-linux-x86-64.so.2")
RPATH_DIR = long_path(WORK + "/rpath", 300, "")
NEEDED = ["libcorpus%s_%s.so.1" % (c, c * (60 - len("libcorpusX_.so.1"))) for c in "ABC"]
assert all(len(n) == 60 for n in NEEDED)


def setup():
    global LINKBOX
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    LINKBOX = snapshot_linkbox(WORK + "/linkbox")
    os.makedirs(os.path.dirname(INTERP))
    os.symlink(LOADER, INTERP)
    os.makedirs(RPATH_DIR)
    for n in NEEDED:
        os.symlink(TARGET_LIB, os.path.join(RPATH_DIR, n))
    os.makedirs(WORK + "/bin")
    os.symlink(LINKBOX, WORK + "/bin/patchelf")


def text(b):
    return b.decode("utf-8", "replace")


def readelf_all(path, scratch):
    """llvm-readelf -a --wide: exit code, diagnostics (file name removed), parsed -d/-l fields, and a count
    of '<corrupt'/'<invalid' markers in the dump (stdout goes through a file: it can be 100 MB)."""
    out = scratch + ".readelf"
    with open(out, "wb") as o:
        p = subprocess.run([READELF, "-a", "--wide", path], stdout=o, stderr=subprocess.PIPE, timeout=900)
    relevant, markers = [], 0
    with open(out, "r", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            low = line.lower()
            if "<corrupt" in low or "<invalid" in low:
                markers += 1
            if ("(NEEDED)" in line or "(SONAME)" in line or "(RUNPATH)" in line or "(RPATH)" in line
                    or "Requesting program interpreter" in line):
                relevant.append(line.rstrip("\n"))
    os.unlink(out)
    return {"rc": p.returncode, "diags": readelf_diagnostics(text(p.stderr), path),
            "fields": parse_readelf("\n".join(relevant)), "markers": markers}


def readdyn(path):
    p = run([LINKBOX, "readdyn", "--json", path])
    try:
        obj = json.loads(text(p.stdout))[0]
    except (ValueError, IndexError):
        return {"error": "exit %d, no JSON; stderr: %s" % (p.returncode, text(p.stderr).strip()[:400])}
    return obj


def run_program(exe, arg, cwd):
    """(exit code or 'timeout', combined output) of `exe arg` with stdin /dev/null in the empty dir cwd."""
    if os.path.exists(cwd):
        shutil.rmtree(cwd)
    os.makedirs(cwd)
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": cwd, "LC_ALL": "C"}
    p = subprocess.Popen([exe, arg], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         cwd=cwd, env=env, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=RUN_TIMEOUT)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = p.communicate()
        rc = "timeout"
    # Anything the program left behind (and any straggler it forked) stays in cwd; kill the group anyway.
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    shutil.rmtree(cwd, ignore_errors=True)
    # cwd first: the program's directory can be a prefix of it (base/c and base/cwd for the strip copy).
    o = out.replace(cwd.encode(), b"<CWD>").replace(os.path.dirname(exe).encode(), b"<DIR>")
    return rc, o


def step(cmd):
    p = run(cmd)
    if p.returncode != 0:
        return "%s (exit %s): %s" % (os.path.basename(cmd[0]) if cmd[0] != LINKBOX else "linkbox " + cmd[1],
                                     p.returncode, text(p.stderr).strip() or text(p.stdout).strip())
    return None


def check_file(idx, path, et, run_check):
    base = os.path.join(WORK, "f%05d" % idx)
    os.makedirs(base)
    name = os.path.basename(path)
    res = {"file": path, "type": ET_NAMES.get(et, str(et))}
    try:
        return _check_file(base, name, path, res, run_check)
    except Exception as e:  # a harness problem must not hide the other files' results
        res["harness_error"] = "%s: %s" % (type(e).__name__, e)
        return res
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _check_file(base, name, path, res, run_check):
    orig_rd = readelf_all(path, base + "/orig")
    orig_lb = readdyn(path)
    f = orig_rd["fields"]
    has_interp = bool(f["INTERP"])
    old_path = (f["RUNPATH"] or f["RPATH"] or [None])[0]
    new_runpath = RPATH_DIR + (":" + old_path if old_path else "")

    edited_dir = base + "/b"
    os.makedirs(edited_dir)
    edited = os.path.join(edited_dir, name)
    shutil.copy2(path, edited)

    steps = []
    if has_interp:
        steps.append([LINKBOX, "setinterp", edited, INTERP])
    steps.append([LINKBOX, "addneeded", edited] + NEEDED)
    steps.append([WORK + "/bin/patchelf", "--set-rpath", new_runpath, edited])
    for cmd in steps:
        err = step(cmd)
        if err:
            res["refused"] = err
            res["crashed"] = bool(re.search(r"\(exit -\d+\)", err))
            break
    if "refused" not in res:
        res["edited"] = True
        problems = []
        new_rd = readelf_all(edited, base + "/new")
        old_d = collections.Counter(normalise_numbers(d) for d in orig_rd["diags"])
        for d in new_rd["diags"]:
            k = normalise_numbers(d)
            if old_d[k] > 0:
                old_d[k] -= 1
            else:
                problems.append("llvm-readelf: " + d)
        if new_rd["rc"] != 0 and orig_rd["rc"] == 0:
            problems.append("llvm-readelf exit %d" % new_rd["rc"])
        if new_rd["markers"] > orig_rd["markers"]:
            problems.append("llvm-readelf dump has %d <corrupt/invalid> markers (original %d)" %
                            (new_rd["markers"], orig_rd["markers"]))
        nf = new_rd["fields"]
        want_needed = NEEDED + f["NEEDED"]
        if has_interp and nf["INTERP"] != [INTERP]:
            problems.append("llvm-readelf interpreter %r" % nf["INTERP"])
        if nf["NEEDED"] != want_needed:
            problems.append("llvm-readelf NEEDED %r" % nf["NEEDED"])
        if nf["RUNPATH"] != [new_runpath]:
            problems.append("llvm-readelf RUNPATH %r" % nf["RUNPATH"])
        if nf["SONAME"] != f["SONAME"]:
            problems.append("llvm-readelf SONAME %r (was %r)" % (nf["SONAME"], f["SONAME"]))
        lb = readdyn(edited)
        if "error" in lb:
            problems.append("linkbox readdyn: " + lb["error"])
        else:
            if has_interp and lb.get("interpreter") != INTERP:
                problems.append("readdyn interpreter %r" % lb.get("interpreter"))
            if lb.get("needed") != want_needed:
                problems.append("readdyn needed %r" % lb.get("needed"))
            if lb.get("runpath") != new_runpath:
                problems.append("readdyn runpath %r" % lb.get("runpath"))
            if lb.get("rpath") not in (None, new_runpath):
                problems.append("readdyn rpath %r" % lb.get("rpath"))
            if "error" not in orig_lb and lb.get("soname") != orig_lb.get("soname"):
                problems.append("readdyn soname %r (was %r)" % (lb.get("soname"), orig_lb.get("soname")))
        res["reread_problems"] = problems

        # The loader can map it: ld.so --list works on the edit wherever it worked on the original.
        # The baseline is an unedited copy in a sibling directory: $ORIGIN run paths (gconv modules) then
        # fail the same way on both.
        os.makedirs(base + "/o")
        unedited = os.path.join(base + "/o", name)
        shutil.copy2(path, unedited)
        lo = subprocess.run([LOADER, "--list", unedited], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=60)
        os.unlink(unedited)
        if lo.returncode == 0:
            ln = subprocess.run([LOADER, "--list", edited], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=60)
            res["loader"] = "ok" if ln.returncode == 0 and RPATH_DIR.encode() in ln.stdout else \
                "ld.so --list exit %d: %s" % (ln.returncode, text(ln.stdout).strip()[-400:])
        else:
            res["loader"] = "n/a"

    if run_check:
        res["run"] = run_programs(base, name, path, edited if res.get("edited") else None)
    return res


def run_programs(base, name, path, edited):
    """The running check for one /usr/bin executable."""
    before_dir = base + "/a"
    os.makedirs(before_dir)
    before = os.path.join(before_dir, name)
    shutil.copy2(path, before)
    arg, rc, out = None, None, None
    for a in ("--version", "--help"):
        t0 = time.time()
        rc, out = run_program(before, a, base + "/cwd")
        if rc == 0 and out.strip():
            arg = a
            break
    if arg is None:
        return {"runnable": False, "why": "%s" % rc}
    rc2, out2 = run_program(before, arg, base + "/cwd")
    if (rc2, out2) != (rc, out):
        return {"runnable": False, "why": "nondeterministic output", "arg": arg}
    r = {"runnable": True, "arg": arg, "seconds": round(time.time() - t0, 2)}
    if edited is None:
        r["after"] = "not edited (refused)"
        return r

    def compare(exe):
        rc_e, out_e = run_program(exe, arg, base + "/cwd")
        if rc_e == rc and out_e == out:
            return "ok"
        # Some programs pass the two-run check above and still vary now and then (groff --version prints
        # its subprograms' lines in either order under load): an output the original also produces is
        # no failure of the edit.
        for _ in range(5):
            if run_program(before, arg, base + "/cwd") == (rc_e, out_e):
                r["output_varies"] = True
                return "ok"
        return "exit %s (want %s); output %s" % (rc_e, rc, "identical" if out_e == out else
                                                 "differs: %r... want %r..." % (out_e[:300], out[:300]))

    r["after"] = compare(edited)
    for tool, key, sub in (("strip", "strip", "c"), ("llvm-strip", "llvm_strip", "d")):
        d = base + "/" + sub  # one-letter directories like a/ and b/: the program's path keeps its length
        os.makedirs(d)
        stripped = os.path.join(d, name)
        p = run([tool, "-o", stripped, edited])
        if p.returncode != 0:
            # Is it the edit, or does the tool refuse the untouched file too?
            q = run([tool, "-o", stripped + ".orig", path])
            r[key] = "%s failed (exit %d): %s%s" % (tool, p.returncode, text(p.stderr).strip()[:400],
                                                    "" if q.returncode == 0 else " [also fails on the original]")
        else:
            warn = text(p.stderr).strip()
            r[key] = compare(stripped)
            if warn:
                r[key + "_warning"] = warn[:400]
        shutil.rmtree(d, ignore_errors=True)
    return r


def summarise(results, skipped, out):
    def p(*a):
        print(*a, file=out)

    edited = [r for r in results if r.get("edited")]
    refused = [r for r in results if "refused" in r]
    harness = [r for r in results if "harness_error" in r]
    bad_reread = [r for r in edited if r.get("reread_problems")]
    loader_bad = [r for r in edited if r.get("loader") not in ("ok", "n/a")]
    p("== edit safety ==")
    p("files:                 %d  (skipped, not ET_EXEC/ET_DYN: %s)" % (
        len(results), ", ".join("%s %d" % (k, len(v)) for k, v in sorted(skipped.items())) or "none"))
    p("edited:                %d" % len(edited))
    p("refused:               %d  (crashes among them: %d)" % (len(refused), sum(r.get("crashed", False) for r in refused)))
    p("failed re-read:        %d" % len(bad_reread))
    p("loader (ld.so --list): %d ok, %d n/a (original not loadable), %d FAILED" % (
        sum(r.get("loader") == "ok" for r in edited), sum(r.get("loader") == "n/a" for r in edited), len(loader_bad)))
    if harness:
        p("harness errors:        %d" % len(harness))
    if refused:
        p("\n-- refusals, grouped by message (file name removed) --")
        groups = collections.defaultdict(list)
        for r in refused:
            msg = r["refused"].replace(os.path.basename(r["file"]), "FILE")
            msg = re.sub(re.escape(WORK) + r"/f\d+/b/", "", msg)
            groups[normalise_numbers(msg)].append(r["file"])
        for msg, files in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            p("%4d  %s" % (len(files), msg))
            for f in files[:12]:
                p("        %s" % f)
            if len(files) > 12:
                p("        ... %d more" % (len(files) - 12))
    if bad_reread:
        p("\n-- failed re-read --")
        for r in bad_reread:
            p(r["file"])
            for x in r["reread_problems"][:8]:
                p("   " + x)
    if loader_bad:
        p("\n-- ld.so --list fails on the edit but not on the original --")
        for r in loader_bad:
            p("%s: %s" % (r["file"], r.get("loader")))
    if harness:
        p("\n-- harness errors --")
        for r in harness:
            p("%s: %s" % (r["file"], r["harness_error"]))

    runs = [r for r in results if "run" in r]
    if runs:
        runnable = [r for r in runs if r["run"]["runnable"]]
        nondet = [r for r in runs if r["run"].get("why") == "nondeterministic output"]
        patched = [r for r in runnable if "after" in r["run"] and r["run"]["after"] != "not edited (refused)"]
        p("\n== running check (/usr/bin) ==")
        p("executables tried:     %d" % len(runs))
        p("runnable before:       %d  (+%d with nondeterministic output, excluded)" % (len(runnable), len(nondet)))
        p("  of which edited:     %d  (refused: %d)" % (len(patched), len(runnable) - len(patched)))
        varied = [r["file"] for r in patched if r["run"].get("output_varies")]
        if varied:
            p("  output varies:       %d  (a difference matched a rerun of the original: %s)" % (
                len(varied), " ".join(varied)))
        for key, label in (("after", "runnable after edit"), ("strip", "after strip"), ("llvm_strip", "after llvm-strip")):
            ok = [r for r in patched if r["run"].get(key) == "ok"]
            p("%-22s %d / %d" % (label + ":", len(ok), len(patched)))
        for key, label in (("after", "edit"), ("strip", "strip"), ("llvm_strip", "llvm-strip")):
            bad = [r for r in patched if r["run"].get(key) != "ok"]
            if bad:
                p("\n-- failures: %s --" % label)
                for r in bad:
                    p("%s (%s): %s" % (r["file"], r["run"]["arg"], r["run"].get(key)))
        warned = [r for r in patched if r["run"].get("strip_warning") or r["run"].get("llvm_strip_warning")]
        if warned:
            p("\n-- strip warnings (informational) --")
            for r in warned:
                p("%s: %s" % (r["file"], r["run"].get("strip_warning") or r["run"].get("llvm_strip_warning")))
        if runnable and len(patched) < len(runnable):
            p("\n-- runnable but refused by the edit --")
            for r in runnable:
                if r not in patched:
                    p("%s: %s" % (r["file"], r.get("refused")))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--roots", nargs="+", default=DEFAULT_ROOTS)
    ap.add_argument("--files", nargs="+", help="check these files instead of the corpus")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--report-json", help="write the full results here")
    ap.add_argument("--no-run", action="store_true", help="skip the running check")
    args = ap.parse_args()

    skipped = {}
    if args.files:
        files = [(os.path.abspath(p), elf_type(p)) for p in args.files]
    else:
        files, skipped = enumerate_corpus(args.roots)
    if args.limit:
        files = files[:args.limit]
    setup()
    print("linkbox: %s (snapshot of %s at %s)" % (linkbox_revision(), corpus_common.LINKBOX,
                                                time.strftime("%H:%M:%S")), flush=True)

    def wants_run(path):
        return (not args.no_run and os.path.dirname(path) == "/usr/bin" and os.access(path, os.X_OK))

    results = []
    t0 = time.time()
    with ProcessPoolExecutor(WORKERS) as pool:
        futs = [pool.submit(check_file, i, p, t, wants_run(p)) for i, (p, t) in enumerate(files)]
        for n, fut in enumerate(as_completed(futs), 1):
            results.append(fut.result())
            if n % 100 == 0:
                print("... %d/%d files, %.0f s" % (n, len(files), time.time() - t0), file=sys.stderr, flush=True)
    results.sort(key=lambda r: r["file"])
    if args.report_json:
        with open(args.report_json, "w") as f:
            json.dump({"results": results, "skipped": skipped}, f, indent=1)
    summarise(results, skipped, sys.stdout)
    shutil.rmtree(WORK, ignore_errors=True)
    bad = any("refused" in r or r.get("reread_problems") or "harness_error" in r for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
