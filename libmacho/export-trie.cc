#include "libmacho/export-trie.h"

#include <cstdio>
#include <unordered_set>

#include "libformat/hex.h"
#include "libmacho/dyld-info.h"

namespace linkbox::macho {
namespace {

struct Node {
  size_t offset = 0;          // of the node in the trie
  bool terminal = false;
  ExportEntry entry;          // when terminal (name filled in when emitted)
  unsigned children = 0;      // how many edges
  unsigned next_child = 0;    // edges taken so far
  size_t edge_pos = 0;        // where the next edge starts
  size_t name_length = 0;     // of the cumulative name at this node
};

class TrieDecoder {
 public:
  TrieDecoder(std::span<const uint8_t> trie, const std::string& path) : trie_(trie), path_(path) {}

  Expected<std::vector<ExportEntry>> run() {
    std::vector<ExportEntry> out;
    if (trie_.empty()) return out;
    std::vector<Node> stack;
    auto root = read_node(0, 0);
    if (!root) return root.error();
    stack.push_back(std::move(*root));
    while (!stack.empty()) {
      Node& top = stack.back();
      if (top.next_child < top.children) {
        // Follow the next edge: its label extends the name.
        size_t pos = top.edge_pos;
        name_.resize(top.name_length);
        while (pos < trie_.size() && trie_[pos] != 0) {
          if (name_.size() >= kMaxExportNameLength)
            return error(top.offset, "a symbol name is longer than " + std::to_string(kMaxExportNameLength) + " bytes");
          name_.push_back(static_cast<char>(trie_[pos++]));
        }
        if (pos >= trie_.size()) return error(top.offset, "an edge label runs past the end of the trie");
        ++pos;
        auto child = read_uleb128(trie_, pos);
        if (!child) return error(top.offset, "bad ULEB128 child offset");
        top.edge_pos = pos;
        ++top.next_child;
        if (stack.size() >= kMaxExportTrieDepth)
          return error(top.offset, "the trie is deeper than " + std::to_string(kMaxExportTrieDepth) + " levels");
        auto node = read_node(*child, name_.size());
        if (!node) return node.error();
        stack.push_back(std::move(*node));
        continue;
      }
      // All children done: the node itself, if it is a symbol, comes last,
      // as llvm-objdump orders them.
      if (top.terminal) {
        // Shared prefixes let a small trie spell long names many times; a
        // real one stays far below this, a hostile one would exhaust memory.
        names_total_ += top.name_length;
        if (names_total_ > 256 * uint64_t(trie_.size()) + (1u << 20))
          return error(top.offset, "the names add up to more than 256 bytes per byte of trie");
        top.entry.name.assign(name_, 0, top.name_length);
        out.push_back(std::move(top.entry));
      }
      stack.pop_back();
    }
    return out;
  }

 private:
  Error error(size_t node, const std::string& what) const {
    return make_error(path_, "export trie: " + what + " (node at offset " + hex(node) + ")");
  }

  Expected<Node> read_node(uint64_t offset, size_t name_length) {
    if (offset >= trie_.size())
      return error(offset, "a child offset is past the end of the trie (" + std::to_string(trie_.size()) + " bytes)");
    // A well-formed trie is a tree: reaching a node twice means a cycle or a
    // shared child, and either could make the walk endless or exponential.
    if (!visited_.insert(offset).second)
      return error(offset, "the node is reached twice (a cycle, or a child with two parents)");
    Node node;
    node.offset = offset;
    node.name_length = name_length;
    size_t pos = offset;
    auto info_size = read_uleb128(trie_, pos);
    if (!info_size) return error(offset, "bad ULEB128 terminal size");
    if (!in_bounds(pos, *info_size, trie_.size()))
      return error(offset, "the export info (" + std::to_string(*info_size) + " bytes) runs past the end of the trie");
    size_t children_at = pos + *info_size;
    if (*info_size != 0) {
      std::span<const uint8_t> info = trie_.first(children_at);
      ExportEntry& e = node.entry;
      e.node_offset = static_cast<uint32_t>(offset);
      auto flags = read_uleb128(info, pos);
      if (!flags) return error(offset, "bad ULEB128 flags");
      e.flags = *flags;
      if (e.flags & EXPORT_SYMBOL_FLAGS_REEXPORT) {
        auto ordinal = read_uleb128(info, pos);
        if (!ordinal) return error(offset, "bad ULEB128 re-export ordinal");
        e.other = *ordinal;
        size_t start = pos;
        while (pos < info.size() && info[pos] != 0) ++pos;
        if (pos >= info.size()) return error(offset, "the re-exported name runs past the export info");
        e.import_name.assign(reinterpret_cast<const char*>(info.data() + start), pos - start);
        ++pos;
      } else {
        auto address = read_uleb128(info, pos);
        if (!address) return error(offset, "bad ULEB128 address");
        e.address = *address;
        if (e.flags & EXPORT_SYMBOL_FLAGS_STUB_AND_RESOLVER) {
          auto resolver = read_uleb128(info, pos);
          if (!resolver) return error(offset, "bad ULEB128 resolver offset");
          e.other = *resolver;
        }
      }
      node.terminal = true;
    }
    if (children_at >= trie_.size()) return error(offset, "the child count is past the end of the trie");
    node.children = trie_[children_at];
    node.edge_pos = children_at + 1;
    return node;
  }

  std::span<const uint8_t> trie_;
  const std::string& path_;
  std::string name_;
  std::unordered_set<uint64_t> visited_;
  uint64_t names_total_ = 0;
};

}  // namespace

Expected<std::vector<ExportEntry>> decode_export_trie(std::span<const uint8_t> trie, const std::string& path) {
  return TrieDecoder(trie, path).run();
}

Expected<std::span<const uint8_t>> export_trie_bytes(const Slice& slice) {
  if (slice.dyld_info()) {
    const DyldInfo& info = *slice.dyld_info();
    if (info.export_size == 0) return std::span<const uint8_t>();
    return slice.data_at(info.export_off, info.export_size, "export trie");
  }
  if (auto cmd = slice.linkedit_data(LC_DYLD_EXPORTS_TRIE)) {
    if (cmd->datasize == 0) return std::span<const uint8_t>();
    return slice.linkedit_bytes(*cmd);
  }
  return std::span<const uint8_t>();
}

Expected<std::vector<ExportEntry>> export_entries(const Slice& slice) {
  auto bytes = export_trie_bytes(slice);
  if (!bytes) return bytes.error();
  auto entries = decode_export_trie(*bytes, slice.path());
  if (!entries) return entries;
  // A re-export names one of the image's dylibs; dyld refuses any other.
  for (const ExportEntry& e : *entries)
    if (e.reexport() && (e.other == 0 || e.other > slice.dependencies().size()))
      return make_error(slice.path(), "export trie: " + e.name + " is re-exported from dylib " + std::to_string(e.other) +
                                          ", but the image loads " + std::to_string(slice.dependencies().size()) +
                                          " (node at offset " + hex(e.node_offset) + ")");
  return entries;
}

}  // namespace linkbox::macho
