#include "libformat/archive.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "libformat/byte-order.h"

namespace linkbox {
namespace {

constexpr size_t kHeaderSize = 60;

std::string_view field(const uint8_t* p, size_t len) {
  std::string_view s(reinterpret_cast<const char*>(p), len);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool parse_decimal(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

const ArchiveMember* Archive::member_at(uint64_t offset) const {
  auto it = std::lower_bound(members_.begin(), members_.end(), offset,
                             [](const ArchiveMember& m, uint64_t o) { return m.header_offset < o; });
  return it != members_.end() && it->header_offset == offset ? &*it : nullptr;
}

std::string Archive::member_path(const ArchiveMember& m) const {
  if (!m.name.empty() && m.name[0] == '/') return m.name;
  auto slash = path_.rfind('/');
  return slash == std::string::npos ? m.name : path_.substr(0, slash + 1) + m.name;
}

Status Archive::parse_symbol_table(std::span<const uint8_t> data, bool is64) {
  size_t word = is64 ? 8 : 4;
  if (data.size() < word) return error("truncated archive symbol table");
  uint64_t count = is64 ? load<uint64_t>(data.data(), ByteOrder::big) : load<uint32_t>(data.data(), ByteOrder::big);
  uint64_t table;
  if (!checked_mul(count, word, &table) || !in_bounds(word, table, data.size()))
    return error("archive symbol table has " + std::to_string(count) + " entries, more than it has room for");
  const char* names = reinterpret_cast<const char*>(data.data() + word + table);
  size_t names_size = data.size() - word - table;
  size_t at = 0;
  symbols_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* p = data.data() + word + i * word;
    uint64_t offset = is64 ? load<uint64_t>(p, ByteOrder::big) : load<uint32_t>(p, ByteOrder::big);
    const void* nul = at < names_size ? std::memchr(names + at, 0, names_size - at) : nullptr;
    if (!nul) return error("archive symbol table names run past its end");
    size_t len = static_cast<const char*>(nul) - (names + at);
    symbols_.push_back({std::string(names + at, len), offset});
    at += len + 1;
  }
  return {};
}

Expected<Archive> Archive::parse(std::string path, std::span<const uint8_t> bytes) {
  Archive a;
  a.path_ = std::move(path);
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), "!<thin>\n", 8) == 0) a.thin_ = true;
  else if (bytes.size() < 8 || std::memcmp(bytes.data(), "!<arch>\n", 8) != 0)
    return a.error("not an ar archive");
  std::string_view long_names;
  uint64_t at = 8;
  while (at < bytes.size()) {
    if (bytes.size() - at == 1 && bytes[at] == '\n') break;  // trailing padding
    if (!in_bounds(at, kHeaderSize, bytes.size()))
      return a.error("truncated member header at offset " + std::to_string(at));
    const uint8_t* h = bytes.data() + at;
    if (h[58] != '`' || h[59] != '\n')
      return a.error("bad member header at offset " + std::to_string(at));
    uint64_t size;
    if (!parse_decimal(field(h + 48, 10), &size))
      return a.error("bad member size at offset " + std::to_string(at));
    std::string_view raw = field(h, 16);
    uint64_t data_at = at + kHeaderSize;
    // Symbol tables and the long-name table always have their data inline,
    // even in thin archives; ordinary thin members have none.
    bool special = raw == "/" || raw == "/SYM64/" || raw == "//";
    bool inline_data = !a.thin_ || special;
    if (inline_data && !in_bounds(data_at, size, bytes.size()))
      return a.error("member at offset " + std::to_string(at) + " extends past the end of the archive");
    std::span<const uint8_t> data = inline_data ? bytes.subspan(data_at, size) : std::span<const uint8_t>();
    std::string name;
    if (raw == "/" || raw == "/SYM64/") {
      if (Status s = a.parse_symbol_table(data, raw == "/SYM64/"); !s) return s.error();
    } else if (raw == "//") {
      long_names = std::string_view(reinterpret_cast<const char*>(data.data()), data.size());
    } else {
      if (raw.size() > 1 && raw[0] == '/') {
        uint64_t off;
        if (!parse_decimal(raw.substr(1), &off) || off >= long_names.size())
          return a.error("bad long member name at offset " + std::to_string(at));
        size_t end = long_names.find('\n', off);
        name = std::string(long_names.substr(off, end == std::string_view::npos ? end : end - off));
        if (!name.empty() && name.back() == '/') name.pop_back();
      } else if (raw.substr(0, 3) == "#1/") {
        uint64_t len;
        if (!parse_decimal(raw.substr(3), &len) || len > data.size())
          return a.error("bad BSD member name at offset " + std::to_string(at));
        name.assign(reinterpret_cast<const char*>(data.data()), len);
        name.erase(std::find(name.begin(), name.end(), '\0'), name.end());
        data = data.subspan(len);
      } else {
        name = std::string(raw);
        if (!name.empty() && name.back() == '/') name.pop_back();
      }
      a.members_.push_back({std::move(name), at, data.size(), data});
    }
    at = data_at + (inline_data ? size : 0);
    at += at & 1;  // members are 2-byte aligned
  }
  return a;
}

}  // namespace linkbox
