// ar archives, regular and thin (GNU), as static libraries use them.
//
// The reader is a bounds-checked view: member headers, the GNU long-name
// table ("//"), the symbol index ("/" with 32-bit offsets, "/SYM64/" with
// 64-bit ones) and BSD "#1/N" names. Thin archives hold only headers; each
// member's data lives in the file its name gives, relative to the archive.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libformat/expected.h"

namespace linkbox {

struct ArchiveMember {
  std::string name;
  uint64_t header_offset = 0;       // where the member's header starts
  uint64_t size = 0;
  std::span<const uint8_t> data;    // empty for thin-archive members
};

struct ArchiveSymbol {
  std::string name;
  uint64_t member_offset = 0;       // header offset of the member defining it
};

class Archive {
 public:
  static Expected<Archive> parse(std::string path, std::span<const uint8_t> bytes);

  bool thin() const { return thin_; }
  const std::vector<ArchiveMember>& members() const { return members_; }
  const std::vector<ArchiveSymbol>& symbols() const { return symbols_; }
  // The member whose header is at `offset`, or nullptr.
  const ArchiveMember* member_at(uint64_t offset) const;
  // For a thin archive member, the path of the file that holds its data.
  std::string member_path(const ArchiveMember& m) const;

 private:
  Status parse_symbol_table(std::span<const uint8_t> data, bool is64);
  Error error(std::string message) const { return make_error(path_, std::move(message)); }

  std::string path_;
  bool thin_ = false;
  std::vector<ArchiveMember> members_;
  std::vector<ArchiveSymbol> symbols_;
};

}  // namespace linkbox
