// What glibc's ld.so reads of one ELF file it is asked to load: the identity
// checks of open_verify (elf/dl-load.c) and the dynamic-section facts that
// drive the library search (NEEDED, filters, SONAME, RPATH, RUNPATH,
// DT_FLAGS_1, symbol versions).
//
// This is a separate, lean reader rather than ElfFile because ld.so looks at
// far less than ElfFile checks: a library with a broken section header table
// loads fine, and ldd must then list it, not refuse it. Every offset and count
// is still checked against the file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libformat/byte-order.h"

namespace linkbox::elf {

// The ELF identity one ld.so accepts: its own class, byte order and machine.
struct LoaderAbi {
  uint16_t machine = 0;
  bool is64 = true;
  ByteOrder order = ByteOrder::little;
  // One past the highest EI_ABIVERSION accepted with ELFOSABI_GNU
  // (LIBC_ABI_MAX, from glibc's libc-abis for the target).
  unsigned abi_version_limit = 4;
  // 32-bit Arm only: ld.so skips libraries of the other float ABI.
  bool arm_hard_float = false;
  uint64_t page_size = 4096;
};

// How opening a candidate file ended, in open_verify's terms.
enum class OpenOutcome {
  ok,
  // open() failed; error_number says why (ENOENT, EACCES, ...).
  cannot_open,
  // A file of the other ELF class: skipped, and remembered for the
  // "wrong ELF class" message of non-trace loads.
  other_class,
  // Another machine (or float ABI), or an ABI note for another OS: skipped
  // silently.
  other_machine,
  // ld.so stops with "error while loading shared libraries".
  fatal,
};

struct VersionNeedAuxEntry {
  std::string name;
  uint32_t hash = 0;
  bool weak = false;
};

struct VersionNeedEntry {
  std::string file;
  uint16_t version = 1;
  std::vector<VersionNeedAuxEntry> versions;
};

struct VersionDefEntry {
  std::string name;  // the first Verdaux name
  uint32_t hash = 0;
  uint16_t version = 1;
  uint16_t flags = 0;
};

// A DT_NEEDED, DT_AUXILIARY or DT_FILTER entry, in dynamic-section order.
struct DependencyEntry {
  int64_t tag = 0;
  std::string name;
};

struct LoaderObject {
  std::string host_path;
  OpenOutcome outcome = OpenOutcome::cannot_open;
  int error_number = 0;     // errno for cannot_open and some fatal errors
  std::string message;      // glibc's wording for fatal errors
  dev_t dev = 0;            // the file identity ld.so compares (st_dev, st_ino)
  ino_t ino = 0;

  // The rest is filled in when outcome == ok.
  uint16_t type = 0;
  uint32_t e_flags = 0;
  bool has_load = false;
  bool misaligned_load = false;  // a PT_LOAD whose vaddr and offset disagree modulo the page size
  bool has_dynamic = false;      // PT_DYNAMIC with a non-empty file image
  bool empty_dynamic = false;    // PT_DYNAMIC with p_filesz == 0 (separate debug files)
  std::optional<std::string> interpreter;
  bool has_needed = false;
  std::vector<DependencyEntry> dependencies;
  std::optional<std::string> soname;
  std::optional<std::string> rpath;
  std::optional<std::string> runpath;
  uint64_t flags_1 = 0;
  bool has_verneed = false;
  std::vector<VersionNeedEntry> version_needs;
  bool has_verdef = false;
  std::vector<VersionDefEntry> version_defs;
};

// Opens `host_path` and checks it as ld.so's open_verify would for `abi`.
// When it passes, also reads what _dl_map_object_from_fd and the dependency
// walk use. Never fails: problems are described in the returned object.
std::shared_ptr<const LoaderObject> read_loader_object(const std::string& host_path,
                                                       const LoaderAbi& abi);

// The same checks on bytes already in memory (fuzzing, tests). `name` only
// labels the result; dev and ino stay 0.
std::shared_ptr<const LoaderObject> parse_loader_object(const std::string& name,
                                                        std::span<const uint8_t> bytes,
                                                        const LoaderAbi& abi);

// The ELF hash of a version name, as stored in vna_hash/vd_hash.
uint32_t elf_version_hash(const std::string& name);

}  // namespace linkbox::elf
