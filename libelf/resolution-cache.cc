#include "libelf/resolution-cache.h"

#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace linkbox::elf {
namespace {

std::vector<std::string> split_run_path(const std::string& path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t colon = path.find(':', start);
    out.push_back(path.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;  // a trailing ':' yields a final empty component, as the loader sees it
  }
  return out;
}

// A directory the loader has to search itself rather than one whose contents
// can be recorded now.
bool needs_search_hint(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') return true;
  if (dir.find('$') != std::string::npos) return true;
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return true;
  if (::access(dir.c_str(), X_OK) != 0) return true;
  return ::access((dir + "/glibc-hwcaps").c_str(), F_OK) == 0;
}

}  // namespace

std::optional<std::vector<uint8_t>> build_resolution_cache(const std::vector<std::string>& needed,
                                                           const std::string& run_path,
                                                           std::string* why_not) {
  auto dirs = split_run_path(run_path);
  if (needed.empty() || dirs.empty()) {
    *why_not = "no DT_NEEDED entries or run path to resolve";
    return std::nullopt;
  }
  std::map<std::string, std::string> lists;
  for (const auto& dir : dirs) {
    bool hint = needs_search_hint(dir);
    for (const auto& name : needed) {
      if (name.find('/') != std::string::npos) continue;  // opened directly by the loader
      std::string element;
      if (hint) {
        element = "?" + dir;
      } else {
        std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), R_OK) != 0) continue;
        element = "=" + candidate;
      }
      std::string& list = lists[name];
      if (!list.empty()) list += ":";
      list += element;
    }
  }
  if (lists.empty()) {
    *why_not = "no libraries resolved against the run path";
    return std::nullopt;
  }
  std::vector<uint8_t> desc;
  for (const auto& [name, list] : lists) {
    desc.insert(desc.end(), name.begin(), name.end());
    desc.push_back(0);
    desc.insert(desc.end(), list.begin(), list.end());
    desc.push_back(0);
  }
  desc.push_back(0);
  return desc;
}

std::vector<uint8_t> make_resolution_cache_note(const Codec& codec, const std::vector<uint8_t>& desc) {
  static const char owner[] = "NixOS";  // with its NUL: 6 bytes, padded to 8
  std::vector<uint8_t> note(12 + 8 + align_up(desc.size(), 4), 0);
  codec.put<uint32_t>(note.data(), sizeof owner);
  codec.put<uint32_t>(note.data() + 4, static_cast<uint32_t>(desc.size()));
  codec.put<uint32_t>(note.data() + 8, kResolutionCacheNoteType);
  for (size_t i = 0; i < sizeof owner; ++i) note[12 + i] = static_cast<uint8_t>(owner[i]);
  for (size_t i = 0; i < desc.size(); ++i) note[20 + i] = desc[i];
  return note;
}

}  // namespace linkbox::elf
