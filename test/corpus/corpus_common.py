# Shared helpers for the corpus acceptance scripts (read-parity.py, edit-safety.py).
# The corpus is every regular ELF file (not a symlink) under the system directories, deduplicated by
# realpath; ELF is recognised by its first four bytes, the type by e_type.
import argparse
import json
import os
import re
import subprocess

DEFAULT_ROOTS = ["/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu"]
LINKBOX = os.environ.get("LINKBOX", "/work/main/build/linkbox")
READELF = os.environ.get("LLVM_READELF", "llvm-readelf")

ET_NAMES = {0: "ET_NONE", 1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN", 4: "ET_CORE"}


def elf_type(path):
    """e_type of an ELF file, or None if the file is not ELF (or unreadable)."""
    try:
        with open(path, "rb") as f:
            head = f.read(18)
    except OSError:
        return None
    if len(head) < 18 or head[:4] != b"\x7fELF":
        return None
    order = "little" if head[5] == 1 else "big"
    return int.from_bytes(head[16:18], order)


def walk_elf_files(roots):
    """Yields (path, e_type) for every regular ELF file under roots, once per real file (symlinks and
    hard-linked duplicates skipped), in a stable order."""
    seen = set()
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                real = os.path.realpath(path)
                if real in seen:
                    continue
                seen.add(real)
                t = elf_type(path)
                if t is not None:
                    yield path, t


def enumerate_corpus(roots=DEFAULT_ROOTS):
    """Returns (files, skipped): files is a sorted list of (path, e_type) for ET_EXEC/ET_DYN,
    skipped maps a type name to the list of other ELF files."""
    files, skipped = [], {}
    for path, t in walk_elf_files(roots):
        if t in (2, 3):
            files.append((path, t))
        else:
            skipped.setdefault(ET_NAMES.get(t, "type %#x" % t), []).append(path)
    return files, skipped


# llvm-readelf -d / -l parsing ---------------------------------------------------------------------

_DYN_RE = re.compile(r"^\s*0x[0-9a-fA-F]+\s+\((NEEDED|SONAME|RUNPATH|RPATH)\)\s+(.*)$")
_DYN_VALUE_RE = re.compile(r"^(?:Shared library|Library soname|Library runpath|Library rpath): \[(.*)\]$")
_INTERP_RE = re.compile(r"^\s*\[Requesting program interpreter: (.*)\]$")


def parse_readelf(stdout):
    """Fields of `llvm-readelf -d -l --wide` output: lists, in file order."""
    out = {"NEEDED": [], "SONAME": [], "RUNPATH": [], "RPATH": [], "INTERP": []}
    for line in stdout.splitlines():
        m = _INTERP_RE.match(line)
        if m:
            out["INTERP"].append(m.group(1))
            continue
        m = _DYN_RE.match(line)
        if m:
            v = _DYN_VALUE_RE.match(m.group(2).strip())
            out[m.group(1)].append(v.group(1) if v else "<unparsed: %s>" % m.group(2).strip())
    return out


def readelf_diagnostics(stderr, path):
    """The warning/error lines of llvm-readelf's stderr, with the file name taken out so that the
    diagnostics of two copies of a file compare equal."""
    lines = []
    for line in stderr.splitlines():
        if "warning" in line.lower() or "error" in line.lower():
            lines.append(line.replace("'%s'" % path, "'FILE'").replace(path, "FILE"))
    return lines


def normalise_numbers(line):
    """A diagnostic with offsets/addresses/sizes/indices blanked, so the same complaint about a moved
    section is recognised after an edit."""
    return re.sub(r"\b(0x[0-9a-fA-F]+|\d+)\b", "N", line)


def snapshot_linkbox(dest):
    """Copies the linkbox binary to dest and returns dest: the build directory is rebuilt while a corpus
    run goes on (a binary being relinked cannot be executed), and one run should test one binary."""
    import shutil
    import time
    for attempt in range(30):
        try:
            tmp = dest + ".tmp"
            shutil.copy2(LINKBOX, tmp)
            p = subprocess.run([tmp, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if p.returncode == 0:
                os.replace(tmp, dest)
                return dest
        except OSError:
            pass
        time.sleep(2)
    raise RuntimeError("cannot snapshot %s" % LINKBOX)


def linkbox_revision():
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = subprocess.run(["git", "-C", src, "log", "-1", "--format=%h %s"], stdout=subprocess.PIPE, text=True)
    return p.stdout.strip()


def run(cmd, timeout=600, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kw)


def json_batch(cmd, paths, env=None):
    """Runs cmd + paths once, expecting a JSON array with one object per path, and returns the objects
    by path. A crash or unparsable output falls back to one file per call, so the culprit is named."""
    p = run(cmd + paths, env=env)
    try:
        objs = json.loads(p.stdout.decode("utf-8", "surrogateescape"))
        if len(objs) != len(paths) or p.returncode < 0:
            raise ValueError("%d objects for %d files, exit %d" % (len(objs), len(paths), p.returncode))
        return {path: obj for path, obj in zip(paths, objs)}
    except ValueError as e:
        if len(paths) == 1:
            return {paths[0]: {"error": "no JSON (%s); exit %d; stderr: %s" %
                               (e, p.returncode, p.stderr.decode(errors="replace").strip()[:500])}}
        out = {}
        for path in paths:
            out.update(json_batch(cmd, [path], env))
        return out


def corpus_arguments(description, roots=DEFAULT_ROOTS):
    """The options every parity script takes; the caller may add its own before parse_args()."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--roots", nargs="+", default=roots)
    ap.add_argument("--files", nargs="+", help="check these files instead of the corpus")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--report-json", help="write the full results here")
    return ap


def start_run(name):
    """Snapshots the linkbox binary for this run (so a rebuild meanwhile cannot mix versions), prints its
    revision, and returns the snapshot's path."""
    os.makedirs("/tmp/corpus-work", exist_ok=True)
    snapshot = snapshot_linkbox("/tmp/corpus-work/linkbox-" + name)
    print("linkbox: %s" % linkbox_revision(), flush=True)
    return snapshot


def type_counts(files):
    """'DYN 1617, EXEC 80' for a list of (path, e_type)."""
    counts = {}
    for _, t in files:
        name = ET_NAMES.get(t, str(t))
        counts[name] = counts.get(name, 0) + 1
    return ", ".join("%s %d" % kv for kv in sorted(counts.items()))


def print_corpus(files, skipped):
    print("corpus: %d files (%s); skipped: %s" % (
        len(files), type_counts(files),
        ", ".join("%s %d" % (k, len(v)) for k, v in sorted(skipped.items())) or "none"), flush=True)
