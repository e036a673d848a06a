#include "libelf/elf-types.h"

#include <cstdio>

namespace linkbox::elf {

Ehdr Codec::read_ehdr(const uint8_t* p) const {
  Ehdr h;
  for (int i = 0; i < EI_NIDENT; ++i) h.ident[i] = p[i];
  h.type = get<uint16_t>(p + 16);
  h.machine = get<uint16_t>(p + 18);
  h.version = get<uint32_t>(p + 20);
  if (is64_) {
    h.entry = get<uint64_t>(p + 24);
    h.phoff = get<uint64_t>(p + 32);
    h.shoff = get<uint64_t>(p + 40);
    p += 48;
  } else {
    h.entry = get<uint32_t>(p + 24);
    h.phoff = get<uint32_t>(p + 28);
    h.shoff = get<uint32_t>(p + 32);
    p += 36;
  }
  h.flags = get<uint32_t>(p);
  h.ehsize = get<uint16_t>(p + 4);
  h.phentsize = get<uint16_t>(p + 6);
  h.phnum = get<uint16_t>(p + 8);
  h.shentsize = get<uint16_t>(p + 10);
  h.shnum = get<uint16_t>(p + 12);
  h.shstrndx = get<uint16_t>(p + 14);
  return h;
}

void Codec::write_ehdr(uint8_t* p, const Ehdr& h) const {
  for (int i = 0; i < EI_NIDENT; ++i) p[i] = h.ident[i];
  put<uint16_t>(p + 16, h.type);
  put<uint16_t>(p + 18, h.machine);
  put<uint32_t>(p + 20, h.version);
  if (is64_) {
    put<uint64_t>(p + 24, h.entry);
    put<uint64_t>(p + 32, h.phoff);
    put<uint64_t>(p + 40, h.shoff);
    p += 48;
  } else {
    put<uint32_t>(p + 24, static_cast<uint32_t>(h.entry));
    put<uint32_t>(p + 28, static_cast<uint32_t>(h.phoff));
    put<uint32_t>(p + 32, static_cast<uint32_t>(h.shoff));
    p += 36;
  }
  put<uint32_t>(p, h.flags);
  put<uint16_t>(p + 4, h.ehsize);
  put<uint16_t>(p + 6, h.phentsize);
  put<uint16_t>(p + 8, h.phnum);
  put<uint16_t>(p + 10, h.shentsize);
  put<uint16_t>(p + 12, h.shnum);
  put<uint16_t>(p + 14, h.shstrndx);
}

Phdr Codec::read_phdr(const uint8_t* p) const {
  Phdr h;
  h.type = get<uint32_t>(p);
  if (is64_) {
    h.flags = get<uint32_t>(p + 4);
    h.offset = get<uint64_t>(p + 8);
    h.vaddr = get<uint64_t>(p + 16);
    h.paddr = get<uint64_t>(p + 24);
    h.filesz = get<uint64_t>(p + 32);
    h.memsz = get<uint64_t>(p + 40);
    h.align = get<uint64_t>(p + 48);
  } else {
    h.offset = get<uint32_t>(p + 4);
    h.vaddr = get<uint32_t>(p + 8);
    h.paddr = get<uint32_t>(p + 12);
    h.filesz = get<uint32_t>(p + 16);
    h.memsz = get<uint32_t>(p + 20);
    h.flags = get<uint32_t>(p + 24);
    h.align = get<uint32_t>(p + 28);
  }
  return h;
}

void Codec::write_phdr(uint8_t* p, const Phdr& h) const {
  put<uint32_t>(p, h.type);
  if (is64_) {
    put<uint32_t>(p + 4, h.flags);
    put<uint64_t>(p + 8, h.offset);
    put<uint64_t>(p + 16, h.vaddr);
    put<uint64_t>(p + 24, h.paddr);
    put<uint64_t>(p + 32, h.filesz);
    put<uint64_t>(p + 40, h.memsz);
    put<uint64_t>(p + 48, h.align);
  } else {
    put<uint32_t>(p + 4, static_cast<uint32_t>(h.offset));
    put<uint32_t>(p + 8, static_cast<uint32_t>(h.vaddr));
    put<uint32_t>(p + 12, static_cast<uint32_t>(h.paddr));
    put<uint32_t>(p + 16, static_cast<uint32_t>(h.filesz));
    put<uint32_t>(p + 20, static_cast<uint32_t>(h.memsz));
    put<uint32_t>(p + 24, h.flags);
    put<uint32_t>(p + 28, static_cast<uint32_t>(h.align));
  }
}

Shdr Codec::read_shdr(const uint8_t* p) const {
  Shdr h;
  h.name = get<uint32_t>(p);
  h.type = get<uint32_t>(p + 4);
  if (is64_) {
    h.flags = get<uint64_t>(p + 8);
    h.addr = get<uint64_t>(p + 16);
    h.offset = get<uint64_t>(p + 24);
    h.size = get<uint64_t>(p + 32);
    h.link = get<uint32_t>(p + 40);
    h.info = get<uint32_t>(p + 44);
    h.addralign = get<uint64_t>(p + 48);
    h.entsize = get<uint64_t>(p + 56);
  } else {
    h.flags = get<uint32_t>(p + 8);
    h.addr = get<uint32_t>(p + 12);
    h.offset = get<uint32_t>(p + 16);
    h.size = get<uint32_t>(p + 20);
    h.link = get<uint32_t>(p + 24);
    h.info = get<uint32_t>(p + 28);
    h.addralign = get<uint32_t>(p + 32);
    h.entsize = get<uint32_t>(p + 36);
  }
  return h;
}

void Codec::write_shdr(uint8_t* p, const Shdr& h) const {
  put<uint32_t>(p, h.name);
  put<uint32_t>(p + 4, h.type);
  if (is64_) {
    put<uint64_t>(p + 8, h.flags);
    put<uint64_t>(p + 16, h.addr);
    put<uint64_t>(p + 24, h.offset);
    put<uint64_t>(p + 32, h.size);
    put<uint32_t>(p + 40, h.link);
    put<uint32_t>(p + 44, h.info);
    put<uint64_t>(p + 48, h.addralign);
    put<uint64_t>(p + 56, h.entsize);
  } else {
    put<uint32_t>(p + 8, static_cast<uint32_t>(h.flags));
    put<uint32_t>(p + 12, static_cast<uint32_t>(h.addr));
    put<uint32_t>(p + 16, static_cast<uint32_t>(h.offset));
    put<uint32_t>(p + 20, static_cast<uint32_t>(h.size));
    put<uint32_t>(p + 24, h.link);
    put<uint32_t>(p + 28, h.info);
    put<uint32_t>(p + 32, static_cast<uint32_t>(h.addralign));
    put<uint32_t>(p + 36, static_cast<uint32_t>(h.entsize));
  }
}

Dyn Codec::read_dyn(const uint8_t* p) const {
  if (is64_) return {static_cast<int64_t>(get<uint64_t>(p)), get<uint64_t>(p + 8)};
  return {static_cast<int64_t>(static_cast<int32_t>(get<uint32_t>(p))), get<uint32_t>(p + 4)};
}

void Codec::write_dyn(uint8_t* p, const Dyn& d) const {
  if (is64_) {
    put<uint64_t>(p, static_cast<uint64_t>(d.tag));
    put<uint64_t>(p + 8, d.val);
  } else {
    put<uint32_t>(p, static_cast<uint32_t>(d.tag));
    put<uint32_t>(p + 4, static_cast<uint32_t>(d.val));
  }
}

Sym Codec::read_sym(const uint8_t* p) const {
  Sym s;
  s.name = get<uint32_t>(p);
  if (is64_) {
    s.info = p[4];
    s.other = p[5];
    s.shndx = get<uint16_t>(p + 6);
    s.value = get<uint64_t>(p + 8);
    s.size = get<uint64_t>(p + 16);
  } else {
    s.value = get<uint32_t>(p + 4);
    s.size = get<uint32_t>(p + 8);
    s.info = p[12];
    s.other = p[13];
    s.shndx = get<uint16_t>(p + 14);
  }
  return s;
}

void Codec::write_sym(uint8_t* p, const Sym& s) const {
  put<uint32_t>(p, s.name);
  if (is64_) {
    p[4] = s.info;
    p[5] = s.other;
    put<uint16_t>(p + 6, s.shndx);
    put<uint64_t>(p + 8, s.value);
    put<uint64_t>(p + 16, s.size);
  } else {
    put<uint32_t>(p + 4, static_cast<uint32_t>(s.value));
    put<uint32_t>(p + 8, static_cast<uint32_t>(s.size));
    p[12] = s.info;
    p[13] = s.other;
    put<uint16_t>(p + 14, s.shndx);
  }
}

std::string_view machine_name(uint16_t machine) {
  switch (machine) {
    case EM_386: return "i386";
    case EM_X86_64: return "x86-64";
    case EM_AARCH64: return "aarch64";
    case EM_ARM: return "arm";
    case EM_PPC: return "ppc";
    case EM_PPC64: return "ppc64";
    case EM_MIPS: return "mips";
    case EM_S390: return "s390";
    case EM_RISCV: return "riscv";
    case EM_SPARC: return "sparc";
    case EM_SPARCV9: return "sparcv9";
    case EM_IA_64: return "ia64";
    case EM_ALPHA: return "alpha";
    case EM_LOONGARCH: return "loongarch";
    case EM_68K: return "m68k";
    case EM_SH: return "sh";
  }
  return "unknown";
}

bool dynamic_tag_is_string(int64_t tag) {
  switch (tag) {
    case DT_NEEDED: case DT_SONAME: case DT_RPATH: case DT_RUNPATH:
    case DT_AUXILIARY: case DT_FILTER: case DT_CONFIG: case DT_DEPAUDIT: case DT_AUDIT:
      return true;
  }
  return false;
}

bool dynamic_tag_is_address(int64_t tag, uint16_t machine) {
  switch (tag) {
    case DT_PLTGOT: case DT_HASH: case DT_STRTAB: case DT_SYMTAB: case DT_RELA:
    case DT_INIT: case DT_FINI: case DT_REL: case DT_JMPREL: case DT_INIT_ARRAY:
    case DT_FINI_ARRAY: case DT_PREINIT_ARRAY: case DT_GNU_HASH: case DT_VERSYM:
    case DT_VERDEF: case DT_VERNEED: case DT_RELR: case DT_GNU_LIBLIST:
    case DT_GNU_CONFLICT: case DT_TLSDESC_PLT: case DT_TLSDESC_GOT: case DT_SYMINFO:
    case DT_MOVETAB: case DT_PLTPAD:
      return true;
  }
  if (machine == EM_MIPS) {
    switch (tag) {
      case DT_MIPS_BASE_ADDRESS: case DT_MIPS_LIBLIST: case DT_MIPS_CONFLICT:
      case DT_MIPS_RLD_MAP:
        return true;
    }
  }
  return false;
}

uint64_t max_page_size(uint16_t machine) {
  switch (machine) {
    case EM_AARCH64: case EM_PPC64: case EM_PPC: case EM_MIPS: case EM_LOONGARCH:
    case EM_IA_64: case EM_ALPHA:
      return 0x10000;
    case EM_SPARC: case EM_SPARCV9:
      return 0x2000;
  }
  return 0x1000;
}

}  // namespace linkbox::elf

