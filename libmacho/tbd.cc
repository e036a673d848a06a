#include "libmacho/tbd.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace linkbox::macho {
namespace {

// Deeper nesting than any stub has is refused, so that a hostile file cannot
// exhaust the stack.
constexpr int kMaxDepth = 64;

// A YAML (or JSON) value: what the subset below produces.
struct Node {
  enum class Kind { scalar, sequence, map };
  Kind kind = Kind::scalar;
  std::string scalar;
  std::vector<Node> items;        // sequence items, or map values
  std::vector<std::string> keys;  // map keys, one per item

  const Node* get(std::string_view key) const {
    if (kind != Kind::map) return nullptr;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &items[i];
    return nullptr;
  }
  void add(std::string key, Node value) {
    keys.push_back(std::move(key));
    items.push_back(std::move(value));
  }
};

// A scalar or a sequence of scalars as strings; a missing key is empty.
std::vector<std::string> strings_of(const Node* n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n->kind == Node::Kind::scalar) {
    if (!n->scalar.empty()) out.push_back(n->scalar);
  } else if (n->kind == Node::Kind::sequence) {
    for (const auto& item : n->items)
      if (item.kind == Node::Kind::scalar) out.push_back(item.scalar);
  }
  return out;
}

std::string scalar_of(const Node* n) { return n && n->kind == Node::Kind::scalar ? n->scalar : std::string(); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads a quoted scalar starting at s[p] (a ' or "); leaves p after the
// closing quote. Returns false with `why` set when it is malformed.
bool read_quoted(std::string_view s, size_t& p, std::string& out, std::string& why) {
  char q = s[p++];
  while (p < s.size()) {
    char c = s[p++];
    if (q == '\'') {
      if (c != '\'') {
        out += c;
      } else if (p < s.size() && s[p] == '\'') {
        out += '\'';
        ++p;
      } else {
        return true;
      }
      continue;
    }
    if (c == '"') return true;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (p >= s.size()) break;
    char e = s[p++];
    switch (e) {
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case '0': out += '\0'; break;
      case ' ': out += ' '; break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (p + digits > s.size()) {
          why = "truncated escape in a quoted string";
          return false;
        }
        uint32_t v = 0;
        for (size_t k = 0; k < digits; ++k) {
          int h = hex_value(s[p + k]);
          if (h < 0) {
            why = "bad hexadecimal escape in a quoted string";
            return false;
          }
          v = v * 16 + static_cast<uint32_t>(h);
        }
        p += digits;
        if (v > 0x10ffff) {
          why = "escape beyond Unicode in a quoted string";
          return false;
        }
        append_utf8(out, v);
        break;
      }
      default:
        why = std::string("unknown escape \\") + e + " in a quoted string";
        return false;
    }
  }
  why = "unterminated quoted string";
  return false;
}

// Flow collections: [ a, b ] and { k: v }, which also covers JSON.
class FlowParser {
 public:
  explicit FlowParser(std::string_view s) : s_(s) {}

  bool parse(Node& out, std::string& why) {
    if (!value(out, 0, why)) return false;
    skip_space();
    if (p_ != s_.size()) {
      why = "unexpected text after a value: '" + std::string(s_.substr(p_, 20)) + "'";
      return false;
    }
    return true;
  }

 private:
  void skip_space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_;
  }

  bool value(Node& out, int depth, std::string& why) {
    if (depth > kMaxDepth) {
      why = "nesting too deep";
      return false;
    }
    skip_space();
    if (p_ >= s_.size()) {
      why = "missing value";
      return false;
    }
    char c = s_[p_];
    if (c == '[') return sequence(out, depth, why);
    if (c == '{') return map(out, depth, why);
    out.kind = Node::Kind::scalar;
    if (c == '\'' || c == '"') return read_quoted(s_, p_, out.scalar, why);
    size_t start = p_;
    while (p_ < s_.size() && s_[p_] != ',' && s_[p_] != ']' && s_[p_] != '}') ++p_;
    out.scalar = std::string(trim(s_.substr(start, p_ - start)));
    return true;
  }

  bool sequence(Node& out, int depth, std::string& why) {
    out.kind = Node::Kind::sequence;
    return flow_collection(']', "sequence", why, [&] {
      Node item;
      if (!value(item, depth + 1, why)) return false;
      out.items.push_back(std::move(item));
      return true;
    });
  }

  bool map(Node& out, int depth, std::string& why) {
    out.kind = Node::Kind::map;
    return flow_collection('}', "map", why, [&] {
      std::string key;
      if (s_[p_] == '\'' || s_[p_] == '"') {
        if (!read_quoted(s_, p_, key, why)) return false;
        skip_space();
      } else {
        size_t start = p_;
        while (p_ < s_.size() && s_[p_] != ':' && s_[p_] != ',' && s_[p_] != '}') ++p_;
        key = std::string(trim(s_.substr(start, p_ - start)));
      }
      if (p_ >= s_.size() || s_[p_] != ':') {
        why = "expected ':' after a key in a flow map";
        return false;
      }
      ++p_;
      Node v;
      if (!value(v, depth + 1, why)) return false;
      out.add(std::move(key), std::move(v));
      return true;
    });
  }

  // [a, b] and {k: v}: items, each parsed by parse_item, separated by
  // commas, up to the closing bracket.
  template <typename ParseItem>
  bool flow_collection(char close, const char* what, std::string& why, ParseItem parse_item) {
    ++p_;  // the opening bracket
    for (;;) {
      skip_space();
      if (p_ >= s_.size()) break;
      if (s_[p_] == close) {
        ++p_;
        return true;
      }
      if (!parse_item()) return false;
      skip_space();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (p_ < s_.size() && s_[p_] != close) {
        why = std::string("expected ',' or '") + close + "' in a flow " + what + ", found '" + s_[p_] + "'";
        return false;
      }
    }
    why = std::string("unterminated flow ") + what;
    return false;
  }

  std::string_view s_;
  size_t p_ = 0;
};

