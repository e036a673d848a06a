// readdyn on Mach-O files (thin and fat): what dyld sees of each image.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "libformat/expected.h"
#include "libmacho/macho-file.h"

namespace linkbox::tools {

struct MachoReaddynOptions {
  bool json = false;
  bool load_commands = false;  // text: list every load command and section too
};

// The report for one parsed file, as text and as one JSON object (indented
// for readdyn's array), and the problems found on the way (a malformed code
// signature): the report is still complete, with the signature marked
// "invalid".
struct MachoReport {
  std::string text;
  std::string json;
  std::vector<Error> errors;
};
MachoReport describe_macho(const macho::MachOFile& file, const MachoReaddynOptions& options);

// Runs readdyn on `path` if it is a Mach-O file: prints the text report, or
// appends the JSON object to `json_objects`, and reports errors. Returns the
// status (0 or 1), or nullopt when `path` is not a Mach-O file (or cannot be
// opened), for the ELF path to handle.
std::optional<int> readdyn_macho(const std::string& path, const MachoReaddynOptions& options,
                                 std::vector<std::string>* json_objects);

}  // namespace linkbox::tools
