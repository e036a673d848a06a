#include "libelf/dynamic-info.h"

namespace linkbox::elf {

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::relocatable: return "relocatable object";
    case FileKind::static_executable: return "static executable";
    case FileKind::static_pie: return "static-pie executable";
    case FileKind::dynamic_executable: return "dynamic executable";
    case FileKind::pie: return "PIE executable";
    case FileKind::shared_library: return "shared library";
    case FileKind::core: return "core file";
    case FileKind::other: break;
  }
  return "other";
}

namespace {

FileKind classify(const ElfFile& f, const DynamicInfo& info) {
  switch (f.header().type) {
    case ET_REL: return FileKind::relocatable;
    case ET_CORE: return FileKind::core;
    case ET_EXEC:
      return info.interpreter || info.dynamic ? FileKind::dynamic_executable
                                              : FileKind::static_executable;
    case ET_DYN: {
      bool pie_flag = info.flags_1 && (*info.flags_1 & DF_1_PIE);
      if (info.interpreter) return pie_flag || !info.soname ? FileKind::pie : FileKind::shared_library;
      return pie_flag ? FileKind::static_pie : FileKind::shared_library;
    }
  }
  return FileKind::other;
}

}  // namespace

Expected<DynamicInfo> read_dynamic_info(const ElfFile& f) {
  DynamicInfo info;
  auto interp = f.interpreter();
  if (!interp) return interp.error();
  info.interpreter = *interp;
  auto dyn = f.dynamic_entries();
  if (!dyn) return dyn.error();
  info.dynamic = f.has_dynamic();
  if (!dyn->empty()) {
    auto strings = f.dynamic_strings();
    if (!strings) return strings.error();
    for (const Dyn& d : *dyn) {
      std::string text;
      if (dynamic_tag_is_string(d.tag)) {
        auto s = strings->at(d.val);
        if (!s)
          return f.error("dynamic entry DT_" + dynamic_tag_name(d.tag) + " has string offset " +
                         hex(d.val) + " outside the dynamic string table");
        text = std::string(*s);
      }
      switch (d.tag) {
        case DT_NEEDED: info.needed.push_back(text); break;
        case DT_SONAME: if (!info.soname) info.soname = text; break;
        case DT_RPATH: if (!info.rpath) info.rpath = text; break;
        case DT_RUNPATH: if (!info.runpath) info.runpath = text; break;
        case DT_FLAGS: info.flags = d.val; break;
        case DT_FLAGS_1: info.flags_1 = d.val; break;
      }
    }
    auto needs = f.version_needs();
    if (!needs) return needs.error();
    info.version_needs = std::move(*needs);
  }
  info.kind = classify(f, info);
  return info;
}

std::vector<std::string> dt_flags_names(uint64_t flags) {
  static const char* names[] = {"ORIGIN", "SYMBOLIC", "TEXTREL", "BIND_NOW", "STATIC_TLS"};
  std::vector<std::string> out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(flags & (uint64_t(1) << bit))) continue;
    out.push_back(bit < 5 ? names[bit] : hex(uint64_t(1) << bit));
  }
  return out;
}

std::vector<std::string> dt_flags_1_names(uint64_t flags) {
  static const char* names[] = {
      "NOW", "GLOBAL", "GROUP", "NODELETE", "LOADFLTR", "INITFIRST", "NOOPEN", "ORIGIN",
      "DIRECT", "TRANS", "INTERPOSE", "NODEFLIB", "NODUMP", "CONFALT", "ENDFILTEE",
      "DISPRELDNE", "DISPRELPND", "NODIRECT", "IGNMULDEF", "NOKSYMS", "NOHDR", "EDITED",
      "NORELOC", "SYMINTPOSE", "GLOBAUDIT", "SINGLETON", "STUB", "PIE", "KMOD", "WEAKFILTER",
      "NOCOMMON"};
  std::vector<std::string> out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(flags & (uint64_t(1) << bit))) continue;
    out.push_back(bit < 31 ? names[bit] : hex(uint64_t(1) << bit));
  }
  return out;
}

}  // namespace linkbox::elf
