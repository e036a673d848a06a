// Decoding of the load commands the reader models. Each decoder checks that
// the command is large enough for its fixed fields, that every string and
// array it holds lies inside the command, and that every file range it names
// lies inside the slice. Anything else stays an opaque LoadCommand.
#include <cstring>

#include "libformat/byte-order.h"
#include "libmacho/macho-file.h"

namespace linkbox::macho {
namespace {

// LC_ATOM_INFO (newer ld64) is a linkedit_data_command too.
constexpr uint32_t LC_ATOM_INFO = 0x36;

std::string fixed_name(const uint8_t* p, size_t n) {
  return std::string(reinterpret_cast<const char*>(p), strnlen(reinterpret_cast<const char*>(p), n));
}

// Reads a cursor of fields from one load command in the slice's byte order.
struct Fields {
  const uint8_t* p;
  ByteOrder order;
  uint32_t u32(size_t off) const { return load<uint32_t>(p + off, order); }
  uint64_t u64(size_t off) const { return load<uint64_t>(p + off, order); }
};

}  // namespace

Status Slice::parse_command(size_t index) {
  const LoadCommand& lc = commands_[index];
  Fields f{lc.bytes.data(), order_};
  std::string which = "load command " + std::to_string(index) + " (" + load_command_name(lc.cmd) + ")";

  auto need = [&](uint32_t min) -> Status {
    if (lc.cmdsize < min)
      return error(which + " has cmdsize " + std::to_string(lc.cmdsize) + ", less than " + std::to_string(min));
    return {};
  };
  // A file range named by a command: it must lie inside the slice.
  auto range = [&](uint64_t off, uint64_t size, std::string_view field) -> Status {
    if (size == 0) return {};
    if (!in_bounds(off, size, bytes_.size()))
      return error(which + " " + std::string(field) + " (offset " + std::to_string(off) + ", size " +
                   std::to_string(size) + ") extends past the end of the file (" + std::to_string(bytes_.size()) +
                   " bytes)");
    return {};
  };
  auto table = [&](uint64_t off, uint64_t count, uint64_t entry, std::string_view field) -> Status {
    return range(off, count * entry, field);  // count < 2^32, entry <= 56: no overflow
  };
  // An lc_str: an offset from the start of the command to a NUL-terminated
  // string that must end inside the command.
  auto lc_str = [&](uint32_t field_offset, uint32_t fixed_size, std::string* out) -> Status {
    uint32_t off = f.u32(field_offset);
    if (off < fixed_size || off >= lc.cmdsize)
      return error(which + " string offset " + std::to_string(off) + " is outside the command (" +
                   std::to_string(fixed_size) + ".." + std::to_string(lc.cmdsize) + ")");
    const char* s = reinterpret_cast<const char*>(f.p + off);
    size_t max = lc.cmdsize - off;
    size_t len = strnlen(s, max);
    if (len == max) return error(which + " string is not NUL-terminated inside the command");
    *out = std::string(s, len);
    return {};
  };

  switch (lc.cmd) {
    case LC_SEGMENT:
    case LC_SEGMENT_64: {
      bool wide = lc.cmd == LC_SEGMENT_64;
      uint32_t fixed = wide ? 72 : 56, sect_size = wide ? 80 : 68;
      LINKBOX_TRY(need(fixed));
      Segment seg;
      seg.name = fixed_name(f.p + 8, 16);
      seg.command_index = index;
      size_t o = 24;
      if (wide) {
        seg.vmaddr = f.u64(o); seg.vmsize = f.u64(o + 8);
        seg.fileoff = f.u64(o + 16); seg.filesize = f.u64(o + 24);
        o += 32;
      } else {
        seg.vmaddr = f.u32(o); seg.vmsize = f.u32(o + 4);
        seg.fileoff = f.u32(o + 8); seg.filesize = f.u32(o + 12);
        o += 16;
      }
      seg.maxprot = f.u32(o);
      seg.initprot = f.u32(o + 4);
      uint32_t nsects = f.u32(o + 8);
      seg.flags = f.u32(o + 12);
      if (uint64_t(nsects) * sect_size > lc.cmdsize - fixed)
        return error(which + " has " + std::to_string(nsects) + " sections, more than its cmdsize " +
                     std::to_string(lc.cmdsize) + " holds");
      LINKBOX_TRY(range(seg.fileoff, seg.filesize, "segment " + seg.name + " fileoff/filesize"));
      seg.sections.reserve(nsects);
      for (uint32_t i = 0; i < nsects; ++i) {
        const uint8_t* s = f.p + fixed + uint64_t(i) * sect_size;
        Fields g{s, order_};
        Section sec;
        sec.sectname = fixed_name(s, 16);
        sec.segname = fixed_name(s + 16, 16);
        size_t q = 32;
        if (wide) { sec.addr = g.u64(q); sec.size = g.u64(q + 8); q += 16; }
        else { sec.addr = g.u32(q); sec.size = g.u32(q + 4); q += 8; }
        sec.offset = g.u32(q);
        sec.align = g.u32(q + 4);
        sec.reloff = g.u32(q + 8);
        sec.nreloc = g.u32(q + 12);
        sec.flags = g.u32(q + 16);
        sec.reserved1 = g.u32(q + 20);
        sec.reserved2 = g.u32(q + 24);
        if (wide) sec.reserved3 = g.u32(q + 28);
        std::string name = "section " + sec.segname + "," + sec.sectname;
        // dSYM companions keep the section headers but not the contents.
        if (sec.has_file_data() && header_.filetype != MH_DSYM && sec.offset != 0)
          LINKBOX_TRY(range(sec.offset, sec.size, name + " offset/size"));
        LINKBOX_TRY(table(sec.reloff, sec.nreloc, 8, name + " relocations"));
        seg.sections.push_back(std::move(sec));
      }
      segments_.push_back(std::move(seg));
      return {};
    }
    case LC_SYMTAB: {
      LINKBOX_TRY(need(24));
      Symtab st{f.u32(8), f.u32(12), f.u32(16), f.u32(20)};
      LINKBOX_TRY(table(st.symoff, st.nsyms, is64_ ? 16 : 12, "symbol table"));
      LINKBOX_TRY(range(st.stroff, st.strsize, "string table"));
      if (!symtab_) symtab_ = st;
      return {};
    }
    case LC_DYSYMTAB: {
      LINKBOX_TRY(need(80));
      Dysymtab d;
      uint32_t* fields[] = {&d.ilocalsym, &d.nlocalsym, &d.iextdefsym, &d.nextdefsym, &d.iundefsym,
                            &d.nundefsym, &d.tocoff, &d.ntoc, &d.modtaboff, &d.nmodtab,
                            &d.extrefsymoff, &d.nextrefsyms, &d.indirectsymoff, &d.nindirectsyms,
                            &d.extreloff, &d.nextrel, &d.locreloff, &d.nlocrel};
      for (size_t i = 0; i < std::size(fields); ++i) *fields[i] = f.u32(8 + 4 * i);
      LINKBOX_TRY(table(d.tocoff, d.ntoc, 8, "table of contents"));
      LINKBOX_TRY(table(d.modtaboff, d.nmodtab, is64_ ? 56 : 52, "module table"));
      LINKBOX_TRY(table(d.extrefsymoff, d.nextrefsyms, 4, "external reference table"));
      LINKBOX_TRY(table(d.indirectsymoff, d.nindirectsyms, 4, "indirect symbol table"));
      LINKBOX_TRY(table(d.extreloff, d.nextrel, 8, "external relocations"));
      LINKBOX_TRY(table(d.locreloff, d.nlocrel, 8, "local relocations"));
      if (!dysymtab_) dysymtab_ = d;
      return {};
    }
    case LC_LOAD_DYLIB:
    case LC_LOAD_WEAK_DYLIB:
    case LC_REEXPORT_DYLIB:
    case LC_LAZY_LOAD_DYLIB:
    case LC_LOAD_UPWARD_DYLIB:
    case LC_ID_DYLIB: {
      LINKBOX_TRY(need(24));
      Dylib d;
      d.cmd = lc.cmd;
      LINKBOX_TRY(lc_str(8, 24, &d.name));
      d.timestamp = f.u32(12);
      d.current_version = f.u32(16);
      d.compatibility_version = f.u32(20);
      d.command_index = index;
      if (lc.cmd == LC_ID_DYLIB) {
        if (!id_dylib_) id_dylib_ = std::move(d);
      } else {
        dependencies_.push_back(std::move(d));
      }
      return {};
    }
    case LC_RPATH: {
      LINKBOX_TRY(need(12));
      Rpath r;
      LINKBOX_TRY(lc_str(8, 12, &r.path));
      r.command_index = index;
      rpaths_.push_back(std::move(r));
      return {};
    }
    case LC_LOAD_DYLINKER: {
      LINKBOX_TRY(need(12));
      std::string name;
      LINKBOX_TRY(lc_str(8, 12, &name));
      if (!dylinker_) dylinker_ = std::move(name);
      return {};
    }
    case LC_ID_DYLINKER:
    case LC_DYLD_ENVIRONMENT:
    case LC_SUB_FRAMEWORK:
    case LC_SUB_UMBRELLA:
    case LC_SUB_CLIENT:
    case LC_SUB_LIBRARY: {
      // Not modelled, but their strings are still checked so that a printer
      // of opaque commands can trust them.
      LINKBOX_TRY(need(12));
      std::string unused;
      return lc_str(8, 12, &unused);
    }
    case LC_UUID: {
      LINKBOX_TRY(need(24));
      if (!uuid_) {
        std::array<uint8_t, 16> u;
        std::memcpy(u.data(), f.p + 8, 16);
        uuid_ = u;
      }
      return {};
    }
    case LC_MAIN: {
      LINKBOX_TRY(need(24));
      if (!entry_point_) entry_point_ = EntryPoint{f.u64(8), f.u64(16)};
      return {};
    }
    case LC_BUILD_VERSION: {
      LINKBOX_TRY(need(24));
      BuildVersion bv;
      bv.platform = f.u32(8);
      bv.minos = f.u32(12);
      bv.sdk = f.u32(16);
      uint32_t ntools = f.u32(20);
      if (uint64_t(ntools) * 8 > lc.cmdsize - 24)
        return error(which + " has " + std::to_string(ntools) + " tools, more than its cmdsize " +
                     std::to_string(lc.cmdsize) + " holds");
      for (uint32_t i = 0; i < ntools; ++i) bv.tools.push_back(BuildTool{f.u32(24 + 8 * i), f.u32(28 + 8 * i)});
      if (!build_version_) build_version_ = std::move(bv);
      return {};
    }
    case LC_VERSION_MIN_MACOSX:
    case LC_VERSION_MIN_IPHONEOS:
    case LC_VERSION_MIN_TVOS:
    case LC_VERSION_MIN_WATCHOS: {
      LINKBOX_TRY(need(16));
      if (!version_min_) version_min_ = VersionMin{lc.cmd, f.u32(8), f.u32(12)};
      return {};
    }
    case LC_DYLD_INFO:
    case LC_DYLD_INFO_ONLY: {
      LINKBOX_TRY(need(48));
      DyldInfo d;
      d.cmd = lc.cmd;
      d.rebase_off = f.u32(8); d.rebase_size = f.u32(12);
      d.bind_off = f.u32(16); d.bind_size = f.u32(20);
      d.weak_bind_off = f.u32(24); d.weak_bind_size = f.u32(28);
      d.lazy_bind_off = f.u32(32); d.lazy_bind_size = f.u32(36);
      d.export_off = f.u32(40); d.export_size = f.u32(44);
      LINKBOX_TRY(range(d.rebase_off, d.rebase_size, "rebase info"));
      LINKBOX_TRY(range(d.bind_off, d.bind_size, "bind info"));
      LINKBOX_TRY(range(d.weak_bind_off, d.weak_bind_size, "weak bind info"));
      LINKBOX_TRY(range(d.lazy_bind_off, d.lazy_bind_size, "lazy bind info"));
      LINKBOX_TRY(range(d.export_off, d.export_size, "export info"));
      if (!dyld_info_) dyld_info_ = d;
      return {};
    }
    case LC_CODE_SIGNATURE:
    case LC_SEGMENT_SPLIT_INFO:
    case LC_FUNCTION_STARTS:
    case LC_DATA_IN_CODE:
    case LC_DYLIB_CODE_SIGN_DRS:
    case LC_LINKER_OPTIMIZATION_HINT:
    case LC_DYLD_EXPORTS_TRIE:
    case LC_DYLD_CHAINED_FIXUPS:
    case LC_ATOM_INFO: {
      LINKBOX_TRY(need(16));
      LinkeditData d{lc.cmd, f.u32(8), f.u32(12), index};
      LINKBOX_TRY(range(d.dataoff, d.datasize, "data"));
      linkedit_data_.push_back(d);
      return {};
    }
    default:
      return {};  // kept as opaque bytes
  }
}

}  // namespace linkbox::macho
