// linkbox readdyn FILE...: what the dynamic loader sees of each file.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "libelf/dynamic-info.h"
#include "libelf/plt-decoder.h"
#include "libformat/diagnostics.h"
#include "libformat/json.h"
#include "tools/common.h"
#include "tools/readdyn-macho.h"
#include "tools/readdyn-macho-fixups.h"
#include "tools/tools.h"

namespace linkbox::tools {
namespace {

std::string_view kind_key(elf::FileKind kind) {
  switch (kind) {
    case elf::FileKind::relocatable: return "relocatable";
    case elf::FileKind::static_executable: return "static-executable";
    case elf::FileKind::static_pie: return "static-pie";
    case elf::FileKind::dynamic_executable: return "dynamic-executable";
    case elf::FileKind::pie: return "pie";
    case elf::FileKind::shared_library: return "shared-library";
    case elf::FileKind::core: return "core";
    case elf::FileKind::other: break;
  }
  return "other";
}

std::string describe_format(const elf::ElfFile& f) {
  return std::string(elf::machine_name(f.machine())) + ", " + (f.is64() ? "ELF64" : "ELF32") + " " +
         (f.codec().order() == ByteOrder::big ? "big-endian" : "little-endian");
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string or_none(const std::optional<std::string>& s) { return s ? *s : "(none)"; }

void print_text(const elf::ElfFile& f, const elf::DynamicInfo& info) {
  std::printf("%s:\n", f.path().c_str());
  std::printf("  %-14s %s, %s\n", "type:", std::string(elf::file_kind_name(info.kind)).c_str(),
              describe_format(f).c_str());
  if (!info.dynamic) {
    std::printf("  not dynamic\n");
    return;
  }
  std::printf("  %-14s %s\n", "interpreter:", or_none(info.interpreter).c_str());
  std::printf("  %-14s %s\n", "soname:", or_none(info.soname).c_str());
  if (info.needed.empty()) std::printf("  %-14s (none)\n", "needed:");
  for (size_t i = 0; i < info.needed.size(); ++i)
    std::printf("  %-14s %s\n", i == 0 ? "needed:" : "", info.needed[i].c_str());
  std::printf("  %-14s %s\n", "rpath:", or_none(info.rpath).c_str());
  std::printf("  %-14s %s\n", "runpath:", or_none(info.runpath).c_str());
  std::printf("  %-14s %s\n", "flags:", info.flags ? join(elf::dt_flags_names(*info.flags), " ").c_str() : "(none)");
  std::printf("  %-14s %s\n", "flags_1:", info.flags_1 ? join(elf::dt_flags_1_names(*info.flags_1), " ").c_str() : "(none)");
  if (info.version_needs.empty()) std::printf("  %-14s (none)\n", "version needs:");
  for (size_t i = 0; i < info.version_needs.size(); ++i) {
    std::vector<std::string> names;
    for (const auto& v : info.version_needs[i].versions) names.push_back(v.name);
    std::printf("  %-14s %s: %s\n", i == 0 ? "version needs:" : "", info.version_needs[i].file.c_str(),
                join(names, ", ").c_str());
  }
}

std::string json_opt(const std::optional<std::string>& s) { return s ? json_quote(*s) : "null"; }

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_quote(v[i]);
  return out + "]";
}

std::string to_json(const elf::ElfFile& f, const elf::DynamicInfo& info) {
  std::string o = "  {\n";
  auto field = [&](const char* k, const std::string& v, bool last = false) {
    o += std::string("    \"") + k + "\": " + v + (last ? "\n" : ",\n");
  };
  field("file", json_quote(f.path()));
  field("format", "\"elf\"");
  field("class", f.is64() ? "64" : "32");
  field("byte_order", f.codec().order() == ByteOrder::big ? "\"big\"" : "\"little\"");
  field("machine", json_quote(elf::machine_name(f.machine())));
  field("type", json_quote(kind_key(info.kind)));
  field("dynamic", info.dynamic ? "true" : "false");
  field("interpreter", json_opt(info.interpreter));
  field("soname", json_opt(info.soname));
  field("needed", json_list(info.needed));
  field("rpath", json_opt(info.rpath));
  field("runpath", json_opt(info.runpath));
  field("flags", info.flags ? json_list(elf::dt_flags_names(*info.flags)) : "[]");
  field("flags_1", info.flags_1 ? json_list(elf::dt_flags_1_names(*info.flags_1)) : "[]");
  std::string needs = "[";
  for (size_t i = 0; i < info.version_needs.size(); ++i) {
    std::vector<std::string> names;
    for (const auto& v : info.version_needs[i].versions) names.push_back(v.name);
    needs += (i ? ", " : "") + std::string("{\"file\": ") + json_quote(info.version_needs[i].file) +
             ", \"versions\": " + json_list(names) + "}";
  }
  field("version_needs", needs + "]", true);
  return o + "  }";
}

std::string address_text(const elf::ElfFile& f, uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, f.is64() ? "0x%016llx" : "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

void print_plt_text(const elf::ElfFile& f, const std::vector<elf::PltEntry>& plt) {
  std::printf("%s:\n", f.path().c_str());
  if (plt.empty()) std::printf("  no PLT entries\n");
  for (const auto& e : plt)
    std::printf("  %s  %-9s %s@plt\n", address_text(f, e.address).c_str(), e.section.c_str(), e.target.c_str());
}

std::string plt_json(const elf::ElfFile& f, const std::vector<elf::PltEntry>& plt) {
  std::string o = "  {\n    \"file\": " + json_quote(f.path()) + ",\n    \"plt\": [";
  for (size_t i = 0; i < plt.size(); ++i)
    o += std::string(i ? "," : "") + "\n      {\"address\": " + json_quote(address_text(f, plt[i].address)) +
         ", \"section\": " + json_quote(plt[i].section) + ", \"got_slot\": " +
         json_quote(address_text(f, plt[i].got_slot)) + ", \"name\": " + json_quote(plt[i].target + "@plt") + "}";
  return o + (plt.empty() ? "]\n  }" : "\n    ]\n  }");
}

}  // namespace

int run_readdyn(int argc, char** argv) {
  CLI::App app{"Print what the dynamic loader sees of each file. ELF: its type, interpreter, SONAME, "
               "NEEDED entries in order, RPATH and RUNPATH, FLAGS and FLAGS_1, and version needs. "
               "Mach-O (every slice of a universal file): its type and arch, install name, dependent "
               "dylibs in order with their kind and versions, rpaths, dylinker, platform, UUID, entry "
               "point, fixup format and code-signature status.",
               "linkbox readdyn"};
  std::vector<std::string> files;
  bool json = false, plt = false;
  app.add_option("FILE", files, "ELF or Mach-O (thin or universal) files to read")->required();
  app.add_flag("--plt", plt, "list every PLT entry (.plt, .plt.sec, .plt.got) with its address and the symbol it reaches");
  bool load_commands = false;
  app.add_flag("--load-commands", load_commands,
               "Mach-O: also list every load command, segment and section (the JSON output always has them)");
  app.add_flag("--json", json, "print a JSON array with one object per file (stable schema, see linkbox-readdyn(1))");
  MachoFixupOptions fixups;
  add_macho_fixup_options(app, fixups);
  if (int status = parse_command_line(app, argc, argv); status >= 0) return status;
  if (fixups.any() && (json || plt || load_commands)) {
    Diagnostics::error("readdyn", "the Mach-O fixup views (--rebase, --bind, ...) print llvm-objdump's text: "
                                  "they do not combine with --json, --plt or --load-commands");
    return 2;
  }

  int status = 0;
  std::vector<std::string> objects;
  for (const auto& file : files) {
    if (fixups.any()) {
      status |= readdyn_macho_fixups(file, fixups);
      continue;
    }
    if (!plt) {
      if (auto macho = readdyn_macho(file, MachoReaddynOptions{json, load_commands}, &objects)) {
        if (*macho) status = 1;
        continue;
      }
    }
    auto in = load_elf(file);
    if (plt) {
      auto entries = in ? elf::decode_plt(in->elf) : Expected<std::vector<elf::PltEntry>>(in.error());
      if (!entries) {
        Diagnostics::error(entries.error());
        if (json) objects.push_back("  {\"file\": " + json_quote(file) + ", \"error\": " + json_quote(entries.error().message) + "}");
        status = 1;
      } else if (json) {
        objects.push_back(plt_json(in->elf, *entries));
      } else {
        print_plt_text(in->elf, *entries);
      }
      continue;
    }
    Expected<elf::DynamicInfo> info = in ? elf::read_dynamic_info(in->elf) : Expected<elf::DynamicInfo>(in.error());
    if (!info) {
      Diagnostics::error(info.error());
      if (json) objects.push_back("  {\"file\": " + json_quote(file) + ", \"error\": " + json_quote(info.error().message) + "}");
      status = 1;
      continue;
    }
    if (json) objects.push_back(to_json(in->elf, *info));
    else print_text(in->elf, *info);
  }
  if (json) {
    std::printf("[\n");
    for (size_t i = 0; i < objects.size(); ++i) std::printf("%s%s\n", objects[i].c_str(), i + 1 < objects.size() ? "," : "");
    std::printf("]\n");
  }
  return status;
}

}  // namespace linkbox::tools
