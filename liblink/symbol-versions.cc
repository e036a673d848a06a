#include "liblink/symbol-versions.h"

#include "libformat/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace linkbox::link {
namespace {

Expected<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path, "cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename E>
class Versioner {
 public:
  explicit Versioner(Context<E>& ctx) : ctx_(ctx) {}

  void run() {
    collect_definitions();
    if (!ctx_.version_nodes.empty()) apply_version_script();
    apply_symver_names();
    if (ctx_.has_dynamic_list || !ctx_.export_patterns.empty()) apply_dynamic_lists();
    if (!ctx_.opts.exclude_libs.empty()) apply_exclude_libs();
    for (Symbol<E>* s : defs_)
      if (s->out_version == 0) s->exported = false;
  }

 private:
  Context<E>& ctx_;
  std::vector<Symbol<E>*> defs_;
  std::vector<bool> assigned_;
  std::vector<std::string> demangled_;
  std::vector<bool> demangled_done_;

  void collect_definitions() {
    for (auto& [name, sym] : ctx_.symbol_map)
      if (sym->is_defined() && !sym->is_local && !sym->linker_defined) defs_.push_back(sym);
    // Deterministic order for messages.
    std::sort(defs_.begin(), defs_.end(), [](auto* a, auto* b) { return a->name < b->name; });
    assigned_.assign(defs_.size(), false);
    demangled_.assign(defs_.size(), {});
    demangled_done_.assign(defs_.size(), false);
  }

  const std::string& demangled(size_t i) {
    if (!demangled_done_[i]) demangled_[i] = demangle_or_empty(defs_[i]->name), demangled_done_[i] = true;
    return demangled_[i];
  }

  bool matches(const SymbolPattern& p, size_t i) {
    if (!p.cxx) return pattern_matches(p, defs_[i]->name);
    const std::string& d = demangled(i);
    return !d.empty() && pattern_matches(p, d);
  }

  // Versions are numbered from 2 in the order the script names them; the
  // anonymous version's globals are plain global (1).
  uint16_t index_of(size_t node) const {
    if (ctx_.version_nodes[node].name.empty()) return 1;
    uint16_t idx = 2;
    for (size_t k = 0; k < node; ++k) idx += !ctx_.version_nodes[k].name.empty();
    return idx;
  }

  void assign(size_t i, uint16_t version) {
    defs_[i]->out_version = version;
    assigned_[i] = true;
  }

  // ld.lld's order: exact names first (the first node naming a symbol
  // wins), then wildcards other than "*" with the last node winning, then
  // "*" the same way. Within a node, global patterns before local ones.
  void apply_version_script() {
    const auto& nodes = ctx_.version_nodes;
    for (const VersionNode& n : nodes)
      if (!n.name.empty()) ctx_.version_names.push_back(n.name);
    ctx_.has_version_definitions = !ctx_.version_names.empty();
    for (size_t n = 0; n < nodes.size(); ++n) {
      for (int local = 0; local < 2; ++local)
        for (const SymbolPattern& p : local ? nodes[n].locals : nodes[n].globals) {
          if (p.wildcard) continue;
          bool found = false;
          for (size_t i = 0; i < defs_.size(); ++i) {
            if (!matches(p, i)) continue;
            found = true;
            if (!assigned_[i]) assign(i, local ? 0 : index_of(n));
          }
          if (!found && !local && !ctx_.opts.undefined_version)
            ctx_.error("", "version script assignment of '" + (nodes[n].name.empty() ? std::string("global") : nodes[n].name) +
                               "' to symbol '" + p.text + "' failed: symbol not defined");
        }
    }
    for (int star = 0; star < 2; ++star)
      for (size_t n = nodes.size(); n-- > 0;)
        for (int local = 0; local < 2; ++local)
          for (const SymbolPattern& p : local ? nodes[n].locals : nodes[n].globals) {
            if (!p.wildcard || (p.text == "*") != (star == 1)) continue;
            for (size_t i = 0; i < defs_.size(); ++i)
              if (!assigned_[i] && matches(p, i)) assign(i, local ? 0 : index_of(n));
          }
  }

