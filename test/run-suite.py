#!/usr/bin/env python3
"""Runs the lit suite for each build directory given and ends with one line,
'N passed, N failed', summing all of them (the line CI reads)."""
import re
import subprocess
import sys

LIT = "/usr/lib/llvm-14/build/utils/lit/lit.py"

def main():
    passed = failed = 0
    # --check=NAME:STATUS counts an outside check (the fuzz smoke run) as one test.
    for arg in [a for a in sys.argv[1:] if a.startswith("--check=")]:
        name, _, status = arg[len("--check="):].rpartition(":")
        ok = status == "0"
        print(f"{'PASS' if ok else 'FAIL'}: {name} (exit status {status})")
        passed += ok
        failed += not ok
    for build in [a for a in sys.argv[1:] if not a.startswith("--check=")]:
        print(f"== lit: {build}", flush=True)
        proc = subprocess.run([sys.executable, LIT, "-v", f"{build}/test"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(proc.stdout, flush=True)
        counts = dict(re.findall(r"^\s*(Passed|Failed|Unsupported|Expectedly Failed|Unexpectedly Passed|Unresolved|Timed Out)\s*:\s*(\d+)", proc.stdout, re.M))
        passed += int(counts.get("Passed", 0)) + int(counts.get("Expectedly Failed", 0))
        bad = sum(int(counts.get(k, 0)) for k in ("Failed", "Unexpectedly Passed", "Unresolved", "Timed Out"))
        if proc.returncode != 0 and bad == 0:
            bad = 1  # lit itself failed
        failed += bad
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1

if __name__ == "__main__":
    sys.exit(main())
