#include "libelf/ld-so-object.h"

#include "libelf/elf-rehash.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "libelf/elf-types.h"

namespace linkbox::elf {
namespace {

// Walking a version chain follows offsets stored in the file; a corrupt file
// could make it loop, so walks stop after this many records.
constexpr unsigned kMaxVersionRecords = 1 << 16;

// The file's bytes, mapped read-only for the lifetime of one read.
class Mapping {
 public:
  Mapping(int fd, size_t size) : size_(size) {
    if (size == 0) return;
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) data_ = static_cast<const uint8_t*>(p);
  }
  ~Mapping() {
    if (data_) munmap(const_cast<uint8_t*>(data_), size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  bool ok() const { return data_ != nullptr; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

void set_fatal(LoaderObject& o, std::string message, int error_number = 0) {
  o.outcome = OpenOutcome::fatal;
  o.message = std::move(message);
  o.error_number = error_number;
}

// The checks open_verify makes on e_ident, in its order, once the identity
// differs from the expected one. Returns false when the file is skipped or
// refused (and says which in `o`).
bool check_ident(LoaderObject& o, const uint8_t* ident, const LoaderAbi& abi,
                 const Codec& codec) {
  uint8_t want_class = abi.is64 ? ELFCLASS64 : ELFCLASS32;
  uint8_t want_data = abi.order == ByteOrder::little ? ELFDATA2LSB : ELFDATA2MSB;
  uint8_t osabi = ident[EI_OSABI], abiversion = ident[EI_ABIVERSION];
  bool osabi_ok = osabi == ELFOSABI_SYSV || osabi == ELFOSABI_GNU;
  bool abiversion_ok = abiversion == 0 || (osabi == ELFOSABI_GNU && abiversion < abi.abi_version_limit);
  bool pad_ok = true;
  for (int i = EI_PAD; i < EI_NIDENT; ++i) pad_ok = pad_ok && ident[i] == 0;
  bool header_ok = std::memcmp(ident, ELFMAG, SELFMAG) == 0 && ident[EI_CLASS] == want_class &&
                   ident[EI_DATA] == want_data && ident[EI_VERSION] == EV_CURRENT && osabi_ok;
  if (header_ok && abiversion_ok && pad_ok) return true;

  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    set_fatal(o, "invalid ELF header");
  } else if (ident[EI_CLASS] != want_class) {
    o.outcome = OpenOutcome::other_class;
    o.error_number = ENOENT;
  } else if (codec.get<uint16_t>(ident + EI_NIDENT + 2) != abi.machine) {
    // Debian's unsubmitted-ldso-machine-mismatch patch: a file for another
    // machine is skipped before its byte order is looked at.
    o.outcome = OpenOutcome::other_machine;
    o.error_number = ENOENT;
  } else if (ident[EI_DATA] != want_data) {
    set_fatal(o, abi.order == ByteOrder::big ? "ELF file data encoding not big-endian"
                                             : "ELF file data encoding not little-endian");
  } else if (ident[EI_VERSION] != EV_CURRENT) {
    set_fatal(o, "ELF file version ident does not match current one");
  } else if (!osabi_ok) {
    set_fatal(o, "ELF file OS ABI invalid");
  } else if (!abiversion_ok) {
    set_fatal(o, "ELF file ABI version invalid");
  } else if (!pad_ok) {
    set_fatal(o, "nonzero padding in e_ident");
  } else {
    set_fatal(o, "internal error");
  }
  return false;
}

// Bounds-checked access to the mapped image through virtual addresses, the
// way ld.so sees it once the PT_LOAD segments are mapped.
class Image {
 public:
  Image(std::span<const uint8_t> bytes, const Codec& codec, std::vector<Phdr> loads)
      : bytes_(bytes), codec_(codec), loads_(std::move(loads)) {}

  std::optional<uint64_t> offset_of(uint64_t vaddr, uint64_t size) const {
    for (const Phdr& p : loads_) {
      if (vaddr < p.vaddr || vaddr - p.vaddr > p.filesz || size > p.filesz - (vaddr - p.vaddr))
        continue;
      uint64_t off = p.offset + (vaddr - p.vaddr);
      if (in_bounds(off, size, bytes_.size())) return off;
    }
    return std::nullopt;
  }

  // A NUL-terminated string at a file offset, or nullopt when it runs off the file.
  std::optional<std::string> string_at_offset(uint64_t off) const {
    if (off >= bytes_.size()) return std::nullopt;
    const uint8_t* start = bytes_.data() + off;
    const void* nul = std::memchr(start, 0, bytes_.size() - off);
    if (!nul) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(start), static_cast<const uint8_t*>(nul) - start);
  }

  std::optional<std::string> string_at(std::optional<uint64_t> strtab, uint64_t index) const {
    if (!strtab) return std::nullopt;
    auto base = offset_of(*strtab, 1);
    uint64_t off;
    if (!base || !checked_add(*base, index, &off)) return std::nullopt;
    return string_at_offset(off);
  }

  std::span<const uint8_t> bytes() const { return bytes_; }
  const Codec& codec() const { return codec_; }

 private:
  std::span<const uint8_t> bytes_;
  Codec codec_;
  std::vector<Phdr> loads_;
};

std::vector<VersionNeedEntry> read_version_needs(const Image& image, uint64_t vaddr,
                                                 std::optional<uint64_t> strtab) {
  std::vector<VersionNeedEntry> out;
  const Codec& c = image.codec();
  uint64_t at = vaddr;
  for (unsigned n = 0; n < kMaxVersionRecords; ++n) {
    auto off = image.offset_of(at, 16);
    if (!off) break;
    const uint8_t* p = image.bytes().data() + *off;
    VersionNeedEntry need;
    need.version = c.get<uint16_t>(p);
    need.file = image.string_at(strtab, c.get<uint32_t>(p + 4)).value_or("");
    uint64_t aux = at + c.get<uint32_t>(p + 8);
    for (unsigned m = 0; m < kMaxVersionRecords; ++m) {
      auto aoff = image.offset_of(aux, 16);
      if (!aoff) break;
      const uint8_t* a = image.bytes().data() + *aoff;
      VersionNeedAuxEntry v;
      v.hash = c.get<uint32_t>(a);
      v.weak = (c.get<uint16_t>(a + 4) & VER_FLG_WEAK) != 0;
      v.name = image.string_at(strtab, c.get<uint32_t>(a + 8)).value_or("");
      need.versions.push_back(std::move(v));
      uint32_t next = c.get<uint32_t>(a + 12);
      if (next == 0) break;
      aux += next;
    }
    out.push_back(std::move(need));
    uint32_t next = c.get<uint32_t>(p + 12);
    if (next == 0) break;
    at += next;
  }
  return out;
}

std::vector<VersionDefEntry> read_version_defs(const Image& image, uint64_t vaddr,
                                               std::optional<uint64_t> strtab) {
  std::vector<VersionDefEntry> out;
  const Codec& c = image.codec();
  uint64_t at = vaddr;
  for (unsigned n = 0; n < kMaxVersionRecords; ++n) {
    auto off = image.offset_of(at, 20);
    if (!off) break;
    const uint8_t* p = image.bytes().data() + *off;
    VersionDefEntry def;
    def.version = c.get<uint16_t>(p);
    def.flags = c.get<uint16_t>(p + 2);
    def.hash = c.get<uint32_t>(p + 8);
    if (auto aux = image.offset_of(at + c.get<uint32_t>(p + 12), 8))
      def.name = image.string_at(strtab, c.get<uint32_t>(image.bytes().data() + *aux)).value_or("");
    out.push_back(std::move(def));
    uint32_t next = c.get<uint32_t>(p + 16);
    if (next == 0) break;
    at += next;
  }
  return out;
}

// The dynamic section, as _dl_map_object_deps and elf_get_dynamic_info use it.
void read_dynamic(LoaderObject& o, const Image& image, const Phdr& dynamic) {
  const Codec& c = image.codec();
  uint64_t size = dynamic.filesz;
  if (!in_bounds(dynamic.offset, 0, image.bytes().size())) return;
  size = std::min<uint64_t>(size, image.bytes().size() - dynamic.offset);
  std::vector<Dyn> entries;
  for (uint64_t at = 0; at + c.dyn_size() <= size; at += c.dyn_size()) {
    Dyn d = c.read_dyn(image.bytes().data() + dynamic.offset + at);
    if (d.tag == DT_NULL) break;
    entries.push_back(d);
  }
  std::optional<uint64_t> strtab, verneed, verdef;
  for (const Dyn& d : entries) {
    if (d.tag == DT_STRTAB) strtab = d.val;
    if (d.tag == DT_VERNEED) verneed = d.val;
    if (d.tag == DT_VERDEF) verdef = d.val;
  }
  auto text = [&](uint64_t index) { return image.string_at(strtab, index).value_or(""); };
  bool runpath_seen = false;
  for (const Dyn& d : entries) {
    switch (d.tag) {
      case DT_NEEDED:
        o.has_needed = true;
        [[fallthrough]];
      case DT_AUXILIARY:
      case DT_FILTER:
        o.dependencies.push_back({d.tag, text(d.val)});
        break;
      // elf_get_dynamic_info keeps the last entry of each tag.
      case DT_SONAME: o.soname = text(d.val); break;
      case DT_RPATH: o.rpath = text(d.val); break;
      case DT_RUNPATH: o.runpath = text(d.val); runpath_seen = true; break;
      case DT_FLAGS_1: o.flags_1 = d.val; break;
    }
  }
  // "If both RUNPATH and RPATH are given, the latter is ignored."
  if (runpath_seen) o.rpath.reset();
  if (verneed) {
    o.has_verneed = true;
    o.version_needs = read_version_needs(image, *verneed, strtab);
  }
  if (verdef) {
    o.has_verdef = true;
    o.version_defs = read_version_defs(image, *verdef, strtab);
  }
}

void read_segments(LoaderObject& o, std::span<const uint8_t> bytes, const Codec& codec,
                   const Ehdr& eh, const LoaderAbi& abi) {
  std::vector<Phdr> phdrs, loads;
  for (uint16_t i = 0; i < eh.phnum; ++i)
    phdrs.push_back(codec.read_phdr(bytes.data() + eh.phoff + uint64_t(i) * eh.phentsize));
  const Phdr* dynamic = nullptr;
  for (const Phdr& p : phdrs) {
    if (p.type == PT_LOAD) {
      o.has_load = true;
      if (((p.vaddr - p.offset) & (abi.page_size - 1)) != 0) o.misaligned_load = true;
      loads.push_back(p);
    } else if (p.type == PT_DYNAMIC) {
      // Like ld.so, the last PT_DYNAMIC wins.
      o.empty_dynamic = p.filesz == 0;
      o.has_dynamic = p.filesz != 0;
      dynamic = &p;
    }
  }
  Image image(bytes, codec, std::move(loads));
  for (const Phdr& p : phdrs)
    if (p.type == PT_INTERP && in_bounds(p.offset, p.filesz, bytes.size()) && p.filesz > 0) {
      const char* s = reinterpret_cast<const char*>(bytes.data() + p.offset);
      o.interpreter = std::string(s, strnlen(s, p.filesz));
    }
  if (dynamic && o.has_dynamic) read_dynamic(o, image, *dynamic);
}

// open_verify's check of the .note.ABI-tag (NT_GNU_ABI_TAG): ld.so skips a
// file whose first ABI note names another OS, as if it were not there. The
// minimum kernel version in the note is not compared: every Debian 12 file
// asks for far less than a kernel that runs glibc 2.36. Returns false when a
// note runs off the end of the file (ld.so's read comes back short).
bool check_abi_note(LoaderObject& o, std::span<const uint8_t> bytes, const Codec& codec,
                    const std::vector<Phdr>& phdrs) {
  static constexpr uint8_t kExpected[16] = {4, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0};
  for (const Phdr& p : phdrs) {
    if (p.type != PT_NOTE || p.filesz < 32) continue;
    uint64_t align = p.align < 4 ? 4 : p.align;
    if (align != 4 && align != 8) continue;
    if (!in_bounds(p.offset, p.filesz, bytes.size())) {
      set_fatal(o, "cannot read file data");
      return false;
    }
    const uint8_t* note = bytes.data() + p.offset;
    uint64_t size = p.filesz;
    // The header words are compared in the file's byte order.
    uint8_t expected[16];
    std::memcpy(expected, kExpected, sizeof expected);
    for (int w = 0; w < 3; ++w) codec.put<uint32_t>(expected + 4 * w, load<uint32_t>(kExpected + 4 * w, ByteOrder::little));
    while (std::memcmp(note, expected, sizeof expected) != 0) {
      uint64_t namesz = codec.get<uint32_t>(note), descsz = codec.get<uint32_t>(note + 4);
      uint64_t next = 12 + align_up(namesz, align) + align_up(descsz, align);
      if (size - 32 < next) {
        size = 0;
        break;
      }
      size -= next;
      note += next;
    }
    if (size == 0) continue;
    // The descriptor's first word is the OS: 0 is ELF_NOTE_OS_LINUX.
    if (codec.get<uint32_t>(note + 16) != 0) {
      o.outcome = OpenOutcome::other_machine;
      o.error_number = ENOENT;
      return false;
    }
    break;
  }
  return true;
}

// Everything open_verify and _dl_map_object_from_fd look at in the file's
// bytes, once it is open.
void read_loader_image(LoaderObject& o, std::span<const uint8_t> bytes, const LoaderAbi& abi) {
  Codec codec(abi.is64, abi.order);
  if (!check_ident(o, bytes.data(), abi, codec)) return;
  Ehdr eh = codec.read_ehdr(bytes.data());
  if (eh.version != EV_CURRENT) {
    set_fatal(o, "ELF file version does not match current one");
  } else if (eh.machine != abi.machine) {
    o.outcome = OpenOutcome::other_machine;
    o.error_number = ENOENT;
  } else if (abi.machine == EM_ARM && ((eh.flags & EF_ARM_ABI_FLOAT_HARD) != 0) != abi.arm_hard_float) {
    o.outcome = OpenOutcome::other_machine;
    o.error_number = ENOENT;
  } else if (eh.type != ET_DYN && eh.type != ET_EXEC) {
    set_fatal(o, "only ET_DYN and ET_EXEC can be loaded");
  } else if (eh.phentsize != codec.phdr_size()) {
    set_fatal(o, "ELF file's phentsize not the expected size");
  } else if (!in_bounds(eh.phoff, uint64_t(eh.phnum) * codec.phdr_size(), bytes.size())) {
    // ld.so's pread comes back short: errno stays 0.
    set_fatal(o, "cannot read file data");
  }
  if (o.outcome == OpenOutcome::fatal || o.outcome == OpenOutcome::other_machine) return;
  std::vector<Phdr> phdrs;
  for (uint16_t i = 0; i < eh.phnum; ++i)
    phdrs.push_back(codec.read_phdr(bytes.data() + eh.phoff + uint64_t(i) * eh.phentsize));
  if (!check_abi_note(o, bytes, codec, phdrs)) return;
  o.outcome = OpenOutcome::ok;
  o.error_number = 0;
  o.type = eh.type;
  o.e_flags = eh.flags;
  read_segments(o, bytes, codec, eh, abi);
}

}  // namespace

std::shared_ptr<const LoaderObject> read_loader_object(const std::string& host_path,
                                                       const LoaderAbi& abi) {
  auto o = std::make_shared<LoaderObject>();
  o->host_path = host_path;
  int fd = ::open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    o->error_number = errno;
    return o;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    set_fatal(*o, "cannot read file data", errno);
    ::close(fd);
    return o;
  }
  o->dev = st.st_dev;
  o->ino = st.st_ino;
  size_t ehdr_size = abi.is64 ? 64 : 52;
  if (S_ISDIR(st.st_mode)) {
    // open() succeeds on a directory; ld.so's read() then fails.
    set_fatal(*o, "cannot read file data", EISDIR);
  } else if (!S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) < ehdr_size) {
    set_fatal(*o, "file too short");
  }
  if (o->outcome == OpenOutcome::fatal) {
    ::close(fd);
    return o;
  }
  Mapping map(fd, static_cast<size_t>(st.st_size));
  ::close(fd);
  if (!map.ok()) {
    set_fatal(*o, "cannot read file data", errno);
    return o;
  }
  read_loader_image(*o, map.bytes(), abi);
  return o;
}

std::shared_ptr<const LoaderObject> parse_loader_object(const std::string& name,
                                                        std::span<const uint8_t> bytes,
                                                        const LoaderAbi& abi) {
  auto o = std::make_shared<LoaderObject>();
  o->host_path = name;
  if (bytes.size() < (abi.is64 ? 64u : 52u)) {
    set_fatal(*o, "file too short");
    return o;
  }
  read_loader_image(*o, bytes, abi);
  return o;
}

uint32_t elf_version_hash(const std::string& name) {
  // Version names are hashed with the SysV symbol hash.
  return sysv_hash(name);
}

}  // namespace linkbox::elf
