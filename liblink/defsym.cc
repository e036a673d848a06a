#include "liblink/defsym.h"

#include <cctype>

namespace linkbox::link {
namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

bool parse_number(const std::string& t, int64_t* out) {
  if (t.empty() || !std::isdigit(static_cast<unsigned char>(t[0]))) return false;
  std::string digits = t;
  uint64_t scale = 1;
  char last = digits.back();
  if (last == 'K' || last == 'k') scale = 1024, digits.pop_back();
  else if (last == 'M' || last == 'm') scale = 1024 * 1024, digits.pop_back();
  int base = 10;
  size_t from = 0;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) base = 16, from = 2;
  if (from >= digits.size()) return false;
  uint64_t v = 0;
  for (size_t i = from; i < digits.size(); ++i) {
    int d = std::isdigit(static_cast<unsigned char>(digits[i])) ? digits[i] - '0'
            : std::isxdigit(static_cast<unsigned char>(digits[i])) ? std::tolower(digits[i]) - 'a' + 10
                                                                    : 99;
    if (d >= base) return false;
    v = v * base + d;
  }
  *out = static_cast<int64_t>(v * scale);
  return true;
}

bool is_symbol_name(const std::string& t) {
  if (t.empty() || std::isdigit(static_cast<unsigned char>(t[0]))) return false;
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '$' && c != '@') return false;
  return t != ".";
}

}  // namespace

Expected<DefsymExpr> parse_defsym(const std::string& name, const std::string& expr) {
  auto unsupported = [&](const std::string& why) -> Error {
    return make_error("", "--defsym=" + name + "=" + expr + ": " + why +
                              " (supported: NUMBER, SYMBOL, SYMBOL+NUMBER, SYMBOL-NUMBER)");
  };
  DefsymExpr out;
  size_t at = 0;
  char sign = '+';
  bool any = false;
  while (at <= expr.size()) {
    size_t op = expr.find_first_of("+-", at);
    std::string term = trim(std::string_view(expr).substr(at, op == std::string::npos ? std::string::npos : op - at));
    if (term.empty()) return unsupported(any ? "a term is missing" : "the expression is empty");
    int64_t n;
    if (parse_number(term, &n)) {
      out.addend += sign == '+' ? n : -n;
    } else if (is_symbol_name(term)) {
      if (!out.symbol.empty()) return unsupported("more than one symbol");
      if (sign == '-') return unsupported("a subtracted symbol");
      out.symbol = term;
    } else {
      return unsupported("cannot read '" + term + "'");
    }
    any = true;
    if (op == std::string::npos) break;
    sign = expr[op];
    at = op + 1;
  }
  return out;
}

template <typename E>
void define_defsyms(Context<E>& ctx) {
  for (auto& [name, expr] : ctx.opts.defsyms) {
    auto parsed = parse_defsym(name, expr);
    if (!parsed) continue;  // the driver checked them before the link
    Symbol<E>* sym = ctx.intern(name);
    Symbol<E>* target = nullptr;
    if (!parsed->symbol.empty()) {
      target = ctx.intern(parsed->symbol);
      if (target->is_shared()) {
        ctx.error("", "--defsym=" + name + "=" + expr + ": " + parsed->symbol +
                          " is defined in a shared library; aliasing it is not supported yet");
        continue;
      }
      if (!target->is_defined()) {
        ctx.error("", "--defsym=" + name + "=" + expr + ": undefined symbol: " + parsed->symbol);
        continue;
      }
    }
    sym->state = SymbolState::defined;
    sym->file = target ? target->file : nullptr;
    sym->isec = nullptr;
    sym->frag = nullptr;
    sym->chunk = nullptr;
    sym->value = static_cast<uint64_t>(parsed->addend);
    sym->size = 0;
    // A plain alias keeps its target's type; a sum has none (as in ld.lld).
    sym->type = target && parsed->addend == 0 ? target->type : STT_NOTYPE;
    sym->weak = false;
    sym->visibility = STV_DEFAULT;
    sym->copy_readonly = false;
    if (target) {
      // Until fragments are resolved, the alias points where its target
      // does; that is enough for --gc-sections to keep the target.
      sym->isec = target->isec;
      sym->value = target->value + static_cast<uint64_t>(parsed->addend);
      ctx.defsym_aliases.push_back({sym, target, parsed->addend});
    }
  }
}

template <typename E>
void resolve_defsym_aliases(Context<E>& ctx) {
  for (auto& [sym, target, addend] : ctx.defsym_aliases) {
    sym->isec = target->isec;
    sym->frag = target->frag;
    sym->chunk = target->chunk;
    sym->value = target->value + static_cast<uint64_t>(addend);
  }
}

template void define_defsyms(Context<X86_64>&);
template void resolve_defsym_aliases(Context<X86_64>&);

}  // namespace linkbox::link
