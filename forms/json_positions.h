// Where each value of a JSON text starts, by JSON pointer, so lint can say FILE:LINE:COL.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace motcua::forms {

struct TextPosition {
  int line = 1, column = 1;
};

// Maps every value's JSON pointer ("" for the root) to its line and column (1-based, columns in
// bytes). Text that is not valid JSON yields the positions found before the fault.
std::map<std::string, TextPosition> json_positions(std::string_view text);

// The position of pointer, or of its nearest ancestor that has one.
TextPosition position_of(const std::map<std::string, TextPosition>& positions, std::string pointer);

}  // namespace motcua::forms