namespace linkbox::elf {

std::string dynamic_tag_name(int64_t tag) {
  static const struct { int64_t tag; const char* name; } names[] = {
      {DT_NULL, "NULL"}, {DT_NEEDED, "NEEDED"}, {DT_PLTRELSZ, "PLTRELSZ"},
      {DT_PLTGOT, "PLTGOT"}, {DT_HASH, "HASH"}, {DT_STRTAB, "STRTAB"},
      {DT_SYMTAB, "SYMTAB"}, {DT_RELA, "RELA"}, {DT_RELASZ, "RELASZ"},
      {DT_RELAENT, "RELAENT"}, {DT_STRSZ, "STRSZ"}, {DT_SYMENT, "SYMENT"},
      {DT_INIT, "INIT"}, {DT_FINI, "FINI"}, {DT_SONAME, "SONAME"}, {DT_RPATH, "RPATH"},
      {DT_SYMBOLIC, "SYMBOLIC"}, {DT_REL, "REL"}, {DT_RELSZ, "RELSZ"},
      {DT_RELENT, "RELENT"}, {DT_PLTREL, "PLTREL"}, {DT_DEBUG, "DEBUG"},
      {DT_TEXTREL, "TEXTREL"}, {DT_JMPREL, "JMPREL"}, {DT_BIND_NOW, "BIND_NOW"},
      {DT_INIT_ARRAY, "INIT_ARRAY"}, {DT_FINI_ARRAY, "FINI_ARRAY"},
      {DT_INIT_ARRAYSZ, "INIT_ARRAYSZ"}, {DT_FINI_ARRAYSZ, "FINI_ARRAYSZ"},
      {DT_RUNPATH, "RUNPATH"}, {DT_FLAGS, "FLAGS"}, {DT_PREINIT_ARRAY, "PREINIT_ARRAY"},
      {DT_PREINIT_ARRAYSZ, "PREINIT_ARRAYSZ"}, {DT_SYMTAB_SHNDX, "SYMTAB_SHNDX"},
      {DT_RELRSZ, "RELRSZ"}, {DT_RELR, "RELR"}, {DT_RELRENT, "RELRENT"},
      {DT_GNU_HASH, "GNU_HASH"}, {DT_VERSYM, "VERSYM"}, {DT_RELACOUNT, "RELACOUNT"},
      {DT_RELCOUNT, "RELCOUNT"}, {DT_FLAGS_1, "FLAGS_1"}, {DT_VERDEF, "VERDEF"},
      {DT_VERDEFNUM, "VERDEFNUM"}, {DT_VERNEED, "VERNEED"}, {DT_VERNEEDNUM, "VERNEEDNUM"},
      {DT_AUXILIARY, "AUXILIARY"}, {DT_FILTER, "FILTER"}, {DT_CONFIG, "CONFIG"},
      {DT_DEPAUDIT, "DEPAUDIT"}, {DT_AUDIT, "AUDIT"}, {DT_TLSDESC_PLT, "TLSDESC_PLT"},
      {DT_TLSDESC_GOT, "TLSDESC_GOT"}, {DT_GNU_PRELINKED, "GNU_PRELINKED"},
      {DT_GNU_LIBLIST, "GNU_LIBLIST"}, {DT_GNU_CONFLICT, "GNU_CONFLICT"},
      {DT_SYMINFO, "SYMINFO"}, {DT_SYMINSZ, "SYMINSZ"}, {DT_SYMINENT, "SYMINENT"},
      {DT_MOVETAB, "MOVETAB"}, {DT_PLTPAD, "PLTPAD"}, {DT_POSFLAG_1, "POSFLAG_1"},
  };
  for (const auto& n : names)
    if (n.tag == tag) return n.name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(tag));
  return buf;
}

}  // namespace linkbox::elf
