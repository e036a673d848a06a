#include "libformat/rooted-path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <deque>

namespace linkbox {

std::vector<std::string> path_components(std::string_view p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string join_components(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& c : parts) out += "/" + c;
  return out.empty() ? "/" : out;
}

std::string lexically_normal(const std::string& absolute) {
  std::vector<std::string> out;
  for (auto& c : path_components(absolute)) {
    if (c == ".") continue;
    if (c == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(c);
  }
  return join_components(out);
}

std::string resolve_in_root(const std::string& root, const std::string& path, int max_symlinks) {
  std::deque<std::string> todo;
  for (auto& c : path_components(path)) todo.push_back(std::move(c));
  std::vector<std::string> done;
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    std::string here = root + join_components(done);
    if (here.back() != '/') here += '/';
    here += c;
    struct stat st;
    if (lstat(here.c_str(), &st) != 0 || !S_ISLNK(st.st_mode) || ++links > max_symlinks) {
      done.push_back(std::move(c));
      continue;
    }
    std::vector<char> target(static_cast<size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1);
    ssize_t n = readlink(here.c_str(), target.data(), target.size());
    if (n <= 0) {
      done.push_back(std::move(c));
      continue;
    }
    std::string_view to(target.data(), static_cast<size_t>(n));
    if (!to.empty() && to[0] == '/') done.clear();
    auto parts = path_components(to);
    for (auto p = parts.rbegin(); p != parts.rend(); ++p) todo.push_front(*p);
  }
  return root + join_components(done);
}

}  // namespace linkbox
