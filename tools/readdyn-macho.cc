// readdyn on Mach-O: the install name, dependent dylibs with their kind and
// versions, rpaths, dylinker, platform, UUID, entry point, fixup format and
// code-signature status of every slice, as text or JSON (see
// linkbox-readdyn(1) for both layouts).
#include "tools/readdyn-macho.h"

#include <cstdio>

#include "libformat/diagnostics.h"
#include "libformat/file-type.h"
#include "libformat/hex.h"
#include "libformat/json.h"
#include "libformat/mapped-file.h"
#include "libmacho/code-signature-info.h"
#include "libmacho/macho-names.h"

namespace linkbox::tools {
namespace {

using namespace linkbox::macho;

std::string dylib_kind(uint32_t cmd) {
  switch (cmd) {
    case LC_LOAD_WEAK_DYLIB: return "weak";
    case LC_REEXPORT_DYLIB: return "reexport";
    case LC_LAZY_LOAD_DYLIB: return "lazy";
    case LC_LOAD_UPWARD_DYLIB: return "upward";
  }
  return "load";
}

std::string versions_text(const Dylib& d) {
  return "(compatibility " + format_version(d.compatibility_version) + ", current " +
         format_version(d.current_version) + ")";
}

std::string format_text(const Slice& s) {
  return filetype_text(s.header().filetype) + ", " + arch_name(s.header().cputype, s.header().cpusubtype) +
         ", Mach-O " + (s.is64() ? "64-bit " : "32-bit ") +
         (s.order() == ByteOrder::big ? "big-endian" : "little-endian");
}

// The fixup format dyld applies to the image.
std::string fixups_key(const Slice& s) {
  if (s.linkedit_data(LC_DYLD_CHAINED_FIXUPS)) return "chained-fixups";
  if (s.dyld_info()) return "dyld-info";
  return "none";
}

std::string fixups_text(const Slice& s) {
  if (s.linkedit_data(LC_DYLD_CHAINED_FIXUPS)) return "chained fixups (LC_DYLD_CHAINED_FIXUPS)";
  if (s.dyld_info()) return "dyld info opcodes (" + load_command_name(s.dyld_info()->cmd) + ")";
  return "none";
}

// The platform, from LC_BUILD_VERSION or else LC_VERSION_MIN_*.
struct PlatformInfo {
  std::string source;  // the load command
  uint32_t platform = 0, minos = 0, sdk = 0;
};

std::optional<PlatformInfo> platform_of(const Slice& s) {
  if (const auto& bv = s.build_version()) return PlatformInfo{"LC_BUILD_VERSION", bv->platform, bv->minos, bv->sdk};
  if (const auto& vm = s.version_min())
    return PlatformInfo{load_command_name(vm->cmd), version_min_platform(vm->cmd), vm->version, vm->sdk};
  return std::nullopt;
}

// The VM address of the LC_MAIN entry offset (a file offset in __TEXT).
std::optional<uint64_t> entry_address(const Slice& s) {
  if (!s.entry_point()) return std::nullopt;
  uint64_t off = s.entry_point()->entryoff;
  for (const Segment& seg : s.segments())
    if (seg.filesize != 0 && off >= seg.fileoff && off - seg.fileoff < seg.filesize) return seg.vmaddr + (off - seg.fileoff);
  return std::nullopt;
}

struct SignatureView {
  std::optional<CodeSignatureInfo> info;
  std::optional<Error> error;
};

SignatureView signature_of(const Slice& s) {
  SignatureView v;
  auto info = read_code_signature(s);
  if (info) v.info = std::move(*info);
  else v.error = info.error();
  return v;
}

std::string signature_text(const SignatureView& v) {
  if (v.error) return "invalid (" + v.error->message + ")";
  const CodeSignatureInfo& info = *v.info;
  std::string out(signature_kind_text(info.kind));
  if (const auto& cd = info.code_directory) {
    out += " (" + hash_type_name(cd->hash_type);
    if (cd->page_size_log2) out += ", " + std::to_string(1ull << cd->page_size_log2) + "-byte pages";
    out += ", " + std::to_string(cd->n_code_slots) + " pages";
    if (!cd->identifier.empty()) out += ", identifier " + cd->identifier;
    out += ")";
  }
  return out;
}

void line(std::string& o, const char* label, const std::string& value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "  %-14s ", label);
  o += buf + value + "\n";
}

void load_commands_text(std::string& o, const Slice& s) {
  line(o, "load commands:", std::to_string(s.load_commands().size()) + " (" +
                                std::to_string(s.header().sizeofcmds) + " bytes)");
  size_t seg = 0;
  for (size_t i = 0; i < s.load_commands().size(); ++i) {
    const LoadCommand& lc = s.load_commands()[i];
    char buf[96];
    std::snprintf(buf, sizeof buf, "    [%2zu] %-24s cmdsize %u", i, load_command_name(lc.cmd).c_str(), lc.cmdsize);
    o += buf;
    if (seg < s.segments().size() && s.segments()[seg].command_index == i) {
      const Segment& sg = s.segments()[seg++];
      o += "  " + sg.name + " vmaddr " + hex(sg.vmaddr) + " vmsize " + hex(sg.vmsize) + " fileoff " +
           std::to_string(sg.fileoff) + " filesize " + std::to_string(sg.filesize) + " " +
           protection_text(sg.maxprot) + "/" + protection_text(sg.initprot) + "\n";
      for (const Section& sec : sg.sections)
        o += "           section " + sec.segname + "," + sec.sectname + " addr " + hex(sec.addr) + " size " +
             hex(sec.size) + " offset " + std::to_string(sec.offset) + " align 2^" + std::to_string(sec.align) +
             " flags " + hex(sec.flags) + "\n";
    } else {
      o += "\n";
    }
  }
}

std::string slice_text(const Slice& s, const std::string& title, const SignatureView& sig, bool with_commands) {
  std::string o = title + ":\n";
  line(o, "type:", format_text(s));
  if (const auto& id = s.id_dylib()) line(o, "install name:", id->name + " " + versions_text(*id));
  else line(o, "install name:", "(none)");
  if (s.dependencies().empty()) line(o, "dylibs:", "(none)");
  for (size_t i = 0; i < s.dependencies().size(); ++i) {
    const Dylib& d = s.dependencies()[i];
    std::string kind = d.cmd == LC_LOAD_DYLIB ? "" : " [" + dylib_kind(d.cmd) + "]";
    line(o, i == 0 ? "dylibs:" : "", d.name + " " + versions_text(d) + kind);
  }
  if (s.rpaths().empty()) line(o, "rpaths:", "(none)");
  for (size_t i = 0; i < s.rpaths().size(); ++i) line(o, i == 0 ? "rpaths:" : "", s.rpaths()[i].path);
  line(o, "dylinker:", s.dylinker() ? *s.dylinker() : "(none)");
  if (auto p = platform_of(s)) {
    std::string v = platform_name(p->platform) + ", minos " + format_version(p->minos) + ", sdk " + format_version(p->sdk);
    if (p->source != "LC_BUILD_VERSION") v += " (" + p->source + ")";
    line(o, "platform:", v);
  } else {
    line(o, "platform:", "(none)");
  }
  line(o, "uuid:", s.uuid() ? format_uuid(*s.uuid()) : "(none)");
  if (s.entry_point()) {
    auto addr = entry_address(s);
    line(o, "entry point:", (addr ? hex(*addr) + " " : "") + "(offset " + hex(s.entry_point()->entryoff) + ")");
  } else {
    line(o, "entry point:", "(none)");
  }
  line(o, "fixups:", fixups_text(s));
  line(o, "signature:", signature_text(sig));
  line(o, "padding:", std::to_string(s.header_padding()) + " bytes free after the load commands");
  if (with_commands) load_commands_text(o, s);
  return o;
}

// --- JSON ---------------------------------------------------------------------

std::string json_opt(const std::optional<std::string>& s) { return s ? json_quote(*s) : "null"; }

std::string json_dylib(const Dylib& d, bool with_kind) {
  std::string o = "{\"name\": " + json_quote(d.name);
  if (with_kind) o += ", \"kind\": " + json_quote(dylib_kind(d.cmd));
  o += ", \"compatibility_version\": " + json_quote(format_version(d.compatibility_version)) +
       ", \"current_version\": " + json_quote(format_version(d.current_version)) +
       ", \"timestamp\": " + std::to_string(d.timestamp) + "}";
  return o;
}

template <typename T, typename F>
std::string json_array(const std::vector<T>& v, F each, const std::string& indent = "") {
  if (v.empty()) return "[]";
  std::string o = "[";
  for (size_t i = 0; i < v.size(); ++i) o += (i ? "," : "") + (indent.empty() ? (i ? " " : "") : "\n" + indent + "  ") + each(v[i]);
  return o + (indent.empty() ? "]" : "\n" + indent + "]");
}

std::string json_signature(const SignatureView& sig) {
  if (sig.error) return "{\"status\": \"invalid\", \"error\": " + json_quote(sig.error->message) + "}";
  const CodeSignatureInfo& info = *sig.info;
  std::string o = "{\"status\": " + json_quote(signature_kind_key(info.kind));
  if (info.kind != SignatureKind::none) {
    o += ", \"dataoff\": " + std::to_string(info.dataoff) + ", \"datasize\": " + std::to_string(info.datasize);
    o += ", \"cms\": " + std::string(info.has_cms_signature ? "true" : "false");
    if (const auto& cd = info.code_directory) {
      o += ", \"identifier\": " + json_quote(cd->identifier) + ", \"flags\": " + std::to_string(cd->flags) +
           ", \"hash_type\": " + json_quote(hash_type_name(cd->hash_type)) +
           ", \"page_size\": " + std::to_string(cd->page_size_log2 ? (1ull << cd->page_size_log2) : 0) +
           ", \"code_slots\": " + std::to_string(cd->n_code_slots) +
           ", \"special_slots\": " + std::to_string(cd->n_special_slots) +
           ", \"code_limit\": " + std::to_string(cd->effective_code_limit());
    }
  }
  return o + "}";
}

std::string json_section(const Section& s) {
  return "{\"segname\": " + json_quote(s.segname) + ", \"sectname\": " + json_quote(s.sectname) +
         ", \"addr\": " + std::to_string(s.addr) + ", \"size\": " + std::to_string(s.size) +
         ", \"offset\": " + std::to_string(s.offset) + ", \"align\": " + std::to_string(s.align) +
         ", \"reloff\": " + std::to_string(s.reloff) + ", \"nreloc\": " + std::to_string(s.nreloc) +
         ", \"flags\": " + std::to_string(s.flags) + ", \"reserved1\": " + std::to_string(s.reserved1) +
         ", \"reserved2\": " + std::to_string(s.reserved2) + "}";
}

std::string json_segment(const Segment& s, const std::string& indent) {
  return "{\"name\": " + json_quote(s.name) + ", \"vmaddr\": " + std::to_string(s.vmaddr) +
         ", \"vmsize\": " + std::to_string(s.vmsize) + ", \"fileoff\": " + std::to_string(s.fileoff) +
         ", \"filesize\": " + std::to_string(s.filesize) + ", \"maxprot\": " + std::to_string(s.maxprot) +
         ", \"initprot\": " + std::to_string(s.initprot) + ", \"flags\": " + std::to_string(s.flags) +
         ", \"sections\": " + json_array(s.sections, json_section, indent + "  ") + "}";
}

std::string slice_json(const Slice& s, const SignatureView& sig, const std::string& in) {
  std::string o = "{\n";
  auto field = [&](const char* k, const std::string& v, bool last = false) {
    o += in + "  \"" + k + "\": " + v + (last ? "\n" : ",\n");
  };
  const Header& h = s.header();
  field("arch", json_quote(arch_name(h.cputype, h.cpusubtype)));
  field("cputype", std::to_string(h.cputype));
  field("cpusubtype", std::to_string(h.cpusubtype));
  field("bits", s.is64() ? "64" : "32");
  field("byte_order", s.order() == ByteOrder::big ? "\"big\"" : "\"little\"");
  field("offset", std::to_string(s.file_offset()));
  field("size", std::to_string(s.bytes().size()));
  field("filetype", json_quote(filetype_key(h.filetype)));
  field("flags", json_array(header_flag_names(h.flags), [](const std::string& n) { return json_quote(n); }));
  field("install_name", s.id_dylib() ? json_dylib(*s.id_dylib(), false) : "null");
  field("dylibs", json_array(s.dependencies(), [](const Dylib& d) { return json_dylib(d, true); }, in + "  "));
  field("rpaths", json_array(s.rpaths(), [](const Rpath& r) { return json_quote(r.path); }));
  field("dylinker", json_opt(s.dylinker()));
  if (auto p = platform_of(s)) {
    std::string v = "{\"source\": " + json_quote(p->source) + ", \"platform\": " + json_quote(platform_name(p->platform)) +
                    ", \"minos\": " + json_quote(format_version(p->minos)) + ", \"sdk\": " + json_quote(format_version(p->sdk));
    if (s.build_version())
      v += ", \"tools\": " + json_array(s.build_version()->tools, [](const BuildTool& t) {
             return "{\"tool\": " + json_quote(build_tool_name(t.tool)) + ", \"version\": " +
                    json_quote(format_version(t.version)) + "}";
           });
    field("platform", v + "}");
  } else {
    field("platform", "null");
  }
  field("uuid", s.uuid() ? json_quote(format_uuid(*s.uuid())) : "null");
  if (s.entry_point()) {
    auto addr = entry_address(s);
    field("entry_point", "{\"entryoff\": " + std::to_string(s.entry_point()->entryoff) + ", \"address\": " +
                             (addr ? std::to_string(*addr) : "null") + ", \"stacksize\": " +
                             std::to_string(s.entry_point()->stacksize) + "}");
  } else {
    field("entry_point", "null");
  }
  field("fixups", json_quote(fixups_key(s)));
  field("code_signature", json_signature(sig));
  field("header_padding", std::to_string(s.header_padding()));
  if (const auto& st = s.symtab())
    field("symtab", "{\"symoff\": " + std::to_string(st->symoff) + ", \"nsyms\": " + std::to_string(st->nsyms) +
                        ", \"stroff\": " + std::to_string(st->stroff) + ", \"strsize\": " + std::to_string(st->strsize) + "}");
  else
    field("symtab", "null");
  if (const auto& d = s.dysymtab()) {
    const std::pair<const char*, uint32_t> v[] = {
        {"ilocalsym", d->ilocalsym}, {"nlocalsym", d->nlocalsym}, {"iextdefsym", d->iextdefsym},
        {"nextdefsym", d->nextdefsym}, {"iundefsym", d->iundefsym}, {"nundefsym", d->nundefsym},
        {"tocoff", d->tocoff}, {"ntoc", d->ntoc}, {"modtaboff", d->modtaboff}, {"nmodtab", d->nmodtab},
        {"extrefsymoff", d->extrefsymoff}, {"nextrefsyms", d->nextrefsyms}, {"indirectsymoff", d->indirectsymoff},
        {"nindirectsyms", d->nindirectsyms}, {"extreloff", d->extreloff}, {"nextrel", d->nextrel},
        {"locreloff", d->locreloff}, {"nlocrel", d->nlocrel}};
    std::string j = "{";
    for (size_t i = 0; i < std::size(v); ++i) j += (i ? ", \"" : "\"") + std::string(v[i].first) + "\": " + std::to_string(v[i].second);
    field("dysymtab", j + "}");
  } else {
    field("dysymtab", "null");
  }
  if (const auto& d = s.dyld_info())
    field("dyld_info", "{\"cmd\": " + json_quote(load_command_name(d->cmd)) +
                           ", \"rebase_off\": " + std::to_string(d->rebase_off) + ", \"rebase_size\": " + std::to_string(d->rebase_size) +
                           ", \"bind_off\": " + std::to_string(d->bind_off) + ", \"bind_size\": " + std::to_string(d->bind_size) +
                           ", \"weak_bind_off\": " + std::to_string(d->weak_bind_off) + ", \"weak_bind_size\": " + std::to_string(d->weak_bind_size) +
                           ", \"lazy_bind_off\": " + std::to_string(d->lazy_bind_off) + ", \"lazy_bind_size\": " + std::to_string(d->lazy_bind_size) +
                           ", \"export_off\": " + std::to_string(d->export_off) + ", \"export_size\": " + std::to_string(d->export_size) + "}");
  else
    field("dyld_info", "null");
  field("linkedit_data", json_array(s.linkedit_data_commands(), [](const LinkeditData& d) {
          return "{\"cmd\": " + json_quote(load_command_name(d.cmd)) + ", \"dataoff\": " + std::to_string(d.dataoff) +
                 ", \"datasize\": " + std::to_string(d.datasize) + "}";
        }, in + "  "));
  field("load_commands", json_array(s.load_commands(), [](const LoadCommand& lc) {
          return "{\"cmd\": " + json_quote(load_command_name(lc.cmd)) + ", \"cmdsize\": " + std::to_string(lc.cmdsize) + "}";
        }, in + "  "));
  std::string seg_indent = in + "  ";
  field("segments", json_array(s.segments(), [&](const Segment& sg) { return json_segment(sg, seg_indent + "  "); },
                               seg_indent),
        true);
  return o + in + "}";
}

}  // namespace

