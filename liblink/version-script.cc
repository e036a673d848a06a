#include "liblink/version-script.h"

#include <fnmatch.h>

namespace linkbox::link {
namespace {

// Tokens of the version-script language: punctuation, quoted strings and
// bare words. Comments are /* */ and # to the end of the line.
struct Token {
  std::string text;
  bool quoted = false;
};

class Lexer {
 public:
  Lexer(const std::string& path, std::string_view text) : path_(path), s_(text) {}

  Expected<Token> next() {
    skip_space();
    if (at_ >= s_.size()) return Token{"", false};
    char c = s_[at_];
    if (c == '{' || c == '}' || c == ';' || c == ':') {
      ++at_;
      return Token{std::string(1, c), false};
    }
    if (c == '"') {
      size_t end = s_.find('"', at_ + 1);
      if (end == std::string_view::npos) return error("unterminated string");
      Token t{std::string(s_.substr(at_ + 1, end - at_ - 1)), true};
      at_ = end + 1;
      return t;
    }
    // A bare word ends at a space, a brace, ';', a quote, or a ':' that is
    // not part of a C++ "::".
    size_t b = at_;
    while (at_ < s_.size()) {
      char ch = s_[at_];
      if (is_space(ch) || ch == '{' || ch == '}' || ch == ';' || ch == '"') break;
      if (ch == ':') {
        if (s_.substr(at_, 2) != "::") break;
        at_ += 2;
        continue;
      }
      ++at_;
    }
    return Token{std::string(s_.substr(b, at_ - b)), false};
  }

  // The rest of a C++ pattern: everything up to ';' (it may hold spaces,
  // parentheses and commas), trimmed.
  std::string until_semicolon(std::string first) {
    size_t end = s_.find(';', at_);
    if (end == std::string_view::npos) end = s_.size();
    first += s_.substr(at_, end - at_);
    at_ = end;
    size_t e = first.find_last_not_of(" \t\r\n");
    return e == std::string::npos ? std::string() : first.substr(0, e + 1);
  }

