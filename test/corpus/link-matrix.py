#!/usr/bin/env python3
"""Link matrix: the linker's acceptance test on real programs.

For every program in test/link/programs (see the README.md there for the corpus and its directive
comments) x compiler {gcc, clang} x optimization {-O0, -O2} x mode {no-pie, pie, static,
static-pie}, the program is compiled once, linked twice through the compiler driver -- once with
the system's GNU ld (ld.bfd, the reference: -fuse-ld=bfd) and once with linkbox (-B DIR, where
DIR/ld is a symlink to linkbox) -- and both executables are run. A combination passes when both
links succeed and the two runs give the same stdout and the same exit status (and the reference
exits with the status the program declares, 0 unless it says `// EXIT: N`).

Output: one line per failing combination with the reason, then
    matrix: N combinations, N passed, N failed, N skipped
The exit status is 1 if any combination failed, 2 on a usage or set-up error.

Modes a compiler does not support (probed by linking a hello world with the reference linker) are
reported with a `note:` line and left out of the matrix. Combinations a program excludes with
`// SKIP:` (dlopen in static executables, ...) count as skipped.

--quick picks a deterministic subset for CI: every program twice, with different compilers,
optimization levels, PIC-ness and static/dynamic (rotating through the matrix), plus whatever is
needed so that every selected mode, compiler and optimization level is used at least once.

Every combination leaves a repro.sh in its directory under the work directory with the exact
compile, link and run commands; the work directory is kept when something failed (or with
--keep / --work).
"""
import argparse
import concurrent.futures
import fnmatch
import multiprocessing
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROGRAMS_DIR = os.path.normpath(os.path.join(HERE, "..", "link", "programs"))
DEFAULT_LINKBOX = os.path.normpath(os.path.join(HERE, "..", "..", "build", "linkbox"))

COMPILERS = {
    # name: (C driver, C++ driver)
    "gcc": ("gcc-12", "g++-12"),
    "clang": ("clang-14", "clang++-14"),
}
OPTS = ["-O0", "-O2"]
# mode: (compile flags, link flags)
MODES = {
    "no-pie": (["-fno-pie"], ["-no-pie"]),
    "pie": (["-fPIE"], ["-pie"]),
    "static": (["-fno-pie"], ["-static"]),
    "static-pie": (["-fPIE"], ["-static-pie"]),
}
SOURCE_SUFFIXES = {".c": "c", ".cpp": "c++", ".cc": "c++"}
# Every C++ program is compiled as C++17 (clang 14 defaults to C++14, gcc 12 to C++17);
# a program's own -std= in CFLAGS comes later and wins.
LANG_FLAGS = {"c": [], "c++": ["-std=gnu++17"]}
DIRECTIVES = {"CFLAGS", "LDFLAGS", "LINK", "SKIP", "EXIT", "UNITS", "ARGS"}
DIRECTIVE_RE = re.compile(r"^//\s*([A-Z]+):\s*(.*?)\s*$")

# The environment programs run in: nothing from the caller's environment leaks into the output.
RUN_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC", "HOME": "/nonexistent"}
COMPILE_TIMEOUT = 900
LINK_TIMEOUT = 300
RUN_TIMEOUT = 60


class SetupError(Exception):
    pass


# Corpus ------------------------------------------------------------------------------------------

