// A value or an error, for functions that can fail on bad input.
//
// linkbox reports ordinary bad input (a truncated file, an out-of-range
// offset) as a value, not an exception, so that a reader used by one tool can
// never unwind through another tool's code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace linkbox {

// What went wrong, and in which file. `file` may be empty for errors that are
// not about a file (a bad option, say).
struct Error {
  std::string file;
  std::string message;
};

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Error error) : state_(std::move(error)) {}

  explicit operator bool() const { return state_.index() == 0; }
  bool ok() const { return state_.index() == 0; }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Expected<void>.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}
  explicit operator bool() const { return !failed_; }
  bool ok() const { return !failed_; }
  const Error& error() const { assert(failed_); return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

inline Error make_error(std::string file, std::string message) {
  return Error{std::move(file), std::move(message)};
}

}  // namespace linkbox

// Propagate an error out of the current function.
#define LINKBOX_TRY(expr)                         \
  do {                                            \
    auto&& linkbox_try_result_ = (expr);          \
    if (!linkbox_try_result_) return linkbox_try_result_.error(); \
  } while (0)