  // foo@@V2 is the default version V2 of foo; foo@V1 an older, hidden one.
  // The version must be one the script defines.
  void apply_symver_names() {
    bool versioned_output = ctx_.shared || !ctx_.version_nodes.empty();
    for (Symbol<E>* s : defs_) {
      std::string_view suffix = s->version_suffix;
      bool hidden = false;
      if (suffix.empty()) {
        auto at = s->name.find('@');
        if (at == std::string_view::npos) continue;
        suffix = s->name.substr(at);
      }
      if (suffix.substr(0, 2) == "@@") suffix.remove_prefix(2);
      else suffix.remove_prefix(1), hidden = true;
      if (!versioned_output) continue;  // an executable without a script: ld ignores it
      std::optional<uint16_t> idx;
      const VersionNode* node = nullptr;
      for (size_t k = 0; k < ctx_.version_names.size(); ++k)
        if (ctx_.version_names[k] == suffix) idx = static_cast<uint16_t>(k + 2);
      for (const VersionNode& n : ctx_.version_nodes)
        if (n.name == suffix) node = &n;
      if (!idx) {
        ctx_.error(s->file ? s->file->name : "", "symbol " + std::string(s->dynamic_name()) + "@" +
                                                     (hidden ? "" : "@") + std::string(suffix) +
                                                     " has undefined version " + std::string(suffix));
        continue;
      }
      // As in GNU ld (and lld agrees): the node's own patterns decide
      // whether foo@V stays; its global: keeps it, its local: hides it.
      std::string base(s->dynamic_name());
      auto node_matches = [&](const std::vector<SymbolPattern>& pats) {
        std::string d = demangle(base);
        for (const SymbolPattern& p : pats)
          if (p.cxx ? (!d.empty() && pattern_matches(p, d)) : pattern_matches(p, base)) return true;
        return false;
      };
      if (!node_matches(node->globals) && node_matches(node->locals)) {
        s->out_version = 0;
        continue;
      }
      s->out_version = *idx;
      s->out_version_hidden = hidden;
    }
  }

  // --exclude-libs: definitions from members of the named archives (or of
  // any archive, for ALL) are not exported, as if hidden (lld makes them
  // local).
  void apply_exclude_libs() {
    for (Symbol<E>* s : defs_) {
      auto* obj = dynamic_cast<ObjectFile<E>*>(s->file);
      if (!obj || obj->archive.empty()) continue;
      std::string_view base = obj->archive;
      if (auto slash = base.rfind('/'); slash != std::string_view::npos) base.remove_prefix(slash + 1);
      for (const std::string& lib : ctx_.opts.exclude_libs)
        if (lib == "ALL" || lib == base) s->out_version = 0;
    }
  }

  // In an executable the listed symbols are exported; in a shared object
  // (lld's rule) --dynamic-list makes only the listed ones preemptible.
  void apply_dynamic_lists() {
    for (size_t i = 0; i < defs_.size(); ++i) {
      bool hit = false;
      for (const SymbolPattern& p : ctx_.dynamic_list) hit = hit || matches(p, i);
      for (const SymbolPattern& p : ctx_.export_patterns) hit = hit || matches(p, i);
      if (!hit) continue;
      defs_[i]->in_dynamic_list = true;
      if (defs_[i]->visibility == STV_DEFAULT || defs_[i]->visibility == STV_PROTECTED) defs_[i]->exported = true;
    }
  }
};

}  // namespace

template <typename E>
Status read_version_scripts(Context<E>& ctx) {
  for (const std::string& path : ctx.opts.version_scripts) {
    auto text = read_text(path);
    if (!text) return text.error();
    auto nodes = parse_version_script(path, *text);
    if (!nodes) return nodes.error();
    for (VersionNode& n : *nodes) {
      for (const VersionNode& old : ctx.version_nodes)
        if (!n.name.empty() && old.name == n.name) return make_error(path, "version " + n.name + " defined twice");
      ctx.version_nodes.push_back(std::move(n));
    }
  }
  for (const std::string& path : ctx.opts.dynamic_lists) {
    auto text = read_text(path);
    if (!text) return text.error();
    auto list = parse_dynamic_list(path, *text);
    if (!list) return list.error();
    ctx.dynamic_list.insert(ctx.dynamic_list.end(), list->begin(), list->end());
    ctx.has_dynamic_list = true;
  }
  for (const std::string& path : ctx.opts.export_dynamic_symbol_lists) {
    auto text = read_text(path);
    if (!text) return text.error();
    auto list = parse_dynamic_list(path, *text);
    if (!list) return list.error();
    ctx.export_patterns.insert(ctx.export_patterns.end(), list->begin(), list->end());
  }
  for (const std::string& glob : ctx.opts.export_dynamic_symbols)
    ctx.export_patterns.push_back(SymbolPattern{glob, false, glob.find_first_of("*?[") != std::string::npos});
  return {};
}

template <typename E>
void assign_symbol_versions(Context<E>& ctx) {
  Versioner<E>(ctx).run();
}

template Status read_version_scripts(Context<X86_64>&);
template void assign_symbol_versions(Context<X86_64>&);

}  // namespace linkbox::link