  Error error(const std::string& what) const {
    size_t line = 1;
    for (size_t i = 0; i < at_ && i < s_.size(); ++i) line += s_[i] == '\n';
    return make_error(path_, "line " + std::to_string(line) + ": " + what);
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
  void skip_space() {
    for (;;) {
      while (at_ < s_.size() && is_space(s_[at_])) ++at_;
      if (s_.substr(at_, 2) == "/*") {
        size_t end = s_.find("*/", at_ + 2);
        at_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else if (at_ < s_.size() && s_[at_] == '#') {
        size_t end = s_.find('\n', at_);
        at_ = end == std::string_view::npos ? s_.size() : end + 1;
      } else {
        return;
      }
    }
  }
  std::string path_;
  std::string_view s_;
  size_t at_ = 0;
};

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

SymbolPattern make_pattern(const Token& t, bool cxx) {
  return SymbolPattern{t.text, cxx, !t.quoted && has_glob(t.text)};
}

// The inside of one { ... } block: patterns, global:/local: labels and
// extern "LANG" { ... }; sub-blocks. Consumes the closing brace.
Status parse_block(Lexer& lex, std::vector<SymbolPattern>* globals, std::vector<SymbolPattern>* locals,
                   bool labels_allowed) {
  std::vector<SymbolPattern>* into = globals;
  for (;;) {
    auto t = lex.next();
    if (!t) return t.error();
    if (t->text.empty() && !t->quoted) return lex.error("missing '}'");
    if (!t->quoted && t->text == "}") return {};
    if (!t->quoted && (t->text == "global" || t->text == "local")) {
      auto colon = lex.next();
      if (!colon) return colon.error();
      if (colon->text == ":") {
        if (!labels_allowed) return lex.error("'" + t->text + ":' is not allowed here");
        into = t->text == "global" ? globals : locals;
        continue;
      }
      // A symbol named "global" or "local".
      into->push_back(make_pattern(*t, false));
      if (colon->text != ";") return lex.error("expected ';' after '" + t->text + "'");
      continue;
    }
    if (!t->quoted && t->text == "extern") {
      auto lang = lex.next();
      if (!lang) return lang.error();
      if (!lang->quoted) return lex.error("expected a quoted language after 'extern'");
      bool cxx = lang->text == "C++";
      if (!cxx && lang->text != "C") return lex.error("unsupported language \"" + lang->text + "\"");
      auto open = lex.next();
      if (!open) return open.error();
      if (open->text != "{") return lex.error("expected '{' after extern \"" + lang->text + "\"");
      for (;;) {
        auto p = lex.next();
        if (!p) return p.error();
        if (p->text.empty() && !p->quoted) return lex.error("missing '}'");
        if (!p->quoted && p->text == "}") break;
        if (!p->quoted && p->text == ";") continue;
        Token pat = *p;
        if (!p->quoted && cxx) pat.text = lex.until_semicolon(p->text);
        into->push_back(make_pattern(pat, cxx));
        auto semi = lex.next();
        if (!semi) return semi.error();
        if (semi->text == "}") break;  // the last pattern may omit ';'
        if (semi->text != ";") return lex.error("expected ';' after '" + pat.text + "'");
      }
      auto semi = lex.next();
      if (!semi) return semi.error();
      if (semi->text != ";") return lex.error("expected ';' after an extern block");
      continue;
    }
    if (!t->quoted && (t->text == ";" || t->text == ":" || t->text == "{"))
      return lex.error("unexpected '" + t->text + "'");
    into->push_back(make_pattern(*t, false));
    auto semi = lex.next();
    if (!semi) return semi.error();
    if (semi->text == "}") return {};  // the last pattern may omit ';'
    if (semi->text != ";") return lex.error("expected ';' after '" + t->text + "'");
  }
}

}  // namespace

Expected<std::vector<VersionNode>> parse_version_script(const std::string& path, std::string_view text) {
  Lexer lex(path, text);
  std::vector<VersionNode> nodes;
  for (;;) {
    auto t = lex.next();
    if (!t) return t.error();
    if (t->text.empty() && !t->quoted) break;
    VersionNode node;
    if (t->text != "{" || t->quoted) {
      node.name = t->text;
      auto open = lex.next();
      if (!open) return open.error();
      if (open->text != "{") return lex.error("expected '{' after version name " + node.name);
    }
    LINKBOX_TRY(parse_block(lex, &node.globals, &node.locals, true));
    for (;;) {
      auto p = lex.next();
      if (!p) return p.error();
      if (p->text == ";") break;
      if (p->text.empty() && !p->quoted) return lex.error("missing ';' after version " + node.name);
      if (node.name.empty()) return lex.error("an anonymous version cannot have parents");
      node.parents.push_back(p->text);
    }
    for (const std::string& parent : node.parents) {
      bool known = false;
      for (const VersionNode& n : nodes) known |= n.name == parent;
      if (!known) return lex.error("version " + node.name + " inherits from unknown version " + parent);
    }
    for (const VersionNode& n : nodes)
      if (!node.name.empty() && n.name == node.name) return lex.error("version " + node.name + " defined twice");
    if (node.name.empty() && !nodes.empty()) return lex.error("an anonymous version must be the only one");
    nodes.push_back(std::move(node));
  }
  if (nodes.size() > 1)
    for (const VersionNode& n : nodes)
      if (n.name.empty()) return lex.error("an anonymous version must be the only one");
  return nodes;
}

Expected<std::vector<SymbolPattern>> parse_dynamic_list(const std::string& path, std::string_view text) {
  Lexer lex(path, text);
  auto open = lex.next();
  if (!open) return open.error();
  if (open->text != "{") return lex.error("a dynamic list starts with '{'");
  std::vector<SymbolPattern> patterns;
  LINKBOX_TRY(parse_block(lex, &patterns, &patterns, false));
  auto semi = lex.next();
  if (!semi) return semi.error();
  if (semi->text != ";") return lex.error("expected ';' after the dynamic list");
  return patterns;
}

bool pattern_matches(const SymbolPattern& p, std::string_view name) {
  if (!p.wildcard) return p.text == name;
  return fnmatch(p.text.c_str(), std::string(name).c_str(), 0) == 0;
}

}  // namespace linkbox::link
