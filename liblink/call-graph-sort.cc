#include "liblink/call-graph-sort.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <unordered_map>

#include "libformat/diagnostics.h"

namespace linkbox::link {
namespace {

constexpr uint32_t kShtLlvmCallGraphProfile = 0x6fff4c09;

// lld's C3 limits: a caller's cluster takes a callee's only if the call is
// at least a tenth of everything that calls it, if the result stays within
// 1 MiB, and if the merged density is no worse than an eighth of the
// caller cluster's.
constexpr uint64_t kMaxClusterSize = 1024 * 1024;
constexpr double kMaxDensityDegradation = 8;

// A cluster is a ring of sections (next/prev are section indices) led by the
// section whose index it has; a merged-away cluster has size 0.
struct Cluster {
  int next, prev;
  uint64_t size;
  uint64_t weight = 0;          // calls into the cluster
  uint64_t initial_weight = 0;  // calls into its first section, before any merge
  int best_pred = -1;           // the section calling it most
  uint64_t best_pred_weight = 0;
  double density() const { return size ? double(weight) / double(size) : 0; }
};

// The profile's edges, (caller section, callee section) -> summed weight, in
// first-seen order (the order decides ties, as lld's MapVector does).
template <typename E>
struct Profile {
  std::map<std::pair<InputSection<E>*, InputSection<E>*>, size_t> index;
  std::vector<std::pair<std::pair<InputSection<E>*, InputSection<E>*>, uint64_t>> edges;
  void add(InputSection<E>* from, InputSection<E>* to, uint64_t w) {
    auto [it, fresh] = index.try_emplace({from, to}, edges.size());
    if (fresh) edges.push_back({{from, to}, 0});
    edges[it->second].second += w;
  }
};

// Since LLVM 13 the section holds only 8-byte weights; entry i's caller and
// callee are the symbols of relocations 2i and 2i+1 of its relocation
// section (R_X86_64_NONE, SHT_REL from the assembler, maybe SHT_RELA).
template <typename E>
void read_profile(Context<E>& ctx, ObjectFile<E>& file, Profile<E>& profile) {
  const elf::ElfFile& f = *file.elf;
  const elf::Section* cg = nullptr;
  for (const elf::Section& s : f.sections())
    if (s.hdr.type == kShtLlvmCallGraphProfile) cg = &s;
  if (!cg) return;
  std::vector<uint32_t> rel_syms;
  for (const elf::Section& s : f.sections()) {
    if ((s.hdr.type != SHT_REL && s.hdr.type != SHT_RELA) || s.hdr.info != cg->index) continue;
    auto d = f.section_data(s);
    if (!d) return ctx.error(file.name, d.error().message);
    size_t step = s.hdr.type == SHT_RELA ? 24 : 16;
    for (size_t at = 0; at + step <= d->size(); at += step)
      rel_syms.push_back(static_cast<uint32_t>(f.codec().get<uint64_t>(d->data() + at + 8) >> 32));
  }
  if (rel_syms.empty()) return;  // the pre-LLVM 13 layout, which lld 14 ignores too
  auto weights = f.section_data(*cg);
  if (!weights) return ctx.error(file.name, weights.error().message);
  size_t n = weights->size() / 8;
  if (rel_syms.size() != n * 2)
    return ctx.error(file.name, "number of relocations doesn't match Weights");
  auto section_of = [&](uint32_t idx) -> InputSection<E>* {
    if (idx >= file.symbols.size() || !file.symbols[idx]) return nullptr;
    Symbol<E>* sym = file.symbols[idx];
    return sym->state == SymbolState::defined ? sym->isec : nullptr;
  };
  for (size_t i = 0; i < n; ++i) {
    InputSection<E>* from = section_of(rel_syms[2 * i]);
    InputSection<E>* to = section_of(rel_syms[2 * i + 1]);
    if (from && to) profile.add(from, to, f.codec().get<uint64_t>(weights->data() + 8 * i));
  }
}

int leader_of(std::vector<int>& leaders, int v) {
  while (leaders[v] != v) {
    leaders[v] = leaders[leaders[v]];  // path halving
    v = leaders[v];
  }
  return v;
}

// Call-Chain Clustering over the profile: the sections of the graph in their
// new order, densest cluster first (zero-size clusters are left out, as lld
// leaves them).
template <typename E>
std::vector<InputSection<E>*> c3_order(const Profile<E>& profile) {
  std::vector<Cluster> clusters;
  std::vector<InputSection<E>*> secs;
  std::unordered_map<InputSection<E>*, int> node;
  auto node_of = [&](InputSection<E>* isec) {
    auto [it, fresh] = node.try_emplace(isec, static_cast<int>(clusters.size()));
    if (fresh) {
      int id = it->second;
      secs.push_back(isec);
      clusters.push_back(Cluster{id, id, isec->size});
    }
    return it->second;
  };
  for (auto& [pair, w] : profile.edges) {
    // A cluster only means something when its sections can sit side by side.
    if (pair.first->osec != pair.second->osec) continue;
    int from = node_of(pair.first), to = node_of(pair.second);
    Cluster& c = clusters[to];
    c.weight += w;
    if (from == to) continue;
    if (c.best_pred == -1 || c.best_pred_weight < w) c.best_pred = from, c.best_pred_weight = w;
  }
  for (Cluster& c : clusters) c.initial_weight = c.weight;

  std::vector<int> by_density(clusters.size());
  std::iota(by_density.begin(), by_density.end(), 0);
  auto denser = [&](int a, int b) { return clusters[a].density() > clusters[b].density(); };
  std::stable_sort(by_density.begin(), by_density.end(), denser);
  std::vector<int> leaders(clusters.size());
  std::iota(leaders.begin(), leaders.end(), 0);
  for (int l : by_density) {
    Cluster& c = clusters[l];  // still unmerged: each cluster is visited once, as its own leader
    if (c.best_pred == -1 || c.best_pred_weight * 10 <= c.initial_weight) continue;
    int pl = leader_of(leaders, c.best_pred);
    if (pl == l) continue;
    Cluster& p = clusters[pl];
    if (c.size + p.size > kMaxClusterSize) continue;
    double merged = double(p.weight + c.weight) / double(p.size + c.size);
    if (merged < p.density() / kMaxDensityDegradation) continue;
    leaders[l] = pl;
    // Splice c's ring after p's tail.
    int p_tail = p.prev, c_tail = c.prev;
    p.prev = c_tail;
    clusters[c_tail].next = pl;
    c.prev = p_tail;
    clusters[p_tail].next = l;
    p.size += c.size;
    p.weight += c.weight;
    c.size = 0;
    c.weight = 0;
  }

  std::vector<int> kept;
  for (int i = 0; i < static_cast<int>(clusters.size()); ++i)
    if (clusters[i].size > 0) kept.push_back(i);
  std::stable_sort(kept.begin(), kept.end(), denser);
  std::vector<InputSection<E>*> order;
  for (int lead : kept)
    for (int i = lead;;) {
      order.push_back(secs[i]);
      i = clusters[i].next;
      if (i == lead) break;
    }
  return order;
}

// --print-symbol-order: the symbols each ordered section defines, in the
// file's symbol table order, as lld prints them.
template <typename E>
void print_symbol_order(Context<E>& ctx, const std::vector<InputSection<E>*>& order) {
  const std::string& path = *ctx.opts.print_symbol_order;
  std::ofstream out(path);
  if (!out) return ctx.error("", "cannot open " + path);
  for (InputSection<E>* isec : order)
    for (size_t i = 1; i < isec->file->symbols.size(); ++i) {
      const Symbol<E>* sym = isec->file->symbols[i];
      if (sym && sym->isec == isec && sym->type != STT_SECTION && sym->state == SymbolState::defined)
        out << sym->name << '\n';
    }
}

}  // namespace

template <typename E>
void sort_by_call_graph(Context<E>& ctx) {
  Profile<E> profile;
  for (auto& file : ctx.objs)
    if (file->alive && file->elf) read_profile(ctx, *file, profile);
  if (profile.edges.empty()) return;
  std::vector<InputSection<E>*> order = c3_order(profile);
  if (ctx.opts.print_symbol_order) print_symbol_order(ctx, order);
  std::unordered_map<const InputSection<E>*, size_t> priority;
  for (size_t i = 0; i < order.size(); ++i) priority.emplace(order[i], i);
  for (OutputSection<E>* osec : ctx.output_sections) {
    // lld never reorders these: their pieces make up one function. The
    // constructor arrays keep the order of their priorities.
    if (osec->name == ".init" || osec->name == ".fini" || osec->name == ".init_array" ||
        osec->name == ".fini_array" || osec->name == ".preinit_array")
      continue;
    std::stable_sort(osec->members.begin(), osec->members.end(),
                     [&](const InputSection<E>* a, const InputSection<E>* b) {
                       auto pa = priority.find(a), pb = priority.find(b);
                       size_t x = pa == priority.end() ? SIZE_MAX : pa->second;
                       size_t y = pb == priority.end() ? SIZE_MAX : pb->second;
                       return x < y;
                     });
  }
}

template void sort_by_call_graph(Context<X86_64>&);

}  // namespace linkbox::link
