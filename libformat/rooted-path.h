// Paths inside a root directory, resolved as a process chroot(2)ed there
// would see them: "..", and symbolic links whose absolute targets start
// again at the root. Both loader models (glibc's ld.so for ldd, dyld for
// Mach-O ldd) look at sysroots this way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace linkbox {

// The non-empty components of a path: "/a//b/" -> {"a", "b"}.
std::vector<std::string> path_components(std::string_view path);
// {"a", "b"} -> "/a/b"; {} -> "/".
std::string join_components(const std::vector<std::string>& parts);
// "/a/./b/../c" -> "/a/c", without looking at the file system.
std::string lexically_normal(const std::string& absolute);

// The host path of absolute `path` inside `root` (a directory without a
// trailing '/'), following at most `max_symlinks` links (the kernel's
// MAXSYMLINKS is 40).
std::string resolve_in_root(const std::string& root, const std::string& path, int max_symlinks = 40);

}  // namespace linkbox
