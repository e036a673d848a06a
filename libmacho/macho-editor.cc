#include "libmacho/macho-editor.h"

#include <algorithm>
#include <cstring>

#include "libformat/byte-order.h"
#include "libformat/output-file.h"
#include "libmacho/code-signature-info.h"
#include "libmacho/code-signature.h"
#include "libmacho/macho-types.h"

namespace linkbox::macho {
namespace {

constexpr uint32_t kDylibCommandSize = 24;  // cmd, cmdsize, name, timestamp, current, compatibility
constexpr uint32_t kStringCommandSize = 12; // rpath_command, dylinker_command: cmd, cmdsize, name

bool is_dylib_command(uint32_t cmd) {
  return cmd == LC_LOAD_DYLIB || cmd == LC_LOAD_WEAK_DYLIB || cmd == LC_REEXPORT_DYLIB ||
         cmd == LC_LAZY_LOAD_DYLIB || cmd == LC_LOAD_UPWARD_DYLIB || cmd == LC_ID_DYLIB;
}

bool is_string_command(uint32_t cmd) {
  return cmd == LC_RPATH || cmd == LC_LOAD_DYLINKER || cmd == LC_ID_DYLINKER || cmd == LC_DYLD_ENVIRONMENT;
}

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Field offsets in segment commands.
struct SegmentFields {
  size_t vmaddr, vmsize, fileoff, filesize;
  bool wide;
};
constexpr SegmentFields kSegment64{24, 32, 40, 48, true};
constexpr SegmentFields kSegment32{24, 28, 32, 36, false};

uint64_t get_field(const std::vector<uint8_t>& c, size_t off, bool wide, ByteOrder o) {
  return wide ? load<uint64_t>(c.data() + off, o) : load<uint32_t>(c.data() + off, o);
}

void set_field(std::vector<uint8_t>& c, size_t off, bool wide, uint64_t v, ByteOrder o) {
  if (wide) store<uint64_t>(c.data() + off, v, o);
  else store<uint32_t>(c.data() + off, uint32_t(v), o);
}

// What happens to the signature of an edited slice.
enum class SignaturePlan { none, regenerate, rehash, remove };

}  // namespace

// ---------------------------------------------------------------------------
// SliceEditor

SliceEditor::SliceEditor(const Slice& slice) : slice_(&slice) {
  for (const LoadCommand& lc : slice.load_commands()) commands_.emplace_back(lc.bytes.begin(), lc.bytes.end());
}

uint32_t SliceEditor::cmd(size_t i) const { return load<uint32_t>(commands_[i].data(), slice_->order()); }

std::optional<std::string> SliceEditor::string_of(size_t i) const {
  uint32_t c = cmd(i);
  uint32_t fixed = is_dylib_command(c) ? kDylibCommandSize : is_string_command(c) ? kStringCommandSize : 0;
  const auto& b = commands_[i];
  if (fixed == 0 || b.size() < fixed) return std::nullopt;
  uint32_t off = load<uint32_t>(b.data() + 8, slice_->order());
  if (off < 8 || off >= b.size()) return std::nullopt;
  auto end = std::find(b.begin() + off, b.end(), 0);
  if (end == b.end()) return std::nullopt;
  return std::string(b.begin() + off, end);
}

std::vector<size_t> SliceEditor::find(const std::function<bool(uint32_t)>& pred) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < commands_.size(); ++i)
    if (pred(cmd(i))) out.push_back(i);
  return out;
}

void SliceEditor::insert(size_t at, std::vector<uint8_t> command) {
  commands_.insert(commands_.begin() + std::min(at, commands_.size()), std::move(command));
}

void SliceEditor::replace(size_t i, std::vector<uint8_t> command) { commands_[i] = std::move(command); }

void SliceEditor::remove(size_t i) { commands_.erase(commands_.begin() + i); }

