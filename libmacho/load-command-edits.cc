#include "libmacho/load-command-edits.h"

#include <algorithm>

#include "libmacho/macho-types.h"

namespace linkbox::macho {
namespace {

bool is_dependent_dylib(uint32_t cmd) {
  return cmd == LC_LOAD_DYLIB || cmd == LC_LOAD_WEAK_DYLIB || cmd == LC_REEXPORT_DYLIB ||
         cmd == LC_LAZY_LOAD_DYLIB || cmd == LC_LOAD_UPWARD_DYLIB;
}

bool is_rpath(uint32_t cmd) { return cmd == LC_RPATH; }

// The index of the first LC_RPATH whose path is `path`.
std::optional<size_t> find_rpath(const SliceEditor& e, const std::string& path) {
  for (size_t i : e.find(is_rpath))
    if (e.string_of(i) == path) return i;
  return std::nullopt;
}

std::string quoted(const std::string& option, const std::string& a) { return "\"" + option + " " + a + "\""; }
std::string quoted(const std::string& option, const std::string& a, const std::string& b) {
  return "\"" + option + " " + a + " " + b + "\"";
}

}  // namespace

std::string slice_label(const Slice& slice) {
  return slice.path() + " (for architecture " + arch_name(slice.header().cputype, slice.header().cpusubtype) + ")";
}

void apply_install_name_edits(SliceEditor& e, const InstallNameEdits& edits, std::vector<Error>& errors) {
  const std::string label = slice_label(e.slice());
  auto fail = [&](std::string message) { errors.push_back(make_error("", std::move(message))); };
  auto missing = [&](const std::string& path, const std::string& option) {
    fail("no LC_RPATH load command with path: " + path + " found in: " + label +
         ", required for specified option " + option);
  };
  auto duplicate = [&](const std::string& option, const std::string& path) {
    fail("for: " + label + " option " + option + " would duplicate path, file already has LC_RPATH for: " + path);
  };
  std::vector<std::string> original;
  for (size_t i : e.find(is_rpath))
    if (auto p = e.string_of(i)) original.push_back(*p);
  auto in_original = [&](const std::string& p) { return std::find(original.begin(), original.end(), p) != original.end(); };

  for (const auto& path : edits.delete_rpaths) {
    if (auto i = find_rpath(e, path)) e.remove(*i);
    else missing(path, quoted("-delete_rpath", path));
  }
  for (const auto& [from, to] : edits.rpaths) {
    auto i = find_rpath(e, from);
    if (!i) {
      missing(from, quoted("-rpath", from, to));
      continue;
    }
    if (in_original(to)) {
      duplicate(quoted("-rpath", from, to), to);
      continue;
    }
    e.replace(*i, e.with_string(*i, to));
  }
  if (edits.delete_all_rpaths)
    for (auto idx = e.find(is_rpath); !idx.empty(); idx = e.find(is_rpath)) e.remove(idx.front());
  if (edits.id)
    for (size_t i : e.find([](uint32_t c) { return c == LC_ID_DYLIB; })) e.replace(i, e.with_string(i, *edits.id));
  for (size_t i : e.find(is_dependent_dylib)) {
    auto name = e.string_of(i);
    if (!name) continue;
    for (const auto& [from, to] : edits.changes)
      if (*name == from) {
        e.replace(i, e.with_string(i, to));
        break;
      }
  }
  // The rpaths that stay from the file, for the duplicate checks of the
  // ones added (a path deleted or renamed in this run no longer counts).
  std::vector<std::string> kept;
  for (size_t i : e.find(is_rpath))
    if (auto p = e.string_of(i)) kept.push_back(*p);
  auto is_kept = [&](const std::string& p) { return std::find(kept.begin(), kept.end(), p) != kept.end(); };
  for (const auto& path : edits.add_rpaths) {
    if (is_kept(path)) duplicate(quoted("-add_rpath", path), path);
    else e.insert(e.size(), e.make_rpath(path));
  }
  for (const auto& path : edits.prepend_rpaths) {
    bool also_added = std::find(edits.add_rpaths.begin(), edits.add_rpaths.end(), path) != edits.add_rpaths.end();
    if (is_kept(path) || also_added) duplicate(quoted("-prepend_rpath", path), path);
    else e.insert(0, e.make_rpath(path));
  }
}

bool add_dependent_dylib(SliceEditor& e, const std::string& name, bool weak) {
  auto deps = e.find(is_dependent_dylib);
  for (size_t i : deps)
    if (e.string_of(i) == name) return false;
  // ld64 writes timestamp 2 in every dylib command; versions 0 ask nothing of
  // the dylib that is found (dyld only refuses a compatibility version lower
  // than the one recorded here).
  auto command = e.make_dylib(weak ? LC_LOAD_WEAK_DYLIB : LC_LOAD_DYLIB, name, 2, 0, 0);
  size_t at = deps.empty() ? e.size() : deps.back() + 1;
  if (deps.empty()) {
    // No dependent dylib yet: go after LC_ID_DYLIB or LC_LOAD_DYLINKER, where
    // the linkers put the dylib commands, or at the end.
    auto anchors = e.find([](uint32_t c) { return c == LC_ID_DYLIB || c == LC_LOAD_DYLINKER || c == LC_MAIN; });
    if (!anchors.empty()) at = anchors.back() + 1;
  }
  e.insert(at, std::move(command));
  return true;
}

std::optional<std::string> dylinker_of(const SliceEditor& e) {
  for (size_t i : e.find([](uint32_t c) { return c == LC_LOAD_DYLINKER; })) return e.string_of(i);
  return std::nullopt;
}

Status set_dylinker(SliceEditor& e, const std::string& path) {
  auto found = e.find([](uint32_t c) { return c == LC_LOAD_DYLINKER; });
  if (found.empty())
    return e.slice().error("has no LC_LOAD_DYLINKER load command (it is not a dynamically linked executable)");
  e.replace(found.front(), e.with_string(found.front(), path));
  return {};
}

}  // namespace linkbox::macho