class Program:
    def __init__(self, name, path, lang, generator=None):
        self.name = name
        self.path = path  # the source (for a generated program: where it is generated)
        self.lang = lang
        self.generator = generator
        self.cflags, self.ldflags, self.libs, self.args = [], [], [], []
        self.skips = []  # (set of mode/compiler/opt names, reason)
        self.exit = 0
        self.units = 1

    def parse_directives(self):
        with open(self.path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.startswith("//"):
                    break
                m = DIRECTIVE_RE.match(line)
                if not m or m.group(1) not in DIRECTIVES:
                    continue
                key, value = m.groups()
                where = "%s:%d" % (self.path, lineno)
                if key == "CFLAGS":
                    self.cflags += shlex.split(value)
                elif key == "LDFLAGS":
                    self.ldflags += shlex.split(value)
                elif key == "LINK":
                    self.libs += shlex.split(value)
                elif key == "ARGS":
                    self.args += shlex.split(value)
                elif key == "EXIT":
                    self.exit = int(value)
                elif key == "UNITS":
                    self.units = int(value)
                    if self.units < 1:
                        raise SetupError("%s: UNITS must be at least 1" % where)
                elif key == "SKIP":
                    names, sep, reason = value.partition(":")
                    names = set(names.split())
                    unknown = names - set(MODES) - set(COMPILERS) - {o.lstrip("-") for o in OPTS}
                    if not sep or not names or unknown:
                        raise SetupError("%s: expected `// SKIP: MODE|COMPILER|OPT... : reason`%s" % (
                            where, " (unknown: %s)" % " ".join(sorted(unknown)) if unknown else ""))
                    self.skips.append((names, reason.strip()))

    def skip_reason(self, compiler, opt, mode):
        for names, reason in self.skips:
            if mode in names or compiler in names or opt.lstrip("-") in names:
                return reason
        return None


def discover(programs_dir):
    programs = {}
    for entry in sorted(os.listdir(programs_dir)):
        path = os.path.join(programs_dir, entry)
        stem, ext = os.path.splitext(entry)
        if ext in SOURCE_SUFFIXES:
            prog = Program(stem, path, SOURCE_SUFFIXES[ext])
        elif entry.startswith("gen-") and ext == ".py":
            prog = Program(stem[len("gen-"):], None, "c", generator=path)
        else:
            continue
        if prog.name in programs:
            raise SetupError("two programs named %s in %s" % (prog.name, programs_dir))
        programs[prog.name] = prog
    return dict(sorted(programs.items()))


def select(names, pattern_list, what):
    """Filters names (keeping their order) by a comma-separated list of names or fnmatch patterns."""
    if not pattern_list:
        return list(names)
    patterns = [p for p in pattern_list.split(",") if p]
    for p in patterns:
        if not any(fnmatch.fnmatchcase(n, p) for n in names):
            raise SetupError("no %s matches %r (known: %s)" % (what, p, " ".join(names)))
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns)]


# Running commands ---------------------------------------------------------------------------------

