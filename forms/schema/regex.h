// ECMA-262 regular expressions for JSON Schema "pattern", matched in linear time.
// A Pike VM over code points: no backtracking, so no pattern can hang or blow the stack on
// long input. Not supported (compile error): backreferences and lookbehind.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::schema {

struct RegexError : std::runtime_error { using std::runtime_error::runtime_error; };

class Regex {
 public:
  explicit Regex(std::string_view pattern);  // throws RegexError with the reason
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  // True when the pattern matches anywhere in text (JSON Schema patterns are not anchored).
  bool search(std::string_view utf8_text) const;
  const std::string& source() const { return source_; }

  struct Program;

 private:
  std::string source_;
  std::unique_ptr<Program> program_;
};

}  // namespace motcua::schema
