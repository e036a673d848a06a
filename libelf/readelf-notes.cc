// readelf -n: notes, from SHT_NOTE sections, or from PT_NOTE segments when
// there are none (and always for core files).
//
// Each note is printed as owner, description size and type, then decoded
// where readelf decodes it: GNU build IDs, ABI tags, gold versions, hwcaps
// and properties; SystemTap probes; core-file mappings; FDO packaging
// metadata. Anything else is shown as hex.
#include <cstring>

#include "libelf/readelf-file.h"

namespace linkbox::elf::readelf {
namespace {

unsigned long long ul(uint64_t v) { return v; }

struct Note {
  uint64_t type = 0;
  uint64_t namesz = 0;
  uint64_t descsz = 0;
  std::string name;      // what readelf reads at the name field, as a C string
  std::string raw_name;  // the namesz bytes of the name field
  const uint8_t* desc = nullptr;
};

constexpr uint64_t kBuildAttributeOpen = 0x100;  // NT_GNU_BUILD_ATTRIBUTE_OPEN
constexpr uint64_t kBuildAttributeFunc = 0x101;  // NT_GNU_BUILD_ATTRIBUTE_FUNC

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

std::string hex32(const char* text, uint64_t type) {
  char buf[64];
  std::snprintf(buf, sizeof buf, text, static_cast<unsigned>(type));
  return buf;
}

// Type names for notes outside the GNU and stapsdt namespaces.
std::string generic_note_type(const ReadelfFile& f, uint64_t type) {
  if (f.hdr.type == ET_CORE) {
    switch (type) {
      case 6: return "NT_AUXV (auxiliary vector)";
      case 1: return "NT_PRSTATUS (prstatus structure)";
      case 2: return "NT_FPREGSET (floating point registers)";
      case 3: return "NT_PRPSINFO (prpsinfo structure)";
      case 4: return "NT_TASKSTRUCT (task structure)";
      case 0x6ff: return "NT_GDB_TDESC (GDB XML target description)";
      case 0x46e62b7f: return "NT_PRXFPREG (user_xfpregs structure)";
      case 0x200: return "NT_386_TLS (x86 TLS information)";
      case 0x201: return "NT_386_IOPERM (x86 I/O permissions)";
      case 0x202: return "NT_X86_XSTATE (x86 XSAVE extended state)";
      case 0x203: return "NT_X86_CET (x86 CET state)";
      case 0x400: return "NT_ARM_VFP (arm VFP registers)";
      case 0x401: return "NT_ARM_TLS (AArch TLS registers)";
      case 0x402: return "NT_ARM_HW_BREAK (AArch hardware breakpoint registers)";
      case 0x403: return "NT_ARM_HW_WATCH (AArch hardware watchpoint registers)";
      case 0x404: return "NT_ARM_SYSTEM_CALL (AArch system call number)";
      case 0x405: return "NT_ARM_SVE (AArch SVE registers)";
      case 10: return "NT_PSTATUS (pstatus structure)";
      case 12: return "NT_FPREGS (floating point registers)";
      case 13: return "NT_PSINFO (psinfo structure)";
      case 16: return "NT_LWPSTATUS (lwpstatus_t structure)";
      case 17: return "NT_LWPSINFO (lwpsinfo_t structure)";
      case 18: return "NT_WIN32PSTATUS (win32_pstatus structure)";
      case 0x53494749: return "NT_SIGINFO (siginfo_t data)";
      case 0x46494c45: return "NT_FILE (mapped files)";
    }
  } else {
    switch (type) {
      case 1: return "NT_VERSION (version)";
      case 2: return "NT_ARCH (architecture)";
      case 0x100: return "OPEN";
      case 0x101: return "func";
      case 4: return "GO BUILDID";
      case 0xcafe1a7e: return "FDO_PACKAGING_METADATA";
    }
  }
  return hex32("Unknown note type: (0x%08x)", type);
}

std::string gnu_note_type(uint64_t type) {
  switch (type) {
    case NT_GNU_ABI_TAG: return "NT_GNU_ABI_TAG (ABI version tag)";
    case NT_GNU_HWCAP: return "NT_GNU_HWCAP (DSO-supplied software HWCAP info)";
    case NT_GNU_BUILD_ID: return "NT_GNU_BUILD_ID (unique build ID bitstring)";
    case NT_GNU_GOLD_VERSION: return "NT_GNU_GOLD_VERSION (gold version)";
    case NT_GNU_PROPERTY_TYPE_0: return "NT_GNU_PROPERTY_TYPE_0";
    case 0x100: return "NT_GNU_BUILD_ATTRIBUTE_OPEN";
    case 0x101: return "NT_GNU_BUILD_ATTRIBUTE_FUNC";
  }
  return hex32("Unknown note type: (0x%08x)", type);
}

// Bit lists of the x86 and AArch64 properties: names joined by ", ".
struct BitName {
  uint32_t bit;
  const char* name;
};

void print_bits(Text& o, uint32_t bits, std::initializer_list<BitName> names, bool none_if_empty) {
  if (!bits && none_if_empty) {
    o.put("<None>");
    return;
  }
  while (bits) {
    uint32_t bit = bits & (0u - bits);
    bits &= ~bit;
    const char* found = nullptr;
    for (const BitName& n : names)
      if (n.bit == bit) found = n.name;
    if (found)
      o.put(found);
    else
      o.f("<unknown: %x>", bit);
    if (bits) o.put(", ");
  }
}

void print_x86_isa(Text& o, uint32_t bits) {
  print_bits(o, bits, {{1, "x86-64-baseline"}, {2, "x86-64-v2"}, {4, "x86-64-v3"}, {8, "x86-64-v4"}},
             false);
}

void print_x86_feature_1(Text& o, uint32_t bits) {
  print_bits(o, bits, {{1, "IBT"}, {2, "SHSTK"}, {4, "LAM_U48"}, {8, "LAM_U57"}}, true);
}

void print_x86_feature_2(Text& o, uint32_t bits) {
  print_bits(o, bits,
             {{1, "x86"}, {2, "x87"}, {4, "MMX"}, {8, "XMM"}, {0x10, "YMM"}, {0x20, "ZMM"},
              {0x40, "FXSR"}, {0x80, "XSAVE"}, {0x100, "XSAVEOPT"}, {0x200, "XSAVEC"},
              {0x400, "TMM"}, {0x800, "MASK"}},
             true);
}

void print_x86_compat_isa(Text& o, uint32_t bits) {
  print_bits(o, bits,
             {{1, "i486"}, {2, "586"}, {4, "686"}, {8, "SSE"}, {0x10, "SSE2"}, {0x20, "SSE3"},
              {0x40, "SSSE3"}, {0x80, "SSE4_1"}, {0x100, "SSE4_2"}, {0x200, "AVX"},
              {0x400, "AVX2"}, {0x800, "AVX512F"}, {0x1000, "AVX512CD"}, {0x2000, "AVX512ER"},
              {0x4000, "AVX512PF"}, {0x8000, "AVX512VL"}, {0x10000, "AVX512DQ"},
              {0x20000, "AVX512BW"}},
             false);
}

void print_x86_compat_2_isa(Text& o, uint32_t bits) {
  print_bits(o, bits,
             {{1, "CMOV"}, {2, "SSE"}, {4, "SSE2"}, {8, "SSE3"}, {0x10, "SSSE3"},
              {0x20, "SSE4_1"}, {0x40, "SSE4_2"}, {0x80, "AVX"}, {0x100, "AVX2"}, {0x200, "FMA"},
              {0x400, "AVX512F"}, {0x800, "AVX512CD"}, {0x1000, "AVX512ER"},
              {0x2000, "AVX512PF"}, {0x4000, "AVX512VL"}, {0x8000, "AVX512DQ"},
              {0x10000, "AVX512BW"}, {0x20000, "AVX512_4FMAPS"}, {0x40000, "AVX512_4VNNIW"},
              {0x80000, "AVX512_BITALG"}, {0x100000, "AVX512_IFMA"}, {0x200000, "AVX512_VBMI"},
              {0x400000, "AVX512_VBMI2"}, {0x800000, "AVX512_VNNI"}, {0x1000000, "AVX512_BF16"}},
             true);
}

// One x86 processor-specific property; false when readelf has no name for it.
bool print_x86_property(ReadelfFile& f, uint32_t type, uint32_t datasz, const uint8_t* ptr) {
  Text& o = f.out;
  uint32_t bitmask = datasz == 4 ? static_cast<uint32_t>(f.get(ptr, 4)) : 0;
  struct Kind {
    uint32_t type;
    const char* label;
    void (*decode)(Text&, uint32_t);
  };
  static constexpr Kind kinds[] = {
      {0xc0010002, "x86 ISA used", print_x86_isa},
      {0xc0008002, "x86 ISA needed", print_x86_isa},
      {0xc0000002, "x86 feature", print_x86_feature_1},
      {0xc0010001, "x86 feature used", print_x86_feature_2},
      {0xc0008001, "x86 feature needed", print_x86_feature_2},
      {0xc0000000, "x86 ISA used", print_x86_compat_isa},
      {0xc0000001, "x86 ISA needed", print_x86_compat_isa},
      {0xc0010000, "x86 ISA used", print_x86_compat_2_isa},
      {0xc0008000, "x86 ISA needed", print_x86_compat_2_isa},
  };
  for (const Kind& k : kinds) {
    if (k.type != type) continue;
    if (datasz != 4) {
      o.f("%s: <corrupt length: %#x> ", k.label, datasz);
    } else {
      o.f("%s: ", k.label);
      k.decode(o, bitmask);
    }
    return true;
  }
  return false;
}

void print_gnu_property_note(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  const uint8_t* ptr = note.desc;
  const uint8_t* end = ptr + note.descsz;
  unsigned size = f.is32 ? 4 : 8;
  unsigned machine = f.hdr.machine;
  o.put("      Properties: ");
  if (note.descsz < 8 || (note.descsz % size) != 0) {
    o.f("<corrupt GNU_PROPERTY_TYPE, size = %#lx>\n", static_cast<unsigned long>(note.descsz));
    return;
  }
  while (ptr < end) {
    if (static_cast<size_t>(end - ptr) < 8) {
      o.f("<corrupt descsz: %#lx>\n", static_cast<unsigned long>(note.descsz));
      break;
    }
    uint32_t type = static_cast<uint32_t>(f.get(ptr, 4));
    uint32_t datasz = static_cast<uint32_t>(f.get(ptr + 4, 4));
    ptr += 8;
    if (datasz > static_cast<size_t>(end - ptr)) {
      o.f("<corrupt type (%#x) datasz: %#x>\n", type, datasz);
      break;
    }
    bool known = false;
    if (type >= 0xc0000000 && type <= 0xdfffffff) {
      if (machine == EM_X86_64 || machine == 6 || machine == EM_386) {
        known = print_x86_property(f, type, datasz, ptr);
      } else if (machine == EM_AARCH64 && type == 0xc0000000) {
        o.put("AArch64 feature: ");
        if (datasz != 4)
          o.f("<corrupt length: %#x> ", datasz);
        else
          print_bits(o, static_cast<uint32_t>(f.get(ptr, 4)), {{1, "BTI"}, {2, "PAC"}}, false);
        known = true;
      }
    } else if (type == 1) {  // GNU_PROPERTY_STACK_SIZE
      o.put("stack size: ");
      if (datasz != size)
        o.f("<corrupt length: %#x> ", datasz);
      else
        o.f("%#llx", ul(f.get(ptr, size)));
      known = true;
    } else if (type == 2) {  // GNU_PROPERTY_NO_COPY_ON_PROTECTED
      o.put("no copy on protected ");
      if (datasz) o.f("<corrupt length: %#x> ", datasz);
      known = true;
    } else if (type >= 0xb0000000 && type <= 0xb000ffff) {
      // GNU_PROPERTY_UINT32_AND_LO..HI (0xb0000000-0xb0007fff), then OR_LO..HI.
      if (type == 0xb0008000) {  // GNU_PROPERTY_1_NEEDED
        if (datasz != 4) {
          o.f("1_needed: <corrupt length: %#x> ", datasz);
        } else {
          o.put("1_needed: ");
          print_bits(o, static_cast<uint32_t>(f.get(ptr, 4)), {{1, "indirect external access"}},
                     false);
        }
      } else {
        o.f(type <= 0xb0007fff ? "UINT32_AND (%#x): " : "UINT32_OR (%#x): ", type);
        if (datasz != 4)
          o.f("<corrupt length: %#x> ", datasz);
        else
          o.f("%#x", static_cast<unsigned>(f.get(ptr, 4)));
      }
      known = true;
    }
    if (!known) {
      if (type < 0xc0000000)
        o.f("<unknown type %#x data: ", type);
      else if (type < 0xe0000000)
        o.f("<processor-specific type %#x data: ", type);
      else
        o.f("<application-specific type %#x data: ", type);
      for (uint32_t j = 0; j < datasz; ++j) o.f("%02x ", ptr[j]);
      o.put(">");
    }
    ptr += (datasz + (size - 1)) & ~(size - 1);
    if (ptr == end) break;
    o.put(f.opt.wide ? ", " : "\n\t");
  }
  o.put('\n');
}

bool print_gnu_note(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  switch (note.type) {
    case NT_GNU_BUILD_ID:
      o.put("    Build ID: ");
      for (uint64_t i = 0; i < note.descsz; ++i) o.f("%02x", note.desc[i]);
      o.put('\n');
      return true;
    case NT_GNU_ABI_TAG: {
      if (note.descsz < 16) {
        o.put("    <corrupt GNU_ABI_TAG>\n");
        return true;
      }
      static const char* os_names[] = {"Linux", "Hurd", "Solaris", "FreeBSD", "NetBSD",
                                       "Syllable", "NaCl"};
      uint64_t os = f.get(note.desc, 4);
      o.f("    OS: %s, ABI: %d.%d.%d\n", os < 7 ? os_names[os] : "Unknown",
          static_cast<int>(f.get(note.desc + 4, 4)), static_cast<int>(f.get(note.desc + 8, 4)),
          static_cast<int>(f.get(note.desc + 12, 4)));
      return true;
    }
    case NT_GNU_GOLD_VERSION:
      o.put("    Version: ");
      for (uint64_t i = 0; i < note.descsz && note.desc[i] != 0; ++i) o.put(static_cast<char>(note.desc[i]));
      o.put('\n');
      return true;
    case NT_GNU_HWCAP:
      o.put("      Hardware Capabilities: ");
      if (note.descsz < 8) {
        f.error("<corrupt GNU_HWCAP>");
        return false;
      }
      o.f("num entries: %d, enabled mask: %x\n", static_cast<int>(f.get(note.desc, 4)),
          static_cast<unsigned>(f.get(note.desc + 4, 4)));
      return true;
    case NT_GNU_PROPERTY_TYPE_0:
      print_gnu_property_note(f, note);
      return true;
  }
  o.put("    Description data: ");
  for (uint64_t i = 0; i < note.descsz; ++i) o.f("%02x ", note.desc[i]);
  o.put('\n');
  return true;
}

// A NUL-terminated field of a stapsdt note, or nothing when it runs off.
std::optional<std::string_view> next_string(const uint8_t*& p, const uint8_t* end) {
  if (p >= end) return std::nullopt;
  size_t room = static_cast<size_t>(end - p);
  size_t len = strnlen(reinterpret_cast<const char*>(p), room);
  if (len >= room) return std::nullopt;
  std::string_view s(reinterpret_cast<const char*>(p), len);
  p += len + 1;
  return s;
}

bool print_stapsdt_note(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  unsigned word = f.is32 ? 4 : 8;
  const uint8_t* p = note.desc;
  const uint8_t* end = p + note.descsz;
  if (note.descsz >= word * 3) {
    uint64_t pc = f.get(p, word), base = f.get(p + word, word), semaphore = f.get(p + 2 * word, word);
    p += 3 * word;
    auto provider = next_string(p, end);
    auto probe = provider ? next_string(p, end) : std::nullopt;
    auto args = probe ? next_string(p, end) : std::nullopt;
    if (args) {
      o.f("    Provider: %.*s\n", static_cast<int>(provider->size()), provider->data());
      o.f("    Name: %.*s\n", static_cast<int>(probe->size()), probe->data());
      o.put("    Location: ");
      f.print_vma(pc, Vma::full_hex);
      o.put(", Base: ");
      f.print_vma(base, Vma::full_hex);
      o.put(", Semaphore: ");
      f.print_vma(semaphore, Vma::full_hex);
      o.put('\n');
      o.f("    Arguments: %.*s\n", static_cast<int>(args->size()), args->data());
      return p == end;
    }
  }
  o.put("  <corrupt - note is too small>\n");
  f.error("corrupt stapdt note - the data size is too small");
  return false;
}

bool print_core_note(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  if (note.type != 0x46494c45) {  // NT_FILE
    if (f.opt.wide) o.put('\n');
    return true;
  }
  unsigned word = f.is32 ? 4 : 8;
  if (!f.is32) {
    // readelf's 64-bit build says this for 64-bit cores.
    o.put("    Cannot decode 64-bit note in 32-bit build\n");
    return true;
  }
  if (note.descsz < 2 * word) {
    f.error("    Malformed note - too short for header");
    return false;
  }
  const uint8_t* desc = note.desc;
  const uint8_t* end = desc + note.descsz;
  if (desc[note.descsz - 1] != 0) {
    f.error("    Malformed note - does not end with \\0");
    return false;
  }
  uint64_t count = f.get(desc, word), page_size = f.get(desc + word, word);
  desc += 2 * word;
  if (count > (~0ull - 2 * word) / (3 * word) || note.descsz < 2 * word + count * 3 * word) {
    f.error("    Malformed note - too short for supplied file count");
    return false;
  }
  o.put("    Page size: ");
  f.print_vma(page_size, Vma::dec);
  o.put('\n');
  o.f("    %*s%*s%*s\n", static_cast<int>(2 + 2 * word), "Start", static_cast<int>(4 + 2 * word),
      "End", static_cast<int>(4 + 2 * word), "Page Offset");
  const uint8_t* names = desc + count * 3 * word;
  while (count-- > 0) {
    if (names == end) {
      f.error("    Malformed note - filenames end too early");
      return false;
    }
    uint64_t start = f.get(desc, word), stop = f.get(desc + word, word),
             offset = f.get(desc + 2 * word, word);
    desc += 3 * word;
    o.put("    ");
    f.print_vma(start, Vma::full_hex);
    o.put("  ");
    f.print_vma(stop, Vma::full_hex);
    o.put("  ");
    f.print_vma(offset, Vma::full_hex);
    std::string_view name = c_string(std::span<const uint8_t>(names, end), 0);
    o.f("\n        %.*s\n", static_cast<int>(name.size()), name.data());
    names += name.size() + 1;
  }
  return true;
}

// --- GNU build attribute notes (annobin): owner "GA" + type + attribute. ---

// readelf's strchr("*$!+", c) test, which a NUL passes too.
bool is_attribute_type(char c) { return c == 0 || std::strchr("*$!+", c) != nullptr; }

bool is_build_attribute(const Note& note) {
  const std::string& n = note.name;
  char c0 = n.size() > 0 ? n[0] : 0, c2 = n.size() > 2 ? n[2] : 0;
  return ((starts_with(n, "GA") && is_attribute_type(c2)) || is_attribute_type(c0)) &&
         (note.type == kBuildAttributeOpen || note.type == kBuildAttributeFunc);
}

// The owner column of a build attribute note: the attribute decoded into at
// most 20 (28 with -W) columns.
bool print_build_attribute_name(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  if (note.namesz < 2) {
    f.error("corrupt name field in GNU build attribute note: size = %ld",
            static_cast<long>(note.namesz));
    f.print_symbol(-20, "  <corrupt name>");
    return false;
  }
  // The name field's bytes up to namesz, NUL included (readelf reads them
  // as a C string and as counted bytes).
  std::string field = note.raw_name;
  field.push_back('\0');  // readelf terminates a name that lacks its NUL
  size_t at = 0;
  int left = f.opt.wide ? 28 : 20;
  if (field[0] == 'G' && field[1] == 'A') {
    if (note.namesz < 4) {
      f.error("corrupt name field in GNU build attribute note: size = %ld",
              static_cast<long>(note.namesz));
      f.print_symbol(-20, "  <corrupt name>");
      return false;
    }
    o.put("GA");
    at += 2;
    left -= 2;
  }
  char name_type = field[at];
  switch (name_type) {
    case '*': case '$': case '+': case '!':
      o.put(name_type);
      --left;
      break;
    default:
      f.error("unrecognised attribute type in name field: %d", name_type);
      f.print_symbol(-20, "<unknown name type>");
      return false;
  }
  ++at;
  char attribute = at < field.size() ? field[at] : 0;
  std::string text;
  const char* expected = "*$!+";
  static const char* const kNames[] = {nullptr, "<version>", "<stack prot>", "<relro>",
                                       "<stack size>", "<tool>", "<ABI>", "<PIC>", "<short enum>"};
  static const char* const kExpected[] = {nullptr, "$", "!+*", "+!", "*", "$", "$*", "*", "+!"};
  if (attribute >= 1 && attribute <= 8) {
    text = kNames[static_cast<int>(attribute)];
    expected = kExpected[static_cast<int>(attribute)];
    ++at;
  } else if (attribute >= 0x20 && attribute < 0x7f) {
    std::string_view rest(field.data() + at, field.size() - at);
    int len = static_cast<int>(strnlen(rest.data(), rest.size())) + 1;
    if (len > left && !f.opt.wide) len = left;
    o.f("%.*s:", len, rest.data());
    left -= len;
    at += static_cast<size_t>(len);
  } else {
    f.error("unrecognised byte in name field: %d", attribute);
    char buf[32];
    std::snprintf(buf, sizeof buf, "<unknown:_%d>", attribute);
    text = buf;
    ++at;
  }
  if (!text.empty()) left -= o.f("%s", text.c_str());
  if (!std::strchr(expected, name_type))
    f.warn("attribute does not have an expected type (%c)", name_type);
  if (at > note.namesz) {
    f.error("corrupt name field: namesz: %lu but parsing gets to %zu",
            static_cast<unsigned long>(note.namesz), at);
    return false;
  }
  if (left < 1 && !f.opt.wide) return true;
  std::string_view value = c_string(std::span<const uint8_t>(
                                        reinterpret_cast<const uint8_t*>(field.data()), field.size()),
                                    at);
  switch (name_type) {
    case '*': {
      uint64_t bytes = note.namesz - at;
      if (bytes > 0) --bytes;  // the name is always NUL-terminated
      if (bytes > 8) {
        f.error("corrupt numeric name field: too many bytes in the value: %x",
                static_cast<unsigned>(bytes));
        bytes = 8;
      }
      uint64_t val = 0;
      for (uint64_t i = 0; i < bytes; ++i)
        val |= static_cast<uint64_t>(static_cast<uint8_t>(field[at + i])) << (8 * i);
      const char* decoded = nullptr;
      if (attribute == 7) {  // PIC
        static const char* const pic[] = {"static", "pic", "PIC", "pie", "PIE"};
        if (val < 5) decoded = pic[val];
      } else if (attribute == 2) {  // stack protector
        static const char* const prot[] = {"off", "on", "all", "strong", "explicit"};
        if (val < 5) decoded = prot[val];
      }
      if (decoded) {
        f.print_symbol(-left, decoded);
        left = 0;
      } else if (val == 0) {
        o.put("0x0");
        left -= 3;
      } else if (f.opt.wide) {
        left -= o.f("0x%llx", static_cast<unsigned long long>(val));
      } else {
        left -= o.f("0x%-.*llx", left, static_cast<unsigned long long>(val));
      }
      break;
    }
    case '$':
      left -= f.print_symbol(-left, value);
      break;
    case '+':
      left -= f.print_symbol(-left, "true");
      break;
    case '!':
      left -= f.print_symbol(-left, "false");
      break;
  }
  if (f.opt.wide && left > 0) o.f("%-*s", left, " ");
  return true;
}

// The symbol a build attribute's address belongs to: for "open" notes a
// file or object symbol (else a global, else a local one), for "func"
// notes a function. The first SHT_SYMTAB that reads is searched.
struct AttributeSymbols {
  bool loaded = false;
  std::vector<Symbol> symbols;
  std::optional<std::span<const uint8_t>> strings;
};

const Symbol* symbol_for_attribute(ReadelfFile& f, AttributeSymbols& cache, uint64_t offset,
                                   bool is_open, std::string& name) {
  if (f.have_sections && !cache.loaded) {
    cache.loaded = true;
    for (uint32_t i = 0; i < f.shnum; ++i)
      if (f.sections[i].type == SHT_SYMTAB &&
          f.symtab_with_strings(static_cast<int>(i), cache.symbols, cache.strings))
        break;
  }
  if (cache.symbols.empty()) return nullptr;
  size_t strlen_ = cache.strings ? cache.strings->size() : 0;
  const Symbol* saved = nullptr;
  for (size_t i = 0; i < cache.symbols.size(); ++i) {
    const Symbol& sym = cache.symbols[i];
    if (sym.value != offset) continue;
    if (sym.name >= strlen_) continue;
    std::string_view sname = c_string(*cache.strings, sym.name);
    if (sname.empty()) continue;
    // Mapping symbols ($x, $d, ...) of AArch64, ARM and RISC-V are not names.
    if (sname[0] == '$' && sname.size() == 2) continue;
    if (is_open) {
      if (sym.type() == STT_OBJECT || sym.type() == STT_FILE) {
        saved = &sym;
        if (sym.size) break;
        continue;
      }
      if (sym.type() == STT_FUNC) continue;
      if (sym.bind() == STB_GLOBAL) {
        if (!saved || saved->type() != STT_OBJECT) saved = &sym;
      } else if (sym.bind() == STB_LOCAL) {
        if (!saved) saved = &sym;
      }
    } else {
      if (sym.type() != STT_FUNC) continue;
      saved = &sym;
      break;
    }
  }
  if (saved) name = std::string(c_string(*cache.strings, saved->name));
  return saved;
}

int section_by_address(const ReadelfFile& f, uint64_t addr) {
  if (!f.have_sections) return -1;
  for (uint32_t i = 0; i < f.shnum; ++i) {
    const Shdr& s = f.sections[i];
    if (addr >= s.addr && addr < s.addr + s.size) return static_cast<int>(i);
  }
  return -1;
}

// The range a build attribute note applies to. readelf keeps the last
// ranges for the whole run (a note with no description reuses them), so
// they live as long as the process, not one report.
struct AttributeRanges {
  uint64_t global_offset = 0, global_end = 0, func_offset = 0, func_end = 0;
};
AttributeRanges& attribute_ranges() {
  static AttributeRanges ranges;
  return ranges;
}

bool print_build_attribute_description(ReadelfFile& f, const Note& note, AttributeSymbols& cache) {
  Text& o = f.out;
  AttributeRanges& r = attribute_ranges();
  bool is_open = note.type == kBuildAttributeOpen;
  uint64_t start = 0, end = 0;
  auto ull = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  switch (note.descsz) {
    case 0: {
      uint64_t from = is_open ? r.global_offset : r.func_offset;
      uint64_t to = is_open ? r.global_end : r.func_end;
      if (to > from)
        o.f("    Applies to region from %#llx to %#llx\n", ull(from), ull(to));
      else
        o.f("    Applies to region from %#llx\n", ull(from));
      return true;
    }
    case 4:
      start = f.get(note.desc, 4);
      break;
    case 8:
      start = f.get(note.desc, 4);
      end = f.get(note.desc + 4, 4);
      break;
    case 16:
      start = f.get(note.desc, 8);
      end = f.get(note.desc + 8, 8);
      break;
    default:
      f.error("    <invalid description size: %lx>", static_cast<unsigned long>(note.descsz));
      o.put("    <invalid descsz>");
      return false;
  }
  std::string name;
  const Symbol* sym = symbol_for_attribute(f, cache, start, is_open, name);
  // annobin biases file-name symbols by 2 so they are not taken for the
  // first function of the file.
  if (!sym && is_open) sym = symbol_for_attribute(f, cache, start + 2, is_open, name);
  if (end == 0 && sym && sym->size > 0) end = start + sym->size;
  if (is_open) {
    if (r.global_end > 0 && start > ((r.global_end + 15) & ~uint64_t(15))) {
      int a = section_by_address(f, start), b = section_by_address(f, r.global_end);
      if (a == b && a >= 0)
        f.warn("Gap in build notes detected from %#llx to %#llx", ull(r.global_end + 1),
               ull(start - 1));
    }
    o.f("    Applies to region from %#llx", ull(start));
    r.global_offset = start;
    if (end) {
      o.f(" to %#llx", ull(end));
      r.global_end = end;
    }
  } else {
    o.f("    Applies to region from %#llx", ull(start));
    r.func_offset = start;
    if (end) {
      o.f(" to %#llx", ull(end));
      r.func_end = end;
    }
  }
  if (sym) o.f(" (%s)", name.c_str());
  o.put('\n');
  return true;
}

void print_note_contents_hex(ReadelfFile& f, const Note& note) {
  Text& o = f.out;
  if (note.descsz) {
    o.put("   description data: ");
    for (uint64_t i = 0; i < note.descsz; ++i) o.f("%02x ", note.desc[i]);
    if (!f.opt.wide) o.put('\n');
  }
  if (f.opt.wide) o.put('\n');
}

bool process_note(ReadelfFile& f, const Note& note, AttributeSymbols& attribute_symbols) {
  Text& o = f.out;
  std::string name = note.namesz ? note.name : "(NONE)";
  const std::string& n = note.name;
  std::string type_name;
  if (note.namesz == 0)
    type_name = generic_note_type(f, note.type);
  else if (starts_with(n, "GNU"))
    type_name = gnu_note_type(note.type);
  else if (starts_with(n, "stapsdt"))
    type_name = note.type == 3 ? "NT_STAPSDT (SystemTap probe descriptors)"
                               : hex32("Unknown note type: (0x%08x)", note.type);
  else if (starts_with(n, "SPU/")) {
    type_name = n.substr(4);
    name = "SPU";
  } else
    type_name = generic_note_type(f, note.type);

  o.put("  ");
  bool build_attribute = is_build_attribute(note);
  if (build_attribute)
    print_build_attribute_name(f, note);
  else
    f.print_symbol(-20, name);
  o.f(f.opt.wide ? " 0x%08lx\t%s\t" : " 0x%08lx\t%s\n", static_cast<unsigned long>(note.descsz),
      type_name.c_str());

  if (starts_with(n, "GNU")) return print_gnu_note(f, note);
  if (starts_with(n, "stapsdt")) return print_stapsdt_note(f, note);
  if (starts_with(n, "CORE")) return print_core_note(f, note);
  if (starts_with(n, "FDO")) {
    if (note.descsz > 0 && note.type == 0xcafe1a7e) {
      o.f("    Packaging Metadata: %.*s\n", static_cast<int>(note.descsz),
          reinterpret_cast<const char*>(note.desc));
      return true;
    }
    return false;
  }
  if (build_attribute) return print_build_attribute_description(f, note, attribute_symbols);
  print_note_contents_hex(f, note);
  return true;
}

uint64_t align_up(uint64_t v, uint64_t align) { return (v + align - 1) & ~(align - 1); }

bool process_notes_at(ReadelfFile& f, const Shdr* section, uint64_t offset, uint64_t length,
                      uint64_t align, AttributeSymbols& attribute_symbols) {
  Text& o = f.out;
  if (length == 0) return false;
  auto contents = f.data(offset, length, section ? "section contents" : "notes");
  if (!contents) return false;
  o.put('\n');
  if (section)
    o.f("Displaying notes found in: %s\n", f.printable_section_name(*section).c_str());
  else
    o.f("Displaying notes found at file offset 0x%08llx with length 0x%08llx:\n", ul(offset),
        ul(length));
  if (align < 4) {
    align = 4;
  } else if (align != 4 && align != 8) {
    f.warn("Corrupt note: alignment %lld, expecting 4 or 8", static_cast<long long>(align));
    return false;
  }
  o.f("  %-20s %-10s\tDescription\n", "Owner", "Data size");
  const uint8_t* base = contents->data();
  size_t end = contents->size();
  size_t at = 0;
  bool res = true;
  while (at < end) {
    size_t remaining = end - at;
    if (remaining < 12) {
      f.warn(remaining == 1 ? "Corrupt note: only %zd byte remains, not enough for a full note"
                            : "Corrupt note: only %zd bytes remain, not enough for a full note",
             remaining);
      break;
    }
    remaining -= 12;
    Note note;
    note.namesz = f.get(base + at, 4);
    note.descsz = f.get(base + at + 4, 4);
    note.type = f.get(base + at + 8, 4);
    uint64_t desc_offset = align_up(12 + note.namesz, align);
    uint64_t next_offset = align_up(desc_offset + note.descsz, align);
    uint64_t name_to_desc = desc_offset - 12;
    uint64_t desc_to_next = next_offset - desc_offset;
    if (name_to_desc < note.namesz || name_to_desc > remaining || desc_to_next < note.descsz ||
        desc_to_next > remaining - name_to_desc) {
      f.warn("note with invalid namesz and/or descsz found at offset %#zx", at);
      f.warn(" type: %#lx, namesize: %#lx, descsize: %#lx, alignment: %u",
             static_cast<unsigned long>(note.type), static_cast<unsigned long>(note.namesz),
             static_cast<unsigned long>(note.descsz), static_cast<unsigned>(align));
      break;
    }
    // The name is a C string; one that lacks its NUL is cut at namesz. With
    // no name at all readelf still looks at the bytes where it would be.
    std::span<const uint8_t> name_bytes(base + at + 12, end - at - 12);
    if (note.namesz > 0) {
      name_bytes = name_bytes.first(note.namesz);
      note.raw_name.assign(reinterpret_cast<const char*>(name_bytes.data()), name_bytes.size());
    }
    note.name = std::string(c_string(name_bytes, 0));
    note.desc = base + at + desc_offset;
    at += next_offset;
    if (!process_note(f, note, attribute_symbols)) res = false;
  }
  return res;
}

bool process_note_segments(ReadelfFile& f, AttributeSymbols& attribute_symbols) {
  const auto* phdrs = f.program_headers();
  if (!phdrs) return true;
  bool res = true;
  for (const Phdr& p : *phdrs)
    if (p.type == PT_NOTE &&
        !process_notes_at(f, nullptr, p.offset, p.filesz, p.align, attribute_symbols))
      res = false;
  return res;
}

}  // namespace

bool process_notes(ReadelfFile& f) {
  if (!f.opt.notes) return true;
  AttributeSymbols attribute_symbols;
  if (f.hdr.type != ET_CORE) {
    unsigned n = 0;
    bool res = true;
    for (uint32_t i = 0; i < f.shnum && f.have_sections; ++i) {
      const Shdr& s = f.sections[i];
      if (s.type == SHT_NOTE) {
        if (!process_notes_at(f, &s, s.offset, s.size, s.addralign, attribute_symbols)) res = false;
        ++n;
      }
    }
    if (n == 0) return process_note_segments(f, attribute_symbols);
    return res;
  }
  if (f.phnum > 0) return process_note_segments(f, attribute_symbols);
  f.out.put("No notes found file.\n");
  return true;
}

}  // namespace linkbox::elf::readelf
