// linkbox ldd FILE on Mach-O: what dyld would load, found by linkbox's model
// of dyld's search (libmacho/dyld-search) instead of by running anything.
// The output follows the ELF listing's conventions (see linkbox-ldd(1)).
#include "tools/ldd-macho.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "libformat/diagnostics.h"
#include "libformat/json.h"
#include "libmacho/dyld-search.h"
#include "libmacho/macho-file.h"
#include "libmacho/macho-types.h"

namespace linkbox::tools {
namespace {

using macho::DyldImage;
using macho::DyldReport;

std::optional<std::string> from_env(const std::optional<std::string>& option, const char* var) {
  if (option) return option;
  if (const char* v = std::getenv(var)) return std::string(v);
  return std::nullopt;
}

std::string current_directory() {
  char* cwd = getcwd(nullptr, 0);
  std::string out = cwd ? cwd : ".";
  free(cwd);
  return out;
}

std::string lexically_normal(const std::string& absolute) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < absolute.size()) {
    size_t j = absolute.find('/', i);
    if (j == std::string::npos) j = absolute.size();
    std::string c = absolute.substr(i, j - i);
    if (c == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!c.empty() && c != ".") {
      parts.push_back(c);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& c : parts) out += "/" + c;
  return out.empty() ? "/" : out;
}

// The path dyld knows the file by: inside the root, its path there; else
// the path given ("./FILE" for a bare name, so that @executable_path has a
// directory).
std::string loader_path_of(const std::string& file, const std::string& root) {
  std::string given = file.find('/') == std::string::npos ? "./" + file : file;
  if (root.empty()) return given;
  std::string absolute = lexically_normal(given[0] == '/' ? given : current_directory() + "/" + given);
  if (absolute.compare(0, root.size() + 1, root + "/") != 0) {
    // The file may be inside the root through a symbolic link.
    size_t slash = absolute.rfind('/');
    if (char* dir = realpath((absolute.substr(0, slash) + "/.").c_str(), nullptr)) {
      absolute = std::string(dir) + absolute.substr(slash);
      free(dir);
    }
  }
  if (absolute.compare(0, root.size() + 1, root + "/") == 0) return absolute.substr(root.size());
  return given;
}

std::string canonical_root(const std::string& root) {
  if (root.empty()) return root;
  char* real = realpath(root.c_str(), nullptr);
  std::string out = real ? real : root;
  free(real);
  if (out == "/") out.clear();
  return out;
}

std::string found_label(const DyldImage& img) {
  std::string label = macho::dyld_source_label(img.found_by, img.rpath, img.rpath_owner);
  if (img.form == DyldImage::Form::text_stub) label += ", text stub";
  if (img.form == DyldImage::Form::inlined) label += ", inlined stub";
  return label;
}

std::string use_suffix(macho::DylibUse use) {
  if (use == macho::DylibUse::normal) return "";
  return " (" + std::string(macho::dylib_use_name(use)) + ")";
}

void print_list(const DyldReport& r) {
  for (const auto& e : r.listing) {
    const macho::DyldDependency& dep = r.dependency(e);
    if (e.image < 0) {
      std::printf("\t%s => not found%s\n", dep.name.c_str(), dep.use == macho::DylibUse::weak ? " (weak)" : "");
      continue;
    }
    const DyldImage& img = r.images[e.image];
    std::string inlined = img.form == DyldImage::Form::inlined ? " (inlined)" : "";
    if (dep.name == img.path)
      std::printf("\t%s%s\n", dep.name.c_str(), inlined.c_str());
    else
      std::printf("\t%s => %s%s\n", dep.name.c_str(), img.path.c_str(), inlined.c_str());
  }
}

void print_tree_node(const DyldReport& r, const macho::DyldDependency& dep, int depth, std::vector<bool>& expanded) {
  std::string indent(4 * depth, ' ');
  std::string name = dep.name + use_suffix(dep.use);
  if (dep.missing()) {
    std::printf("%s%s => not found\n", indent.c_str(), name.c_str());
    for (const auto& t : dep.tried)
      std::printf("%s    tried %s [%s]: %s\n", indent.c_str(), t.path.c_str(),
                  macho::dyld_source_label(t.source, t.rpath, t.rpath_owner).c_str(), t.result.c_str());
    return;
  }
  const DyldImage& img = r.images[dep.image];
  if (dep.name == img.path)
    std::printf("%s%s [%s]\n", indent.c_str(), name.c_str(), found_label(img).c_str());
  else
    std::printf("%s%s => %s [%s]\n", indent.c_str(), name.c_str(), img.path.c_str(), found_label(img).c_str());
  if (expanded[dep.image]) return;
  expanded[dep.image] = true;
  for (const auto& d : img.dependencies) print_tree_node(r, d, depth + 1, expanded);
}

void print_tree(const std::string& file, const DyldReport& r) {
  std::printf("%s [%s]\n", file.c_str(), r.arch.c_str());
  std::vector<bool> expanded(r.images.size(), false);
  expanded[0] = true;
  for (const auto& d : r.images[0].dependencies) print_tree_node(r, d, 1, expanded);
}

std::string filetype_key(uint32_t t) {
  switch (t) {
    case macho::MH_EXECUTE: return "execute";
    case macho::MH_DYLIB: return "dylib";
    case macho::MH_BUNDLE: return "bundle";
    default: return std::to_string(t);
  }
}

std::string form_key(DyldImage::Form f) {
  switch (f) {
    case DyldImage::Form::macho: return "mach-o";
    case DyldImage::Form::text_stub: return "text-stub";
    case DyldImage::Form::inlined: return "inlined-stub";
  }
  return "?";
}

std::string json_or_null(const std::string& s) { return s.empty() ? "null" : json_quote(s); }

std::string strings_json(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_quote(v[i]);
  return out + "]";
}

std::string report_json(const std::string& file, const DyldReport& r) {
  const DyldImage& main = r.images[0];
  std::string o = "  {\n    \"file\": " + json_quote(file) + ",\n";
  auto field = [&](const char* key, const std::string& value, bool last = false) {
    o += std::string("    \"") + key + "\": " + value + (last ? "\n" : ",\n");
  };
  field("status", json_quote("dynamic"));
  field("format", json_quote("mach-o"));
  field("arch", json_quote(r.arch));
  field("filetype", json_quote(filetype_key(main.filetype)));
  field("install_name", json_or_null(main.install_name));
  field("rpaths", strings_json(main.rpaths));
  std::vector<std::vector<std::string>> needed_by(r.images.size());
  for (size_t i = 0; i < r.images.size(); ++i)
    for (const auto& d : r.images[i].dependencies)
      if (std::string who = i == 0 ? file : r.images[i].path; d.image >= 0 && (needed_by[d.image].empty() || needed_by[d.image].back() != who))
        needed_by[d.image].push_back(who);
  std::string libs = "[";
  for (size_t k = 0; k < r.listing.size(); ++k) {
    const macho::DyldListEntry& e = r.listing[k];
    const macho::DyldDependency& dep = r.dependency(e);
    std::string requester = e.requester == 0 ? file : r.images[e.requester].path;
    libs += std::string(k ? "," : "") + "\n      {\"name\": " + json_quote(dep.name) +
            ", \"use\": " + json_quote(std::string(macho::dylib_use_name(dep.use)));
    if (e.image < 0) {
      std::string tried = "[";
      for (size_t t = 0; t < dep.tried.size(); ++t) {
        const auto& a = dep.tried[t];
        tried += std::string(t ? ", " : "") + "{\"path\": " + json_quote(a.path) + ", \"source\": " +
                 json_quote(macho::dyld_source_label(a.source, a.rpath, a.rpath_owner)) +
                 ", \"result\": " + json_quote(a.result) + "}";
      }
      libs += ", \"path\": null, \"host_path\": null, \"found_by\": null, \"form\": null, \"install_name\": null, "
              "\"arch\": null, \"needed_by\": [" + json_quote(requester) + "], \"tried\": " + tried + "]}";
      continue;
    }
    const DyldImage& img = r.images[e.image];
    libs += ", \"path\": " + json_quote(img.path) + ", \"host_path\": " + json_quote(img.host_path) +
            ", \"found_by\": " + json_quote(macho::dyld_source_label(img.found_by, img.rpath, img.rpath_owner)) +
            ", \"form\": " + json_quote(form_key(img.form)) + ", \"install_name\": " + json_or_null(img.install_name) +
            ", \"arch\": " + json_quote(img.arch) + ", \"needed_by\": " + strings_json(needed_by[e.image]) +
            ", \"tried\": []}";
  }
  libs += r.listing.empty() ? "]" : "\n    ]";
  field("libraries", libs);
  field("missing", r.missing_required() ? "true" : "false", true);
  return o + "  }";
}

}  // namespace