struct Line {
  size_t indent = 0;
  std::string text;  // without the indentation, the comment and trailing blanks
  size_t number = 0;  // 1-based
};

// A quote opens a quoted scalar only where a scalar can start, so that the
// apostrophe of a plain scalar ("don't") does not.
bool quote_opens(std::string_view s, size_t i) {
  if (i == 0) return true;
  char b = s[i - 1];
  return b == ' ' || b == '\t' || b == '[' || b == '{' || b == ',' || b == ':' || b == '-';
}

// The line without its comment: '#' at the start or after a blank, outside
// quotes.
std::string_view strip_comment(std::string_view s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if ((c == '\'' || c == '"') && quote_opens(s, i)) quote = c;
    else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
  }
  return s;
}

bool is_dash(std::string_view text) { return text == "-" || (text.size() >= 2 && text[0] == '-' && text[1] == ' '); }

// The ':' that ends a block map key (followed by a blank or the end of the
// line, outside quotes and brackets), or npos.
size_t find_key_colon(std::string_view s) {
  char quote = 0;
  int brackets = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if ((c == '\'' || c == '"') && quote_opens(s, i)) quote = c;
    else if (c == '[' || c == '{') ++brackets;
    else if (c == ']' || c == '}') --brackets;
    else if (c == ':' && brackets == 0 && (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

// Where a flow collection stands after some of its text: inside a quote,
// and how many brackets are open. Fed line by line, so that a long
// collection is scanned once.
struct FlowState {
  char quote = 0;
  bool escape = false;
  long depth = 0;
  char previous = ' ';

  void scan(std::string_view s) {
    for (char c : s) {
      char before = previous;
      previous = c;
      if (quote) {
        if (escape) escape = false;
        else if (quote == '"' && c == '\\') escape = true;
        else if (c == quote) quote = 0;
        continue;
      }
      // As in quote_opens: an apostrophe inside a plain scalar is no quote.
      bool can_open = before == ' ' || before == '\t' || before == '\n' || before == '[' || before == '{' ||
                      before == ',' || before == ':';
      if ((c == '\'' || c == '"') && can_open) quote = c;
      else if (c == '[' || c == '{') ++depth;
      else if (c == ']' || c == '}') --depth;
    }
  }
  bool complete() const { return depth <= 0 && !quote; }
};

// Block structure: indentation-nested maps ("key: value") and sequences
// ("- item") whose leaves are scalars or flow collections.
class BlockParser {
 public:
  BlockParser(std::vector<Line>& lines, size_t begin, size_t end) : lines_(lines), i_(begin), end_(end) {}

  bool parse_document(Node& out) {
    if (i_ >= end_) {
      out.kind = Node::Kind::map;  // an empty document
      return true;
    }
    if (!block(out, 0)) return false;
    if (i_ < end_) return fail(lines_[i_].number, "unexpected indentation");
    return true;
  }

  size_t error_line = 0;
  std::string why;

 private:
  bool fail(size_t line, std::string message) {
    error_line = line;
    why = std::move(message);
    return false;
  }

  bool block(Node& out, int depth) {
    if (depth > kMaxDepth) return fail(lines_[i_].number, "nesting too deep");
    const Line& l = lines_[i_];
    if (is_dash(l.text)) return sequence(out, l.indent, depth);
    if (find_key_colon(l.text) != std::string_view::npos) return map(out, l.indent, depth);
    std::string text = l.text;
    size_t indent = l.indent, number = l.number;
    ++i_;
    return inline_value(text, indent, number, out, depth);
  }

  // A value on the line of its key or dash: a flow collection (which may
  // go on over the next lines), a quoted scalar, or a plain scalar (whose
  // more-indented continuation lines are folded into it).
  bool inline_value(std::string text, size_t indent, size_t number, Node& out, int depth) {
    if (text[0] == '[' || text[0] == '{') {
      FlowState state;
      state.scan(text);
      while (!state.complete() && i_ < end_) {
        const std::string& more = lines_[i_++].text;
        state.scan("\n");
        state.scan(more);
        text += "\n" + more;
      }
      FlowParser flow(text);
      std::string why_flow;
      if (!flow.parse(out, why_flow)) return fail(number, why_flow);
      (void)depth;
      return true;
    }
    out.kind = Node::Kind::scalar;
    if (text[0] == '\'' || text[0] == '"') {
      size_t p = 0;
      std::string why_quoted;
      if (!read_quoted(text, p, out.scalar, why_quoted)) return fail(number, why_quoted);
      if (!trim(std::string_view(text).substr(p)).empty()) return fail(number, "unexpected text after a quoted string");
      return true;
    }
    out.scalar = text;
    while (i_ < end_ && lines_[i_].indent > indent && !is_dash(lines_[i_].text) &&
           find_key_colon(lines_[i_].text) == std::string_view::npos)
      out.scalar += " " + lines_[i_++].text;
    return true;
  }

  bool sequence(Node& out, size_t indent, int depth) {
    out.kind = Node::Kind::sequence;
    while (i_ < end_ && lines_[i_].indent == indent && is_dash(lines_[i_].text)) {
      Line& l = lines_[i_];
      size_t k = 1;
      while (k < l.text.size() && (l.text[k] == ' ' || l.text[k] == '\t')) ++k;
      Node item;
      if (k >= l.text.size()) {
        ++i_;
        if (i_ < end_ && lines_[i_].indent > indent && !block(item, depth + 1)) return false;
      } else {
        // "- key: value" opens a map whose keys line up with "key".
        l.indent = indent + k;
        l.text.erase(0, k);
        if (!block(item, depth + 1)) return false;
      }
      out.items.push_back(std::move(item));
    }
    return true;
  }

  bool map(Node& out, size_t indent, int depth) {
    out.kind = Node::Kind::map;
    while (i_ < end_ && lines_[i_].indent == indent && !is_dash(lines_[i_].text)) {
      const Line& l = lines_[i_];
      size_t colon = find_key_colon(l.text);
      if (colon == std::string_view::npos) return fail(l.number, "expected 'key: value'");
      std::string_view key_text = trim(std::string_view(l.text).substr(0, colon));
      std::string key;
      if (!key_text.empty() && (key_text[0] == '\'' || key_text[0] == '"')) {
        size_t p = 0;
        std::string why_quoted;
        if (!read_quoted(key_text, p, key, why_quoted)) return fail(l.number, why_quoted);
      } else {
        key = std::string(key_text);
      }
      std::string value(trim(std::string_view(l.text).substr(colon + 1)));
      size_t number = l.number;
      ++i_;
      Node v;
      if (!value.empty()) {
        if (!inline_value(value, indent, number, v, depth + 1)) return false;
      } else if (i_ < end_ && (lines_[i_].indent > indent || (lines_[i_].indent == indent && is_dash(lines_[i_].text)))) {
        if (!block(v, depth + 1)) return false;
      }
      out.add(std::move(key), std::move(v));
    }
    return true;
  }

  std::vector<Line>& lines_;
  size_t i_;
  size_t end_;
};

struct Document {
  std::string tag;   // "!tapi-tbd-v3", "" for none
  size_t line = 0;   // of the "---" marker (or of the first line)
  Node root;
};

Expected<std::vector<Document>> parse_yaml(std::string_view text, const std::string& path) {
  std::vector<Line> lines;
  struct Range {
    std::string tag;
    size_t line;
    size_t begin, end;
  };
  std::vector<Range> ranges;
  bool open = false;
  size_t number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++number;
    std::string_view s = strip_comment(raw);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    if (s.substr(0, 3) == "---" && (s.size() == 3 || s[3] == ' ' || s[3] == '\t')) {
      if (open) ranges.back().end = lines.size();
      std::string tag(trim(s.substr(3)));
      ranges.push_back({tag, number, lines.size(), lines.size()});
      open = true;
      continue;
    }
    if (s == "...") {
      if (open) ranges.back().end = lines.size();
      open = false;
      continue;
    }
    size_t indent = 0;
    while (indent < s.size() && (s[indent] == ' ' || s[indent] == '\t')) ++indent;
    if (indent == s.size()) continue;  // blank
    if (!open) {
      // Content before any "---" (or after "...") starts a document of its own.
      ranges.push_back({"", number, lines.size(), lines.size()});
      open = true;
    }
    lines.push_back({indent, std::string(s.substr(indent)), number});
  }
  if (open) ranges.back().end = lines.size();

  std::vector<Document> docs;
  for (const auto& r : ranges) {
    Document d;
    d.tag = r.tag;
    d.line = r.line;
    // A tag may share its line with a flow value ("--- !tag {...}"): not in
    // stubs, so a tag is all that line may hold.
    if (!d.tag.empty() && d.tag[0] != '!') return make_error(path, "line " + std::to_string(r.line) + ": unexpected text after '---'");
    BlockParser parser(lines, r.begin, r.end);
    if (!parser.parse_document(d.root))
      return make_error(path, "line " + std::to_string(parser.error_line) + ": " + parser.why);
    docs.push_back(std::move(d));
  }
  return docs;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// "arm64-macos" -> arch "arm64", platform "macos";
// "x86_64-maccatalyst" -> "x86_64", "maccatalyst".
std::pair<std::string, std::string> split_target(const std::string& target) {
  size_t dash = target.find('-');
  if (dash == std::string::npos) return {target, ""};
  return {target.substr(0, dash), target.substr(dash + 1)};
}

std::vector<std::string> archs_of_targets(const std::vector<std::string>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) add_unique(out, split_target(t).first);
  return out;
}

Expected<TbdLibrary> interpret_yaml(const Document& doc, const std::string& path) {
  std::string where = "line " + std::to_string(doc.line) + ": ";
  if (doc.root.kind != Node::Kind::map) return make_error(path, where + "a stub's document must be a map");
  TbdLibrary lib;
  lib.line = doc.line;
  if (doc.tag.empty()) {
    lib.tbd_version = 1;
  } else if (doc.tag == "!tapi-tbd-v2") {
    lib.tbd_version = 2;
  } else if (doc.tag == "!tapi-tbd-v3") {
    lib.tbd_version = 3;
  } else if (doc.tag == "!tapi-tbd") {
    std::string v = scalar_of(doc.root.get("tbd-version"));
    if (v != "4") return make_error(path, where + "unsupported tbd-version '" + v + "' (linkbox reads versions 1 to 5)");
    lib.tbd_version = 4;
  } else {
    return make_error(path, where + "unknown document tag '" + doc.tag + "' (not a text-based stub)");
  }
  lib.install_name = scalar_of(doc.root.get("install-name"));
  if (lib.install_name.empty()) return make_error(path, where + "no install-name");
  lib.current_version = scalar_of(doc.root.get("current-version"));
  lib.compatibility_version = scalar_of(doc.root.get("compatibility-version"));

  if (lib.tbd_version <= 3) {
    lib.archs = strings_of(doc.root.get("archs"));
    lib.platforms = strings_of(doc.root.get("platform"));
    if (const Node* exports = doc.root.get("exports"); exports && exports->kind == Node::Kind::sequence) {
      for (const auto& section : exports->items) {
        std::vector<std::string> archs = strings_of(section.get("archs"));
        for (auto& name : strings_of(section.get("re-exports"))) lib.reexports.push_back({std::move(name), archs});
      }
    }
  } else {
    std::vector<std::string> targets = strings_of(doc.root.get("targets"));
    lib.archs = archs_of_targets(targets);
    for (const auto& t : targets) add_unique(lib.platforms, split_target(t).second);
    if (const Node* re = doc.root.get("reexported-libraries"); re && re->kind == Node::Kind::sequence) {
      for (const auto& section : re->items) {
        std::vector<std::string> archs = archs_of_targets(strings_of(section.get("targets")));
        for (auto& name : strings_of(section.get("libraries"))) lib.reexports.push_back({std::move(name), archs});
      }
    }
  }
  return lib;
}

// Version 5: {"tapi_tbd_version": 5, "main_library": {...}, "libraries": [...]}.
Expected<TbdLibrary> interpret_json_library(const Node& n, const std::string& path) {
  if (n.kind != Node::Kind::map) return make_error(path, "a library in a version 5 stub must be an object");
  TbdLibrary lib;
  lib.tbd_version = 5;
  auto first_field = [&](const char* list, const char* field) {
    const Node* l = n.get(list);
    if (!l || l->kind != Node::Kind::sequence) return std::string();
    for (const auto& item : l->items)
      if (std::string s = scalar_of(item.get(field)); !s.empty()) return s;
    return std::string();
  };
  lib.install_name = first_field("install_names", "name");
  if (lib.install_name.empty()) return make_error(path, "a library has no install_names");
  lib.current_version = first_field("current_versions", "version");
  lib.compatibility_version = first_field("compatibility_versions", "version");
  std::vector<std::string> targets;
  if (const Node* info = n.get("target_info"); info && info->kind == Node::Kind::sequence)
    for (const auto& item : info->items) add_unique(targets, scalar_of(item.get("target")));
  lib.archs = archs_of_targets(targets);
  for (const auto& t : targets) add_unique(lib.platforms, split_target(t).second);
  if (const Node* re = n.get("reexported_libraries"); re && re->kind == Node::Kind::sequence) {
    for (const auto& section : re->items) {
      std::vector<std::string> archs = archs_of_targets(strings_of(section.get("targets")));
      for (auto& name : strings_of(section.get("names"))) lib.reexports.push_back({std::move(name), archs});
    }
  }
  return lib;
}

Expected<TbdFile> parse_json_tbd(std::string_view text, const std::string& path) {
  Node root;
  std::string why;
  FlowParser flow(text);
  if (!flow.parse(root, why)) return make_error(path, "malformed JSON stub: " + why);
  if (root.kind != Node::Kind::map) return make_error(path, "a version 5 stub must be a JSON object");
  std::string v = scalar_of(root.get("tapi_tbd_version"));
  if (v != "5") return make_error(path, "unsupported tapi_tbd_version '" + v + "' (linkbox reads versions 1 to 5)");
  const Node* main = root.get("main_library");
  if (!main) return make_error(path, "no main_library");
  TbdFile file;
  auto lib = interpret_json_library(*main, path);
  if (!lib) return lib.error();
  file.libraries.push_back(std::move(*lib));
  if (const Node* libs = root.get("libraries"); libs && libs->kind == Node::Kind::sequence) {
    for (const auto& l : libs->items) {
      auto inlined = interpret_json_library(l, path);
      if (!inlined) return inlined.error();
      file.libraries.push_back(std::move(*inlined));
    }
  }
  return file;
}

std::string_view skip_blank_start(std::string_view s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) s.remove_prefix(1);
  return s;
}

}  // namespace

