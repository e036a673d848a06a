// One place that prints diagnostics, so every tool words them the same way:
//   linkbox: error: FILE: what went wrong
// Personalities that imitate another tool (patchelf) swap the program name.
#pragma once

#include <string>
#include <string_view>

#include "libformat/expected.h"

namespace linkbox {

class Diagnostics {
 public:
  // The name printed before "error:"; "linkbox" unless a personality says otherwise.
  static void set_program_name(std::string name);
  static const std::string& program_name();

  static void error(std::string_view file, std::string_view message);
  static void error(const Error& e) { error(e.file, e.message); }
  static void warning(std::string_view file, std::string_view message);
  static void note(std::string_view message);

  static int error_count();

 private:
  static void print(std::string_view kind, std::string_view file, std::string_view message);
};

}  // namespace linkbox