def run(cmd, timeout, env=None, cwd=None):
    """Runs cmd; returns (returncode or None on timeout, stdout bytes, stderr bytes)."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, env=env, cwd=cwd)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b""
    except OSError as e:
        return 127, b"", str(e).encode()


def first_lines(data, n=3, width=400):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = [l.rstrip() for l in text.splitlines() if l.strip()]
    out = " | ".join(lines[:n])
    if len(lines) > n:
        out += " | ... (%d more lines)" % (len(lines) - n)
    return out[:width] + ("..." if len(out) > width else "")


def describe_status(rc, timeout=RUN_TIMEOUT):
    if rc is None:
        return "timed out after %ds" % timeout
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = "signal %d" % -rc
        return "killed by %s" % name
    return "exit status %d" % rc


def compile_env():
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    return env


# One unit of work: a program compiled with one compiler, optimization level and code model
# (PIC or not), linked and run in each of the modes that use those objects.

def work_unit(job):
    prog, compiler, opt, pic, modes, work, bindir = (job[k] for k in
                                                       ("prog", "compiler", "opt", "pic", "modes", "work", "bindir"))
    cc, cxx = COMPILERS[compiler]
    driver = cxx if prog.lang == "c++" else cc
    unit_dir = os.path.join(work, prog.name, "%s%s-%s" % (compiler, opt, "pic" if pic else "nopic"))
    os.makedirs(unit_dir, exist_ok=True)
    results = []
    env = compile_env()

    objects, compile_cmds = [], []
    mode_cflags = MODES[modes[0]][0]
    for unit in range(prog.units):
        obj = os.path.join(unit_dir, "%s%s.o" % (prog.name, "" if prog.units == 1 else ".%d" % unit))
        cmd = [driver, "-c", prog.path, "-o", obj, opt] + mode_cflags + LANG_FLAGS[prog.lang] + prog.cflags
        if prog.units > 1:
            cmd.append("-DUNIT=%d" % unit)
        compile_cmds.append(cmd)
        objects.append(obj)
    compile_error = None
    for cmd in compile_cmds:
        rc, out, err = run(cmd, COMPILE_TIMEOUT, env=env)
        if rc != 0:
            compile_error = "compile failed (%s): %s" % (describe_status(rc, COMPILE_TIMEOUT), first_lines(out + err))
            break

    for mode in modes:
        combo = {"program": prog.name, "compiler": compiler, "opt": opt, "mode": mode}
        mode_dir = os.path.join(unit_dir, mode)
        os.makedirs(mode_dir, exist_ok=True)
        ref_exe = os.path.join(mode_dir, "ref")
        lb_exe = os.path.join(mode_dir, "linkbox")
        link_tail = MODES[mode][1] + prog.ldflags + objects + prog.libs
        ref_link = [driver, "-fuse-ld=bfd", "-o", ref_exe] + link_tail
        lb_link = [driver, "-B" + bindir, "-o", lb_exe] + link_tail
        repro = os.path.join(mode_dir, "repro.sh")
        with open(repro, "w") as f:
            f.write("#!/bin/sh\n# %s [%s %s %s]: compile, link with ld.bfd and with linkbox, run both.\nset -x\n" % (
                prog.name, compiler, opt, mode))
            if prog.generator:
                f.write("python3 %s %s\n" % (shlex.quote(prog.generator), shlex.quote(prog.path)))
            for cmd in compile_cmds:
                f.write(shlex.join(cmd) + "\n")
            f.write(shlex.join(ref_link) + "\n" + shlex.join(lb_link) + "\n")
            run_env = " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in RUN_ENV.items())
            for exe in (ref_exe, lb_exe):
                f.write("(cd %s && env -i %s %s; echo \"exit status $?\") > %s.out\n" % (
                    shlex.quote(mode_dir), run_env, shlex.join([exe] + prog.args), shlex.quote(exe)))
            f.write("diff %s.out %s.out\n" % (shlex.quote(ref_exe), shlex.quote(lb_exe)))
        combo["repro"] = repro

        def done(status, reason=""):
            combo["status"], combo["reason"] = status, reason
            results.append(combo)

        if compile_error:
            done("fail", compile_error)
            continue
        rc, out, err = run(ref_link, LINK_TIMEOUT, env=env)
        if rc != 0:
            done("fail", "reference link (ld.bfd) failed: " + first_lines(out + err))
            continue
        rc, out, err = run(lb_link, LINK_TIMEOUT, env=env)
        if rc != 0:
            done("fail", "link failed (%s): %s" % (describe_status(rc, LINK_TIMEOUT), first_lines(out + err)))
            continue
        ref_rc, ref_out, ref_err = run([ref_exe] + prog.args, RUN_TIMEOUT, env=RUN_ENV, cwd=mode_dir)
        if ref_rc != prog.exit:
            done("fail", "reference run (ld.bfd): %s, expected exit status %d: %s" % (
                describe_status(ref_rc), prog.exit, first_lines(ref_err)))
            continue
        varies = None
        for _ in range(job["runs"] - 1):
            rc2, out2, _ = run([ref_exe] + prog.args, RUN_TIMEOUT, env=RUN_ENV, cwd=mode_dir)
            if (rc2, out2) != (ref_rc, ref_out):
                varies = first_difference(ref_out, out2) if out2 != ref_out else "exit status %s, then %s" % (
                    describe_status(ref_rc), describe_status(rc2))
                break
        if varies:
            done("fail", "the program is not deterministic: two runs of the reference differ: " + varies)
            continue
        lb_rc, lb_out, lb_err = run([lb_exe] + prog.args, RUN_TIMEOUT, env=RUN_ENV, cwd=mode_dir)
        problems = []
        if lb_rc is None or lb_rc < 0:
            problems.append("run crashed: %s" % describe_status(lb_rc) + (
                " (stderr: %s)" % first_lines(lb_err, 2) if lb_err.strip() else ""))
        elif lb_rc != ref_rc:
            problems.append("exit status differs: reference %d, linkbox %d" % (ref_rc, lb_rc) + (
                " (stderr: %s)" % first_lines(lb_err, 2) if lb_err.strip() else ""))
        if lb_out != ref_out:
            problems.append("output differs (reference vs linkbox): " + first_difference(ref_out, lb_out))
        done("fail" if problems else "pass", "; ".join(problems))
    return results


def first_difference(ref, got):
    a = ref.decode("utf-8", "replace").split("\n")
    b = got.decode("utf-8", "replace").split("\n")
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            show = lambda s: "<end of output>" if s is None else repr(s[:120])
            return "line %d: %s vs %s" % (i + 1, show(x), show(y))
    return "(same lines, different bytes)"


# Set-up ---------------------------------------------------------------------------------------------

def probe_toolchains(compilers, modes, work, bindir):
    """Returns (usable compilers, {compiler: [supported modes]}, notes)."""
    probe_dir = os.path.join(work, "probe")
    os.makedirs(probe_dir, exist_ok=True)
    src = os.path.join(probe_dir, "hello.c")
    with open(src, "w") as f:
        f.write('#include <stdio.h>\nint main(void) { puts("probe"); return 0; }\n')
    usable, supported, notes = [], {}, []
    env = compile_env()
    for compiler in compilers:
        missing = [d for d in COMPILERS[compiler] if not shutil.which(d)]
        if missing:
            notes.append("note: %s: %s not found; left out of the matrix" % (compiler, " ".join(missing)))
            continue
        cc = COMPILERS[compiler][0]
        # The -B directory must really put linkbox in place of ld, and -fuse-ld=bfd must pick GNU ld.
        for flags, want, what in ((["-B" + bindir], "linkbox", "linkbox through -B"),
                                  (["-fuse-ld=bfd"], "GNU ld", "GNU ld through -fuse-ld=bfd")):
            rc, out, err = run([cc] + flags + ["-Wl,--version", src, "-o", os.path.join(probe_dir, "version")],
                               LINK_TIMEOUT, env=env)
            if want not in (out + err).decode("utf-8", "replace"):
                raise SetupError("%s does not link with %s: %s" % (cc, what, first_lines(out + err)))
        usable.append(compiler)
        supported[compiler] = []
        for mode in modes:
            exe = os.path.join(probe_dir, "%s-%s" % (compiler, mode))
            cflags, ldflags = MODES[mode]
            rc, out, err = run([cc, "-fuse-ld=bfd"] + cflags + ldflags + [src, "-o", exe], LINK_TIMEOUT, env=env)
            if rc == 0:
                rc2, out2, _ = run([exe], RUN_TIMEOUT)
                if rc2 == 0 and out2 == b"probe\n":
                    supported[compiler].append(mode)
                    continue
                err = b"the linked program does not run"
            notes.append("note: %s does not support %s (%s): unsupported, left out of the matrix" % (
                cc, mode, first_lines(out + err, 1, 200)))
    return usable, supported, notes


def make_bindir(work, linkbox):
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "ld")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(linkbox, link)
    return bindir


def quick_selection(programs, compilers, opts, modes, supported):
    """A deterministic subset: [(program, compiler, opt, mode)]; see the module docstring."""
    chosen = []
    for i, prog in enumerate(programs):
        # Two combinations per program that differ in everything: compiler, optimization level,
        # PIC or not, static or dynamic (the mode rotation offset 3 gives no-pie/static-pie,
        # pie/no-pie, static/pie, static-pie/static).
        c0 = i // len(modes)
        o0 = i // (len(modes) * len(compilers))
        picks = []
        for k, offset in enumerate((0, 3)):
            compiler = compilers[(c0 + k) % len(compilers)]
            opt = opts[(o0 + k) % len(opts)]
            candidates = [modes[(i + offset + j) % len(modes)] for j in range(len(modes))]
            candidates = [m for m in candidates if m in supported[compiler]]
            runnable = [m for m in candidates if not prog.skip_reason(compiler, opt, m)]
            pick = (runnable or candidates or [None])[0]
            if pick and (prog, compiler, opt, pick) not in picks:
                picks.append((prog, compiler, opt, pick))
        chosen += picks
    # Make sure every mode, compiler and optimization level appears at least once.
    def covered(index, value):
        return any(c[index] == value for c in chosen)
    for compiler in compilers:
        for mode in supported[compiler]:
            if covered(3, mode) and covered(1, compiler):
                continue
            for i, prog in enumerate(programs):
                opt = opts[i % len(opts)]
                if not prog.skip_reason(compiler, opt, mode):
                    chosen.append((prog, compiler, opt, mode))
                    break
    for opt in opts:
        if not covered(2, opt) and chosen:
            prog, compiler, _, mode = chosen[0]
            chosen.append((prog, compiler, opt, mode))
    return chosen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--linkbox", default=os.environ.get("LINKBOX", DEFAULT_LINKBOX), help="the linkbox binary")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel work units")
    ap.add_argument("--programs", help="comma-separated program names or patterns (default: all)")
    ap.add_argument("--compilers", help="comma-separated, from: " + ",".join(COMPILERS))
    ap.add_argument("--opts", help="comma-separated, from: " + ",".join(OPTS) + " (the dash may be left out)")
    ap.add_argument("--modes", help="comma-separated, from: " + ",".join(MODES))
    ap.add_argument("--programs-dir", default=DEFAULT_PROGRAMS_DIR, help="the corpus (default: %(default)s)")
    ap.add_argument("--work", help="work directory (kept; default: a temporary directory, removed if all passed)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    ap.add_argument("--quick", action="store_true", help="a deterministic subset for CI (see below)")
    ap.add_argument("--runs", type=int, default=1,
                    help="run each reference executable this many times and fail programs whose runs differ")
    ap.add_argument("--list", action="store_true", help="print the combinations and exit")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print skipped combinations, repro.sh paths of failures, and progress on stderr")
    args = ap.parse_args()

    start = time.monotonic()
    try:
        linkbox = os.path.abspath(args.linkbox)
        if not os.access(linkbox, os.X_OK):
            raise SetupError("linkbox binary not found: %s" % linkbox)
        programs = discover(args.programs_dir)
        names = select(list(programs), args.programs, "program")
        compilers = select(list(COMPILERS), args.compilers, "compiler")
        opt_filter = ",".join(o if o.startswith("-") else "-" + o for o in args.opts.split(",")) if args.opts else None
        opts = select(OPTS, opt_filter, "optimization level")
        modes = select(list(MODES), args.modes, "mode")

        temporary = not args.work
        work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="link-matrix-")
        os.makedirs(work, exist_ok=True)
        src_dir = os.path.join(work, "src")
        selected = [programs[n] for n in names]
        for prog in selected:
            if prog.generator:
                os.makedirs(src_dir, exist_ok=True)
                prog.path = os.path.join(src_dir, prog.name + ".c")
                rc, out, err = run([sys.executable, prog.generator, prog.path], COMPILE_TIMEOUT)
                if rc != 0:
                    raise SetupError("generator %s failed: %s" % (prog.generator, first_lines(err)))
            prog.parse_directives()

        bindir = make_bindir(work, linkbox)
        compilers, supported, notes = probe_toolchains(compilers, modes, work, bindir)
    except SetupError as e:
        print("link-matrix: error: %s" % e, file=sys.stderr)
        return 2
    for n in notes:
        print(n)

    # The combinations, each either skipped up front or part of a work unit.
    if args.quick:
        combos = quick_selection(selected, compilers, opts, modes, supported)
    else:
        combos = [(p, c, o, m) for p in selected for c in compilers for o in opts for m in modes if m in supported[c]]
    if args.list:
        for p, c, o, m in combos:
            reason = p.skip_reason(c, o, m)
            print("%s %s %s %s%s" % (p.name, c, o, m, " (skipped: %s)" % reason if reason else ""))
        return 0
    results, units = [], {}
    for p, c, o, m in combos:
        reason = p.skip_reason(c, o, m)
        if reason:
            results.append({"program": p.name, "compiler": c, "opt": o, "mode": m, "status": "skip", "reason": reason})
            continue
        pic = MODES[m][0] == ["-fPIE"]
        units.setdefault((p.name, c, o, pic), {"prog": p, "compiler": c, "opt": o, "pic": pic, "modes": [],
                                               "work": work, "bindir": bindir, "runs": max(1, args.runs)})["modes"].append(m)

    # Programs that abort must not leave core files behind.
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    jobs = max(1, args.jobs)
    # Expensive units (generated programs, C++ at -O2) first, so they do not finish last.
    order = sorted(units.values(), key=lambda u: (not u["prog"].generator, u["prog"].lang != "c++", u["opt"] != "-O2"))
    done_units = 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(work_unit, u) for u in order]
        for fut in concurrent.futures.as_completed(futures):
            results += fut.result()
            done_units += 1
            if args.verbose:
                print("[%d/%d units]" % (done_units, len(futures)), file=sys.stderr, flush=True)

    key_order = {n: i for i, n in enumerate(names)}
    results.sort(key=lambda r: (key_order[r["program"]], list(COMPILERS).index(r["compiler"]), OPTS.index(r["opt"]),
                                list(MODES).index(r["mode"])))
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for r in results:
        counts[r["status"]] += 1
        label = "%s [%s %s %s]" % (r["program"], r["compiler"], r["opt"], r["mode"])
        if r["status"] == "fail":
            print("FAIL: %s: %s" % (label, r["reason"]))
            if args.verbose:
                print("  repro: sh %s" % r["repro"])
        elif r["status"] == "skip" and args.verbose:
            print("SKIP: %s: %s" % (label, r["reason"]))
    print("matrix: %d combinations, %d passed, %d failed, %d skipped" % (
        len(results), counts["pass"], counts["fail"], counts["skip"]))
    print("link-matrix: %.1f s with %d jobs; work directory %s%s" % (
        time.monotonic() - start, jobs, work,
        " (removed)" if temporary and not args.keep and not counts["fail"] else ""), file=sys.stderr)
    if temporary and not args.keep and not counts["fail"]:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