namespace {

// A command of `fixed` header bytes (copied from `head`, or zero) followed by
// `text` and its NUL, padded with zeros to the pointer size as ld64 pads.
std::vector<uint8_t> string_command(const Slice& s, uint32_t cmd, uint32_t fixed, std::span<const uint8_t> head,
                                    std::string_view text) {
  uint64_t round = s.is64() ? 8 : 4;
  std::vector<uint8_t> out(align_up(fixed + text.size() + 1, round), 0);
  std::copy(head.begin(), head.begin() + std::min<size_t>(head.size(), fixed), out.begin());
  store<uint32_t>(out.data(), cmd, s.order());
  store<uint32_t>(out.data() + 4, uint32_t(out.size()), s.order());
  store<uint32_t>(out.data() + 8, fixed, s.order());
  std::memcpy(out.data() + fixed, text.data(), text.size());
  return out;
}

}  // namespace

std::vector<uint8_t> SliceEditor::with_string(size_t i, std::string_view text) const {
  uint32_t c = cmd(i);
  uint32_t fixed = is_dylib_command(c) ? kDylibCommandSize : kStringCommandSize;
  return string_command(*slice_, c, fixed, commands_[i], text);
}

std::vector<uint8_t> SliceEditor::make_dylib(uint32_t c, std::string_view name, uint32_t timestamp,
                                             uint32_t current_version, uint32_t compatibility_version) const {
  auto out = string_command(*slice_, c, kDylibCommandSize, {}, name);
  store<uint32_t>(out.data() + 12, timestamp, slice_->order());
  store<uint32_t>(out.data() + 16, current_version, slice_->order());
  store<uint32_t>(out.data() + 20, compatibility_version, slice_->order());
  return out;
}

std::vector<uint8_t> SliceEditor::make_rpath(std::string_view path) const {
  return string_command(*slice_, LC_RPATH, kStringCommandSize, {}, path);
}

std::vector<uint8_t> SliceEditor::make_dylinker(std::string_view path) const {
  return string_command(*slice_, LC_LOAD_DYLINKER, kStringCommandSize, {}, path);
}

bool SliceEditor::changed() const {
  const auto& orig = slice_->load_commands();
  if (orig.size() != commands_.size()) return true;
  for (size_t i = 0; i < orig.size(); ++i)
    if (!std::equal(orig[i].bytes.begin(), orig[i].bytes.end(), commands_[i].begin(), commands_[i].end()))
      return true;
  return false;
}

std::vector<uint8_t> SliceEditor::serialize() const {
  std::vector<uint8_t> out;
  for (const auto& c : commands_) out.insert(out.end(), c.begin(), c.end());
  return out;
}

// ---------------------------------------------------------------------------
// Building one edited slice

namespace {

struct BuiltSlice {
  std::vector<uint8_t> bytes;
  std::vector<EditWarning> warnings;
};

class SliceBuilder {
 public:
  SliceBuilder(const Slice& s, std::vector<std::vector<uint8_t>> commands, std::string identifier)
      : s_(s), o_(s.order()), commands_(std::move(commands)), identifier_(std::move(identifier)) {}

  Expected<BuiltSlice> build();

 private:
  uint32_t cmd(size_t i) const { return load<uint32_t>(commands_[i].data(), o_); }
  std::optional<size_t> find_cmd(uint32_t c) const {
    for (size_t i = 0; i < commands_.size(); ++i)
      if (cmd(i) == c) return i;
    return std::nullopt;
  }
  // The segment command whose file range holds [start, end) and ends at
  // `end` (normally __LINKEDIT), with its field layout.
  std::optional<size_t> segment_ending_at(uint64_t start, uint64_t end, SegmentFields* fields) const;
  void warn(std::string message) { warnings_.push_back({error_file(), std::move(message)}); }
  std::string error_file() const { return s_.error("").file; }

  Status plan_signature();
  Status resize_signature(uint64_t new_size);
  Status check_fits(uint64_t sizeofcmds) const;

  const Slice& s_;
  ByteOrder o_;
  std::vector<std::vector<uint8_t>> commands_;
  std::string identifier_;
  std::vector<EditWarning> warnings_;