bool TbdLibrary::has_arch(std::string_view arch) const {
  return std::find(archs.begin(), archs.end(), arch) != archs.end();
}

std::vector<std::string> TbdLibrary::reexports_for(std::string_view arch) const {
  std::vector<std::string> out;
  for (const auto& r : reexports)
    if (r.archs.empty() || std::find(r.archs.begin(), r.archs.end(), arch) != r.archs.end()) add_unique(out, r.name);
  return out;
}

bool looks_like_tbd(std::span<const uint8_t> bytes) {
  std::string_view s(reinterpret_cast<const char*>(bytes.data()), std::min<size_t>(bytes.size(), 4096));
  s = skip_blank_start(s);
  if (s.substr(0, 1) == "{") return s.find("\"tapi_tbd_version\"") != std::string_view::npos;
  if (s.substr(0, 3) != "---") return false;
  if (s.substr(0, 13) == "--- !tapi-tbd") return true;
  // Version 1 has no tag: "---" then "archs:" and "install-name:".
  return s.find("\narchs:") != std::string_view::npos && s.find("\ninstall-name:") != std::string_view::npos;
}

Expected<TbdFile> parse_tbd(std::string_view text, const std::string& path) {
  if (skip_blank_start(text).substr(0, 1) == "{") return parse_json_tbd(text, path);
  auto docs = parse_yaml(text, path);
  if (!docs) return docs.error();
  if (docs->empty()) return make_error(path, "empty text-based stub");
  TbdFile file;
  for (const auto& d : *docs) {
    // An empty document (a stray "---" at the end) holds nothing.
    if (d.root.kind == Node::Kind::map && d.root.keys.empty()) continue;
    auto lib = interpret_yaml(d, path);
    if (!lib) return lib.error();
    file.libraries.push_back(std::move(*lib));
  }
  if (file.libraries.empty()) return make_error(path, "empty text-based stub");
  return file;
}

}  // namespace linkbox::macho
