// The editable model of a linked ELF file, and where changed strings go.
#include "libelf/elf-editor.h"

#include <algorithm>
#include <cstring>

namespace linkbox::elf {

Expected<ElfEditor> ElfEditor::open(const ElfFile& file) {
  ElfEditor e;
  e.file_ = &file;
  if (Status s = e.load(); !s) return s.error();
  return e;
}

Status ElfEditor::load() {
  uint16_t type = file_->header().type;
  if (type != ET_EXEC && type != ET_DYN)
    return error("not an executable or shared library (ELF type " + std::to_string(type) + ")");
  if (file_->segments().empty()) return error("has no program headers");
  // The gABI allows one PT_INTERP and one PT_DYNAMIC. With two, the kernel
  // takes the first PT_INTERP and glibc the last PT_DYNAMIC while the reader
  // shows the first; an edit cannot tell which one it should change.
  for (auto [type, name] : {std::pair<uint32_t, const char*>{PT_INTERP, "PT_INTERP"}, {PT_DYNAMIC, "PT_DYNAMIC"}}) {
    auto n = std::count_if(file_->segments().begin(), file_->segments().end(),
                           [type = type](const Phdr& p) { return p.type == type; });
    if (n > 1) return error("has " + std::to_string(n) + " " + name + " program headers; refusing to edit");
  }
  auto interp = file_->interpreter();
  if (!interp) return interp.error();
  interp_ = original_interp_ = *interp;
  has_dynamic_ = file_->has_dynamic();
  if (!has_dynamic_) return {};
  auto dyn = file_->dynamic_entries();
  if (!dyn) return dyn.error();
  original_dynamic_ = *dyn;
  auto strings = file_->dynamic_strings();
  if (!strings) return strings.error();
  const Phdr* dyn_ph = file_->find_segment(PT_DYNAMIC);
  for (size_t i = 0; i < dyn->size(); ++i) {
    const Dyn& d = (*dyn)[i];
    DynamicEntry e{d.tag, d.val, std::nullopt, std::nullopt};
    // Held as an absolute address while editing; see finish().
    if (d.tag == DT_MIPS_RLD_MAP_REL && file_->machine() == EM_MIPS && dyn_ph)
      e.val = dyn_ph->vaddr + i * file_->codec().dyn_size() + d.val;
    if (dynamic_tag_is_string(d.tag)) {
      auto s = strings->at(d.val);
      if (!s)
        return error("dynamic entry DT_" + dynamic_tag_name(d.tag) + " has string offset " +
                     hex(d.val) + " outside the dynamic string table");
      e.text = std::string(*s);
      e.original_offset = d.val;
    }
    dynamic_.push_back(std::move(e));
  }
  return {};
}

Status ElfEditor::set_interpreter(const std::string& path) {
  if (!original_interp_)
    return error("has no interpreter (no PT_INTERP): it is statically linked or a shared library");
  if (path.find('\0') != std::string::npos) return error("interpreter path contains a NUL byte");
  if (const Section* s = file_->find_section(".interp"); s && s->hdr.type == SHT_NOBITS)
    return error("is a separate debug file: its .interp has no contents to change");
  interp_ = path;
  return {};
}

DynamicEntry ElfEditor::string_entry(int64_t tag, std::string text) {
  return DynamicEntry{tag, 0, std::move(text), std::nullopt};
}

void ElfEditor::rename_version_need_file(const std::string& from, const std::string& to) {
  auto needs = file_->version_needs();
  if (!needs) return;
  for (const auto& n : *needs)
    if (n.file == from) string_fields_.push_back({n.record_offset + 4, to});
}

Expected<int> ElfEditor::clear_symbol_version(const std::string& name) {
  auto dyn = file_->dynamic_entries();
  if (!dyn) return dyn.error();
  auto versym = ElfFile::find_tag(*dyn, DT_VERSYM);
  if (!versym) return 0;
  auto syms = file_->dynamic_symbols();
  if (!syms) return syms.error();
  auto strings = file_->dynamic_strings();
  if (!strings) return strings.error();
  auto base = file_->vaddr_to_offset(*versym, syms->size() * 2);
  if (!base) return error(".gnu.version table is not inside any loaded segment");
  int changed = 0;
  for (size_t i = 0; i < syms->size(); ++i) {
    auto n = strings->at((*syms)[i].name);
    if (!n || *n != name) continue;
    versym_edits_.push_back({*base + 2 * i, VER_NDX_GLOBAL});
    ++changed;
  }
  return changed;
}

void ElfEditor::set_note_section(const std::string& section, std::vector<uint8_t> contents) {
  note_section_ = std::make_pair(section, std::move(contents));
}

// ---------------------------------------------------------------------------
// String placement.
//
// Each string a changed entry needs is, in order of preference: the string it
// already had; an identical string already in the table (suffixes count, as
// linkers share them); the old string's own bytes overwritten in place, when
// it fits and nothing else refers to any of those bytes; or appended to a
// larger table that must then move.


namespace {

struct Reference {
  uint64_t begin, end;  // [begin, end], the NUL included
};

std::optional<uint64_t> find_string(const std::vector<uint8_t>& table, const std::string& text) {
  if (table.empty()) return std::nullopt;
  const uint8_t* base = table.data();
  size_t n = table.size();
  size_t len = text.size();
  for (size_t i = 0; i + len < n; ++i) {
    const void* hit = std::memchr(base + i, text.empty() ? 0 : text[0], n - i);
    if (!hit) return std::nullopt;
    i = static_cast<const uint8_t*>(hit) - base;
    if (i + len >= n) return std::nullopt;
    if (std::memcmp(base + i, text.data(), len) == 0 && base[i + len] == 0) return i;
  }
  return std::nullopt;
}

}  // namespace

Expected<ElfEditor::StringPlan> ElfEditor::place_strings(bool clobber_replaced) {
  StringPlan plan;
  plan.entry_offsets.assign(dynamic_.size(), 0);
  plan.field_offsets.assign(string_fields_.size(), 0);
  auto strings = file_->dynamic_strings();
  if (!strings) return strings.error();
  plan.table.assign(strings->bytes().begin(), strings->bytes().end());
  plan.original_size = plan.table.size();

  // Every place in the file that refers into the table, so an in-place
  // overwrite never changes a string something else still uses.
  std::vector<Reference> refs;
  auto add_ref = [&](uint64_t off) {
    auto s = strings->at(off);
    if (s) refs.push_back({off, off + s->size()});
  };
  for (const Dyn& d : original_dynamic_)
    if (dynamic_tag_is_string(d.tag)) add_ref(d.val);
  if (auto syms = file_->dynamic_symbols())
    for (const Sym& s : *syms) add_ref(s.name);
  if (auto needs = file_->version_needs())
    for (const auto& n : *needs) {
      add_ref(n.file_offset);
      for (const auto& v : n.versions) add_ref(v.name_offset);
    }
  if (auto defs = file_->version_definitions())
    for (const auto& d : *defs)
      for (const auto& n : d.names)
        if (auto off = find_string(plan.table, n)) add_ref(*off);

  struct Request {
    const std::string* text;
    std::optional<uint64_t> original;
    uint64_t* result;
    bool placed = false;
  };
  std::vector<Request> requests;
  for (size_t i = 0; i < dynamic_.size(); ++i)
    if (dynamic_[i].text)
      requests.push_back({&*dynamic_[i].text, dynamic_[i].original_offset, &plan.entry_offsets[i]});
  for (size_t i = 0; i < string_fields_.size(); ++i) {
    std::optional<uint64_t> original;
    auto bytes = file_->bytes();
    if (in_bounds(string_fields_[i].field_offset, 4, bytes.size()))
      original = file_->codec().get<uint32_t>(bytes.data() + string_fields_[i].field_offset);
    requests.push_back({&string_fields_[i].text, original, &plan.field_offsets[i]});
  }

  // Phase 1: strings that already exist.
  for (auto& r : requests) {
    if (r.original && strings->at(*r.original) == std::string_view(*r.text)) {
      *r.result = *r.original;
      r.placed = true;
    } else if (auto found = find_string(plan.table, *r.text)) {
      *r.result = *found;
      r.placed = true;
      refs.push_back({*found, *found + r.text->size()});
    }
  }
  // Phase 2: overwrite an exclusively owned old string, else append.
  std::vector<std::pair<std::string, uint64_t>> appended;
  for (auto& r : requests) {
    if (r.placed) continue;
    if (r.original) {
      auto old = strings->at(*r.original);
      uint64_t b = *r.original, e = b + (old ? old->size() : 0);
      int owners = 0;
      for (const auto& ref : refs)
        if (ref.begin <= e && b <= ref.end) ++owners;
      // One owner: the request's own original reference. Overwrite in place.
      if (old && r.text->size() <= old->size() && owners <= 1) {
        std::memcpy(plan.table.data() + b, r.text->data(), r.text->size());
        std::memset(plan.table.data() + b + r.text->size(), 0, old->size() - r.text->size());
        *r.result = b;
        r.placed = true;
        plan.changed = true;
        // The bytes are now this request's, and must not be reused.
        refs.push_back({b, e});
        continue;
      }
    }
    if (clobber_replaced && r.original) {
      auto old = strings->at(*r.original);
      uint64_t b = *r.original, e = b + (old ? old->size() : 0);
      int owners = 0;
      for (const auto& ref : refs)
        if (ref.begin <= e && b <= ref.end) ++owners;
      if (old && owners <= 1 && b < plan.original_size) {
        std::memset(plan.table.data() + b, 'X', old->size());
        plan.changed = true;
      }
    }
    auto same = std::find_if(appended.begin(), appended.end(),
                             [&](const auto& a) { return a.first == *r.text; });
    if (same != appended.end()) {
      *r.result = same->second;
    } else {
      uint64_t off = plan.table.size();
      plan.table.insert(plan.table.end(), r.text->begin(), r.text->end());
      plan.table.push_back(0);
      appended.push_back({*r.text, off});
      *r.result = off;
      plan.changed = true;
    }
    r.placed = true;
  }
  return plan;
}

}  // namespace linkbox::elf