void add_macho_ldd_options(CLI::App& app, MachOLddOptions& o) {
  app.add_option("--arch", o.arch,
                 "Mach-O: list for a process of this architecture (arm64, x86_64, ...): the slice it would run, "
                 "and the slice of each dylib it would load; default: every slice of FILE");
  app.add_option("--dyld-library-path", o.library_path, "Mach-O: DYLD_LIBRARY_PATH (overrides it)");
  app.add_option("--dyld-framework-path", o.framework_path, "Mach-O: DYLD_FRAMEWORK_PATH (overrides it)");
  app.add_option("--dyld-fallback-library-path", o.fallback_library_path,
                 "Mach-O: DYLD_FALLBACK_LIBRARY_PATH (overrides it)");
  app.add_option("--dyld-fallback-framework-path", o.fallback_framework_path,
                 "Mach-O: DYLD_FALLBACK_FRAMEWORK_PATH (overrides it)");
}

bool is_macho_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  uint8_t head[8] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  return macho::looks_like_macho(std::span<const uint8_t>(head, static_cast<size_t>(in.gcount())));
}

int ldd_macho(const std::string& file, const std::string& root_option, const MachOLddOptions& options, bool tree,
              bool json, bool several, bool glibc_personality, std::vector<std::string>& json_objects) {
  macho::DyldEnvironment env;
  env.library_path = from_env(options.library_path, "DYLD_LIBRARY_PATH");
  env.framework_path = from_env(options.framework_path, "DYLD_FRAMEWORK_PATH");
  env.fallback_library_path = from_env(options.fallback_library_path, "DYLD_FALLBACK_LIBRARY_PATH");
  env.fallback_framework_path = from_env(options.fallback_framework_path, "DYLD_FALLBACK_FRAMEWORK_PATH");
  std::string root = canonical_root(root_option);
  macho::HostFileSystem files(root);
  macho::DyldSearch search(files, env);
  std::string loader_path = loader_path_of(file, root);
  // The file given is read where it is, whatever dyld calls it.
  files.place(loader_path, file);
  auto reports = search.resolve(loader_path, options.arch);
  if (!reports) {
    Error e = reports.error();
    // Errors about the main file name the file as given.
    if (e.file.compare(0, loader_path.size(), loader_path) == 0) e.file = file + e.file.substr(loader_path.size());
    Diagnostics::error(e);
    if (json) json_objects.push_back("  {\"file\": " + json_quote(file) + ", \"error\": " + json_quote(e.message) + "}");
    return 1;
  }
  int status = 0;
  for (const DyldReport& r : *reports) {
    if (json) {
      json_objects.push_back(report_json(file, r));
    } else if (tree) {
      print_tree(file, r);
    } else {
      if (reports->size() > 1)
        std::printf("%s (architecture %s):\n", file.c_str(), r.arch.c_str());
      else if (several)
        std::printf("%s:\n", file.c_str());
      print_list(r);
    }
    if (!glibc_personality && r.missing_required()) status = 1;
  }
  return status;
}

}  // namespace linkbox::tools
