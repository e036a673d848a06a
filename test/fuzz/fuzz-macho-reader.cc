// Fuzz target: the Mach-O reader (libmacho/macho-file.h) on thin and fat
// files, every accessor of every slice (symbols, the indirect symbol table,
// linkedit payloads, header padding), the code-signature parser, the
// name tables, and readdyn's Mach-O report in both text and JSON (it reads
// what the accessors return, and the signature blobs).
#include <cstddef>
#include <cstdint>
#include <span>

#include "libmacho/code-signature-info.h"
#include "libmacho/macho-file.h"
#include "libmacho/macho-names.h"
#include "test/fuzz/fuzz-common.h"
#include "tools/readdyn-macho.h"

namespace {

namespace macho = linkbox::macho;
using linkbox::fuzz::touch;

unsigned touch_slice(const macho::Slice& s) {
  unsigned v = touch(s.bytes()) + s.is64() + s.header().ncmds + s.header_size();
  for (const auto& lc : s.load_commands()) v += touch(lc.bytes) + lc.cmd + touch(macho::load_command_name(lc.cmd));
  for (const auto& seg : s.segments()) {
    v += touch(seg.name) + seg.command_index + touch(macho::protection_text(seg.maxprot));
    for (const auto& sec : seg.sections) {
      v += touch(sec.segname) + touch(sec.sectname) + sec.has_file_data();
      // What an editor or decoder does with a section's file range.
      if (sec.has_file_data()) {
        auto data = s.data_at(sec.offset, sec.size, "section");
        if (data) v += touch(*data);
      }
    }
  }
  for (const auto& d : s.dependencies()) v += touch(d.name) + d.cmd + touch(macho::format_version(d.current_version));
  if (s.id_dylib()) v += touch(s.id_dylib()->name) + touch(macho::format_version(s.id_dylib()->compatibility_version, false));
  for (const auto& r : s.rpaths()) v += touch(r.path);
  v += touch(s.dylinker());
  if (s.uuid()) v += touch(macho::format_uuid(*s.uuid()));
  if (s.entry_point()) v += static_cast<unsigned>(s.entry_point()->entryoff);
  if (s.build_version()) {
    v += touch(macho::platform_name(s.build_version()->platform));
    for (const auto& t : s.build_version()->tools) v += touch(macho::build_tool_name(t.tool));
  }
  if (s.version_min()) v += macho::version_min_platform(s.version_min()->cmd);
  if (s.dyld_info()) {
    const auto& d = *s.dyld_info();
    const uint32_t ranges[][2] = {{d.rebase_off, d.rebase_size}, {d.bind_off, d.bind_size},
                                  {d.weak_bind_off, d.weak_bind_size}, {d.lazy_bind_off, d.lazy_bind_size},
                                  {d.export_off, d.export_size}};
    for (const auto& r : ranges) {
      auto data = s.data_at(r[0], r[1], "dyld info");
      if (data) v += touch(*data);
    }
  }
  for (const auto& d : s.linkedit_data_commands()) {
    auto data = s.linkedit_bytes(d);
    if (data) v += touch(*data);
    else v += touch(data.error().message);
  }
  if (auto d = s.linkedit_data(macho::LC_CODE_SIGNATURE)) v += d->dataoff;
  if (s.symtab()) v += s.symtab()->nsyms;
  if (s.dysymtab()) v += s.dysymtab()->nindirectsyms;
  auto syms = s.symbols();
  if (syms) {
    for (const auto& sym : *syms) v += touch(sym.name) + sym.type;
  } else {
    v += touch(syms.error().file) + touch(syms.error().message);
  }
  auto indirect = s.indirect_symbols();
  if (indirect) {
    for (uint32_t i : *indirect) v += i;
  } else {
    v += touch(indirect.error().message);
  }
  v += static_cast<unsigned>(s.first_section_offset() + s.header_padding() + s.load_commands_end());
  for (const auto& n : macho::header_flag_names(s.header().flags)) v += touch(n);
  v += touch(macho::filetype_text(s.header().filetype)) + touch(macho::filetype_key(s.header().filetype));
  v += touch(macho::arch_name(s.header().cputype, s.header().cpusubtype));
  v += touch(s.error("x").file);

  auto sig = macho::read_code_signature(s);
  if (sig) {
    v += static_cast<unsigned>(sig->kind) + touch(macho::signature_kind_key(sig->kind));
    auto touch_cd = [&](const macho::CodeDirectory& cd) {
      v += touch(cd.identifier) + touch(cd.bytes) + touch(macho::hash_type_name(cd.hash_type));
      for (uint32_t i = 0; i < cd.n_code_slots && i < 64; ++i) v += touch(cd.code_hash(i));
      for (uint32_t i = 1; i <= cd.n_special_slots && i < 16; ++i) v += touch(cd.special_hash(i));
    };
    if (sig->code_directory) touch_cd(*sig->code_directory);
    for (const auto& cd : sig->alternate_code_directories) touch_cd(cd);
  } else {
    v += touch(sig.error().message);
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  unsigned v = macho::looks_like_macho(bytes);
  auto file = macho::MachOFile::parse("fuzz-input", bytes);
  if (!file) {
    v += touch(file.error().file) + touch(file.error().message);
    linkbox::fuzz::keep(v);
    return 0;
  }
  v += file->is_fat() + file->is_fat64();
  for (const auto& a : file->fat_arches()) v += touch(macho::arch_name(a.cputype, a.cpusubtype));
  for (const auto& s : file->slices()) v += touch_slice(s);
  for (bool json : {false, true}) {
    auto report = linkbox::tools::describe_macho(*file, {json, true});
    v += touch(report.text) + touch(report.json) + report.errors.size();
  }
  linkbox::fuzz::keep(v);
  return 0;
}
