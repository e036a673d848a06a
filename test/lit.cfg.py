# lit configuration for linkbox. Each build directory has its own
# lit.site.cfg.py that points here, so the same tests run against the normal
# and the sanitizer build.
import os
import shutil

import lit.formats

config.name = "linkbox"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test", ".s", ".c", ".yaml"]
config.excludes = ["Inputs", "bench", "fuzz", "corpus", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.linkbox_bin_dir, "test")

llvm_bin = "/usr/lib/llvm-14/bin"
path = [config.linkbox_bin_dir, llvm_bin, os.environ.get("PATH", "/usr/bin:/bin")]
config.environment["PATH"] = os.pathsep.join(path)
for var in ["ASAN_OPTIONS", "UBSAN_OPTIONS", "HOME", "TMPDIR"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
# Program output must not depend on the user's locale.
config.environment["LC_ALL"] = "C"

linkbox = os.path.join(config.linkbox_bin_dir, "linkbox")
config.substitutions.append(("%linkbox", linkbox))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# A directory of personality symlinks (patchelf, ld, ...) for this test:
# run them as %t.bin/patchelf.
config.substitutions.insert(0,
    ("%personalities", "rm -rf %t.bin && %linkbox install-links %t.bin"))
config.substitutions.append(("%host-patchelf", "/usr/bin/patchelf"))
# binutils readelf, the oracle for the readelf personality (test/readelf).
config.substitutions.append(("%binutils-readelf", "/usr/bin/readelf"))

def have(tool):
    return shutil.which(tool, path=config.environment["PATH"]) is not None

if os.path.exists("/usr/bin/patchelf"):
    config.available_features.add("host-patchelf")
if os.path.exists("/usr/bin/readelf"):
    config.available_features.add("binutils-readelf")
if have("aarch64-linux-gnu-gcc"):
    config.available_features.add("aarch64-cc")
if have("qemu-aarch64"):
    config.available_features.add("qemu-aarch64")
if have("clang"):
    config.available_features.add("clang")
# glibc's own ldd on an x86-64 Debian host: the oracle of test/ldd.
if os.path.exists("/usr/bin/ldd") and os.path.exists("/lib64/ld-linux-x86-64.so.2"):
    config.available_features.add("glibc-ldd")
# libc6-i386 (the biarch /lib32 loader and C library) for 32-bit ldd tests.
if os.path.exists("/lib/ld-linux.so.2") and os.path.exists("/usr/lib32/libc.so.6"):
    config.available_features.add("libc6-i386")
# Runs the linker and ld.lld on the same command line and compares their
# diagnostics and exit statuses (test/link/Inputs/same-as-lld).
config.substitutions.append(("%same-as-lld",
    os.path.join(config.test_source_root, "link", "Inputs", "same-as-lld") + " " + linkbox))
