// The Mach-O side of addneeded and setinterp. Each returns nullopt when the
// file is not Mach-O (the caller goes on with ELF), else the exit status,
// after reporting any error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace linkbox::tools {

// Adds LC_LOAD_DYLIB (LC_LOAD_WEAK_DYLIB when `weak`) for each of `dylibs`
// the file does not already depend on, in every slice.
std::optional<int> addneeded_macho(const std::string& file, const std::vector<std::string>& dylibs, bool weak,
                                   const std::string& output);

// Prints (`print`) or changes LC_LOAD_DYLINKER in every slice.
std::optional<int> setinterp_macho(const std::string& file, const std::string& path, bool print,
                                   const std::string& output);

}  // namespace linkbox::tools
