#include "forms/json_positions.h"

#include "forms/json_input.h"
#include "forms/schema/uri.h"

namespace motcua::forms {

namespace {

class Scanner {
 public:
  Scanner(std::string_view t, std::map<std::string, TextPosition>& out) : t_(t), out_(out) {}

  bool value(const std::string& pointer) {
    skip();
    if (i_ >= t_.size()) return false;
    out_[pointer] = pos();
    char c = t_[i_];
    if (c == '{' || c == '[') {
      // Recursion per level: past the JSON depth bound the document is refused anyway.
      if (++depth_ > kMaxJsonDepth) return false;
      bool ok = c == '{' ? object(pointer) : array(pointer);
      --depth_;
      return ok;
    }
    if (c == '"') return string(nullptr);
    while (i_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[i_]) == std::string_view::npos) advance();
    return true;
  }

 private:
  TextPosition pos() const { return {line_, col_}; }
  void advance() {
    if (t_[i_] == '\n') { ++line_; col_ = 1; } else { ++col_; }
    ++i_;
  }
  void skip() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\r' || t_[i_] == '\n')) advance();
  }
  bool string(std::string* out) {
    advance();  // opening quote
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\') {
        advance();
        if (i_ >= t_.size()) return false;
        char e = t_[i_];
        if (out) {
          if (e == 'n') *out += '\n';
          else if (e == 't') *out += '\t';
          else if (e == 'u') *out += '?';  // keys with \u escapes are rare; the pointer is approximate
          else *out += e;
        }
        advance();
        continue;
      }
      if (out) *out += t_[i_];
      advance();
    }
    if (i_ >= t_.size()) return false;
    advance();
    return true;
  }
  bool object(const std::string& pointer) {
    advance();
    skip();
    if (i_ < t_.size() && t_[i_] == '}') { advance(); return true; }
    while (i_ < t_.size()) {
      skip();
      if (i_ >= t_.size() || t_[i_] != '"') return false;
      std::string key;
      if (!string(&key)) return false;
      skip();
      if (i_ >= t_.size() || t_[i_] != ':') return false;
      advance();
      if (!value(pointer + "/" + schema::pointer_escape(key))) return false;
      skip();
      if (i_ < t_.size() && t_[i_] == ',') { advance(); continue; }
      if (i_ < t_.size() && t_[i_] == '}') { advance(); return true; }
      return false;
    }
    return false;
  }
  bool array(const std::string& pointer) {
    advance();
    skip();
    if (i_ < t_.size() && t_[i_] == ']') { advance(); return true; }
    for (size_t n = 0; i_ < t_.size(); ++n) {
      if (!value(pointer + "/" + std::to_string(n))) return false;
      skip();
      if (i_ < t_.size() && t_[i_] == ',') { advance(); continue; }
      if (i_ < t_.size() && t_[i_] == ']') { advance(); return true; }
      return false;
    }
    return false;
  }

  std::string_view t_;
  std::map<std::string, TextPosition>& out_;
  size_t i_ = 0;
  int line_ = 1, col_ = 1;
  size_t depth_ = 0;
};

}  // namespace

std::map<std::string, TextPosition> json_positions(std::string_view text) {
  std::map<std::string, TextPosition> out;
  Scanner(text, out).value("");
  return out;
}

TextPosition position_of(const std::map<std::string, TextPosition>& positions, std::string pointer) {
  for (;;) {
    if (auto it = positions.find(pointer); it != positions.end()) return it->second;
    if (pointer.empty()) return {};
    pointer = pointer.substr(0, pointer.rfind('/'));
  }
}

}  // namespace motcua::forms
