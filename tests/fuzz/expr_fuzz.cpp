// libFuzzer target: computed-value expressions. Input: EXPRESSION '\0' DOSSIER (JSON each).
// A checked expression must evaluate without throwing, whatever the dossier holds.
#include <cstdint>
#include <string>

#include "forms/expr.h"
#include "forms/json_input.h"

using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  json expr, dossier;
  try {
    expr = motcua::forms::parse_json(input.substr(0, split));
    dossier = split == std::string::npos ? json::object() : motcua::forms::parse_json(input.substr(split + 1));
  } catch (const motcua::forms::JsonInputError&) {
    return 0;
  }
  try {
    (void)motcua::forms::expression_needs(expr, "/expression");
  } catch (const motcua::forms::ExprError&) {
    return 0;
  }
  auto var = [&](const std::string& pointer) -> json {
    try {
      return dossier.at(json::json_pointer(pointer));
    } catch (const json::exception&) {
      return nullptr;  // what the form model answers for an empty or malformed scope
    }
  };
  (void)motcua::forms::evaluate(expr, var, "2026-11-29");
  return 0;
}