MachoReport describe_macho(const MachOFile& f, const MachoReaddynOptions& options) {
  MachoReport r;
  std::vector<SignatureView> sigs;
  for (const Slice& s : f.slices()) {
    sigs.push_back(signature_of(s));
    if (sigs.back().error) r.errors.push_back(*sigs.back().error);
  }
  if (options.json) {
    std::string o = "  {\n    \"file\": " + json_quote(f.path()) + ",\n    \"format\": \"macho\",\n    \"fat\": " +
                    (f.is_fat() ? "true" : "false") + ",\n    \"slices\": [";
    for (size_t i = 0; i < f.slices().size(); ++i)
      o += std::string(i ? "," : "") + "\n      " + slice_json(f.slices()[i], sigs[i], "      ");
    r.json = o + (f.slices().empty() ? "]\n  }" : "\n    ]\n  }");
    return r;
  }
  if (f.is_fat()) {
    std::string arches;
    for (const Slice& s : f.slices()) arches += " " + arch_name(s.header().cputype, s.header().cpusubtype);
    r.text = f.path() + ": universal binary with " + std::to_string(f.slices().size()) + " architecture" +
             (f.slices().size() == 1 ? "" : "s") + ":" + arches + "\n";
  }
  for (size_t i = 0; i < f.slices().size(); ++i) {
    const Slice& s = f.slices()[i];
    std::string title = f.is_fat() ? f.path() + " (for architecture " + arch_name(s.header().cputype, s.header().cpusubtype) + ")"
                                   : f.path();
    r.text += slice_text(s, title, sigs[i], options.load_commands);
  }
  return r;
}

std::optional<int> readdyn_macho(const std::string& path, const MachoReaddynOptions& options,
                                 std::vector<std::string>* json_objects) {
  auto map = MappedFile::open(path);
  if (!map) return std::nullopt;
  FileType type = identify_file((*map)->bytes());
  if (type != FileType::macho && type != FileType::macho_fat) return std::nullopt;
  auto file = MachOFile::parse(path, (*map)->bytes());
  if (!file) {
    Diagnostics::error(file.error());
    if (options.json) {
      // Keep the "(for architecture ARCH)" of an error inside a fat slice.
      const Error& e = file.error();
      std::string message = e.file.size() > path.size() && e.file.compare(0, path.size(), path) == 0
                                ? e.file.substr(path.size() + 1) + ": " + e.message
                                : e.message;
      json_objects->push_back("  {\"file\": " + json_quote(path) + ", \"error\": " + json_quote(message) + "}");
    }
    return 1;
  }
  MachoReport report = describe_macho(*file, options);
  for (const Error& e : report.errors) Diagnostics::error(e);
  if (options.json) json_objects->push_back(report.json);
  else std::fputs(report.text.c_str(), stdout);
  return report.errors.empty() ? 0 : 1;
}

}  // namespace linkbox::tools
