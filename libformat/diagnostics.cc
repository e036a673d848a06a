#include "libformat/diagnostics.h"

#include <cstdio>
#include <string>

namespace linkbox {
namespace {
std::string g_program_name = "linkbox";
int g_error_count = 0;
}  // namespace

void Diagnostics::set_program_name(std::string name) { g_program_name = std::move(name); }
const std::string& Diagnostics::program_name() { return g_program_name; }
int Diagnostics::error_count() { return g_error_count; }

void Diagnostics::print(std::string_view kind, std::string_view file, std::string_view message) {
  std::string line = g_program_name;
  line += ": ";
  line += kind;
  line += ": ";
  if (!file.empty()) {
    line += file;
    line += ": ";
  }
  line += message;
  line += '\n';
  std::fflush(stdout);
  std::fputs(line.c_str(), stderr);
}

void Diagnostics::error(std::string_view file, std::string_view message) {
  ++g_error_count;
  print("error", file, message);
}

void Diagnostics::warning(std::string_view file, std::string_view message) {
  print("warning", file, message);
}

void Diagnostics::note(std::string_view message) { print("note", "", message); }

}  // namespace linkbox