  SignaturePlan plan_ = SignaturePlan::none;
  CodeSignatureInfo info_;
  uint64_t sig_off_ = 0, sig_size_ = 0;  // as the file has them
  uint64_t new_image_size_ = 0;
  AdhocSignatureLayout layout_;
};

std::optional<size_t> SliceBuilder::segment_ending_at(uint64_t start, uint64_t end, SegmentFields* fields) const {
  for (size_t i = 0; i < commands_.size(); ++i) {
    uint32_t c = cmd(i);
    if (c != LC_SEGMENT_64 && c != LC_SEGMENT) continue;
    SegmentFields f = c == LC_SEGMENT_64 ? kSegment64 : kSegment32;
    if (commands_[i].size() < f.filesize + (f.wide ? 8 : 4)) continue;
    uint64_t off = get_field(commands_[i], f.fileoff, f.wide, o_);
    uint64_t size = get_field(commands_[i], f.filesize, f.wide, o_);
    if (size != 0 && off <= start && off + size == end) {
      *fields = f;
      return i;
    }
  }
  return std::nullopt;
}

// Decides what to do with the signature, before the commands are laid out
// (removing LC_CODE_SIGNATURE frees header space).
Status SliceBuilder::plan_signature() {
  auto lc = s_.linkedit_data(LC_CODE_SIGNATURE);
  auto index = find_cmd(LC_CODE_SIGNATURE);
  if (!lc || !index) return {};
  size_t count = 0;
  for (const auto& c : s_.load_commands()) count += c.cmd == LC_CODE_SIGNATURE;
  if (count > 1) return s_.error("the file has " + std::to_string(count) + " LC_CODE_SIGNATURE load commands");
  sig_off_ = lc->dataoff;
  sig_size_ = lc->datasize;
  // The signature is rewritten in place, so it must lie beyond everything
  // the edit writes: the header and its padding.
  if (sig_off_ < s_.first_section_offset())
    return s_.error("the code signature (offset " + std::to_string(sig_off_) +
                    ") lies before the first section; the file cannot be re-signed");
  auto info = read_code_signature(s_);
  if (!info) {
    warn("its code signature cannot be read (" + info.error().message + "); it was removed");
    plan_ = SignaturePlan::remove;
  } else if (info->kind == SignatureKind::other) {
    warn("its code signature is not ad hoc and cannot be redone after the edit; it was removed "
         "(sign the file again with codesign)");
    plan_ = SignaturePlan::remove;
  } else {
    info_ = std::move(*info);
    const auto& cd = info_.code_directory;
    bool lld_shaped = info_.kind == SignatureKind::adhoc_linker_signed && cd && info_.blobs.size() == 1 &&
                      info_.alternate_code_directories.empty() && cd->hash_type == CS_HASHTYPE_SHA256 &&
                      cd->page_size_log2 == kSignaturePageSizeLog2 && cd->n_special_slots == 0 &&
                      cd->effective_code_limit() == sig_off_ && sig_off_ % kSignatureAlign == 0;
    plan_ = lld_shaped ? SignaturePlan::regenerate : SignaturePlan::rehash;
    // New page hashes over bytes that include the signature itself could
    // never verify.
    std::vector<const CodeDirectory*> cds;
    if (info_.code_directory) cds.push_back(&*info_.code_directory);
    for (const auto& cd : info_.alternate_code_directories) cds.push_back(&cd);
    for (const CodeDirectory* cd : cds)
      if (cd->effective_code_limit() > sig_off_)
        return s_.error("the code signature covers itself (codeLimit " + std::to_string(cd->effective_code_limit()) +
                        " is past its offset " + std::to_string(sig_off_) + "); the file cannot be re-signed");
  }
  new_image_size_ = s_.bytes().size();
  if (plan_ == SignaturePlan::remove) {
    commands_.erase(commands_.begin() + *index);
    // A signature at the end of __LINKEDIT and of the file is cut off, as
    // codesign --remove-signature does; one elsewhere is only zeroed.
    if (sig_off_ + sig_size_ == s_.bytes().size()) {
      SegmentFields f;
      if (auto seg = segment_ending_at(sig_off_, sig_off_ + sig_size_, &f)) {
        uint64_t size = get_field(commands_[*seg], f.filesize, f.wide, o_);
        set_field(commands_[*seg], f.filesize, f.wide, size - sig_size_, o_);
        new_image_size_ = sig_off_;
      }
    }
    return {};
  }
  if (plan_ == SignaturePlan::regenerate) {
    layout_.identifier = identifier_;
    layout_.code_limit = sig_off_;
    layout_.main_binary = s_.header().filetype == MH_EXECUTE;
    for (const Segment& seg : s_.segments())
      if (seg.name == "__TEXT") {
        layout_.exec_seg_base = seg.fileoff;
        layout_.exec_seg_limit = seg.filesize;
        break;
      }
    uint64_t size = adhoc_signature_size(layout_);
    // A signature that cannot change size here keeps its old identifier and
    // layout, and only gets new page hashes.
    if (size != sig_size_ && !resize_signature(size)) plan_ = SignaturePlan::rehash;
  }
  return {};
}

// Grows or shrinks a signature at the end of __LINKEDIT and of the image.
Status SliceBuilder::resize_signature(uint64_t new_size) {
  if (sig_off_ + sig_size_ != s_.bytes().size()) return s_.error("the code signature is not at the end of the file");
  SegmentFields f;
  auto seg = segment_ending_at(sig_off_, sig_off_ + sig_size_, &f);
  if (!seg) return s_.error("the code signature is not at the end of __LINKEDIT");
  auto& c = commands_[*seg];
  uint64_t filesize = get_field(c, f.filesize, f.wide, o_) - sig_size_ + new_size;
  uint64_t vmaddr = get_field(c, f.vmaddr, f.wide, o_);
  uint64_t vmsize = get_field(c, f.vmsize, f.wide, o_);
  if (filesize > vmsize) {
    // ld64 rounds vmsize to the page size; lld leaves it at filesize. Either
    // way the segment must now cover the bigger signature, and must not run
    // into the segment after it.
    uint64_t page = s_.header().cputype == CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
    uint64_t new_vmsize = vmsize == get_field(c, f.filesize, f.wide, o_) ? filesize : align_up(filesize, page);
    for (const Segment& other : s_.segments())
      if (other.vmaddr > vmaddr && other.vmaddr < vmaddr + new_vmsize && other.vmsize != 0)
        return s_.error("__LINKEDIT cannot grow into segment " + other.name);
    if (!f.wide && vmaddr + new_vmsize > UINT32_MAX) return s_.error("__LINKEDIT would pass 4 GiB");
    set_field(c, f.vmsize, f.wide, new_vmsize, o_);
  }
  set_field(c, f.filesize, f.wide, filesize, o_);
  auto index = find_cmd(LC_CODE_SIGNATURE);
  store<uint32_t>(commands_[*index].data() + 12, uint32_t(new_size), o_);
  new_image_size_ = sig_off_ + new_size;
  return {};
}

Status SliceBuilder::check_fits(uint64_t sizeofcmds) const {
  uint64_t limit = s_.first_section_offset();
  uint64_t need = s_.header_size() + sizeofcmds;
  if (need <= limit) return {};
  uint64_t available = limit > s_.load_commands_end() ? limit - s_.load_commands_end() : 0;
  uint64_t growth = need - s_.load_commands_end();
  return s_.error("not enough room in the header padding: the new load commands take " + std::to_string(growth) +
                  " more bytes than the old ones and only " + std::to_string(available) + " are free (" +
                  std::to_string(need - limit) +
                  " bytes missing); the file was not changed. Relink it with -headerpad_max_install_names "
                  "(or -headerpad SIZE) to make room");
}

Expected<BuiltSlice> SliceBuilder::build() {
  // The old commands are overwritten (and their tail zeroed); in a file
  // where they already overlap section data that would change the data.
  if (s_.load_commands_end() > s_.first_section_offset())
    return s_.error("the load commands (ending at offset " + std::to_string(s_.load_commands_end()) +
                    ") overlap section data (from offset " + std::to_string(s_.first_section_offset()) +
                    "); the file is malformed and cannot be edited");
  if (Status st = plan_signature(); !st) return st.error();
  std::vector<uint8_t> cmds;
  for (const auto& c : commands_) cmds.insert(cmds.end(), c.begin(), c.end());
  if (Status st = check_fits(cmds.size()); !st) return st.error();
  if (commands_.size() > UINT32_MAX) return s_.error("too many load commands");

  auto old = s_.bytes();
  std::vector<uint8_t> image(old.begin(), old.begin() + std::min<uint64_t>(old.size(), new_image_size_ ? new_image_size_ : old.size()));
  if (new_image_size_ > image.size()) image.resize(new_image_size_, 0);
  store<uint32_t>(image.data() + 16, uint32_t(commands_.size()), o_);
  store<uint32_t>(image.data() + 20, uint32_t(cmds.size()), o_);
  uint64_t start = s_.header_size();
  uint64_t old_end = s_.load_commands_end();
  std::copy(cmds.begin(), cmds.end(), image.begin() + start);
  // The padding stays zero where the old commands were longer.
  if (start + cmds.size() < old_end) std::fill(image.begin() + start + cmds.size(), image.begin() + old_end, 0);

  if (plan_ == SignaturePlan::remove) {
    if (new_image_size_ > sig_off_) std::fill(image.begin() + sig_off_, image.begin() + sig_off_ + sig_size_, 0);
  } else if (plan_ == SignaturePlan::regenerate) {
    auto blob = make_adhoc_signature(image, layout_);
    std::copy(blob.begin(), blob.end(), image.begin() + sig_off_);
  } else if (plan_ == SignaturePlan::rehash) {
    std::vector<uint8_t> blob(old.begin() + sig_off_, old.begin() + sig_off_ + sig_size_);
    if (Status st = rehash_code_signature(s_, info_, blob, image); !st) return st.error();
    std::copy(blob.begin(), blob.end(), image.begin() + sig_off_);
  }
  // A malformed file can have linkedit data overlapping the signature that a
  // removal or a smaller signature cuts off: refuse rather than write a file
  // that does not read back.
  if (auto reread = Slice::parse(s_.path(), image); !reread)
    return s_.error("the edited file would not read back (" + reread.error().message + "); it was not changed");
  return BuiltSlice{std::move(image), std::move(warnings_)};
}

// The commands of a SliceEditor, for the builder.
std::vector<std::vector<uint8_t>> commands_of(const SliceEditor& e) {
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < e.size(); ++i) out.emplace_back(e.command(i).begin(), e.command(i).end());
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// MachOEditor

MachOEditor::MachOEditor(const MachOFile& file, std::span<const uint8_t> bytes) : file_(&file), bytes_(bytes) {
  for (const Slice& s : file.slices()) slices_.emplace_back(s);
}

bool MachOEditor::changed() const {
  return std::any_of(slices_.begin(), slices_.end(), [](const SliceEditor& e) { return e.changed(); });
}

Expected<std::optional<EditedFile>> MachOEditor::build(const std::string& output_path) const {
  if (!changed()) return std::optional<EditedFile>{};
  std::string identifier = basename_of(output_path);
  EditedFile out;
  std::vector<std::vector<uint8_t>> built(slices_.size());
  for (size_t i = 0; i < slices_.size(); ++i) {
    if (!slices_[i].changed()) continue;
    SliceBuilder b(slices_[i].slice(), commands_of(slices_[i]), identifier);
    auto r = b.build();
    if (!r) return r.error();
    built[i] = std::move(r->bytes);
    for (auto& w : r->warnings) out.warnings.push_back(std::move(w));
  }
  if (!file_->is_fat()) {
    out.bytes = std::move(built[0]);
    return std::optional<EditedFile>(std::move(out));
  }

  // A fat file keeps every slice at its offset; a slice whose signature grew
  // may only use the alignment gap before the next slice.
  const auto& arches = file_->fat_arches();
  std::vector<uint8_t> bytes(bytes_.begin(), bytes_.end());
  for (size_t i = 0; i < slices_.size(); ++i) {
    if (built[i].empty()) continue;
    const FatArch& a = arches[i];
    // The slice may grow up to the next slice, or to the end of the file
    // when bytes follow the last slice; the last slice of a file that ends
    // with it may grow freely.
    uint64_t limit = a.offset + a.size == bytes_.size() ? UINT64_MAX : bytes_.size();
    for (const auto& other : arches)
      if (other.offset > a.offset) limit = std::min(limit, other.offset);
    uint64_t new_size = built[i].size();
    if (limit != UINT64_MAX && a.offset + new_size > limit)
      return slices_[i].slice().error("the edited slice needs " + std::to_string(a.offset + new_size - limit) +
                                      " more bytes than the gap before the next slice of the fat file");
    if (!file_->is_fat64() && a.offset + new_size > UINT32_MAX)
      return slices_[i].slice().error("the edited slice would pass 4 GiB in a 32-bit fat file");
    if (limit == UINT64_MAX) bytes.resize(a.offset + new_size, 0);
    std::copy(built[i].begin(), built[i].end(), bytes.begin() + a.offset);
    if (new_size < a.size && limit != UINT64_MAX)
      std::fill(bytes.begin() + a.offset + new_size, bytes.begin() + a.offset + a.size, 0);
    if (file_->is_fat64()) store<uint64_t>(bytes.data() + 8 + 32 * i + 16, new_size, ByteOrder::big);
    else store<uint32_t>(bytes.data() + 8 + 20 * i + 12, uint32_t(new_size), ByteOrder::big);
  }
  out.bytes = std::move(bytes);
  return std::optional<EditedFile>(std::move(out));
}

// ---------------------------------------------------------------------------
// Checking and writing

Status check_edited_file(const MachOFile& original, const std::string& path, std::span<const uint8_t> bytes) {
  auto edited = MachOFile::parse(path, bytes);
  if (!edited) return make_error(path, "the edited file does not re-read: " + edited.error().message);
  if (edited->slices().size() != original.slices().size())
    return make_error(path, "the edited file has a different number of slices");
  for (size_t i = 0; i < edited->slices().size(); ++i) {
    const Slice& n = edited->slices()[i];
    const Slice& o = original.slices()[i];
    // A slice the edit did not touch is copied as it was, even with a
    // signature that did not verify before.
    if (std::ranges::equal(n.bytes(), o.bytes())) continue;
    if (n.load_commands_end() > o.first_section_offset())
      return n.error("the edited load commands run into section data");
    // Everything from the first section to the signature is untouched.
    uint64_t from = o.first_section_offset();
    uint64_t to = std::min(n.bytes().size(), o.bytes().size());
    if (auto sig = o.linkedit_data(LC_CODE_SIGNATURE)) to = std::min<uint64_t>(to, sig->dataoff);
    if (from < to && !std::equal(o.bytes().begin() + from, o.bytes().begin() + to, n.bytes().begin() + from))
      return n.error("the edit changed bytes outside the load commands");
    auto sig = read_code_signature(n);
    if (!sig) return n.error("the new code signature does not re-read: " + sig.error().message);
    if (sig->kind != SignatureKind::none)
      if (Status st = verify_code_signature(n, *sig); !st)
        return n.error("the new code signature does not verify: " + st.error().message);
  }
  return {};
}

Status write_edited_file(const MachOFile& original, const std::string& target, const EditedFile& edited,
                         mode_t mode) {
  return write_file_atomically(target, edited.bytes, mode, [&](std::span<const uint8_t> bytes) {
    return check_edited_file(original, target, bytes);
  });
}

}  // namespace linkbox::macho
