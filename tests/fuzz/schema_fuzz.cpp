// libFuzzer target: schema compilation, validation and the regex engine on arbitrary input.
// Input: SCHEMA '\0' INSTANCE. Beyond "no crash, no hang", it checks one property:
// the fast path and the full error list always agree on validity.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "forms/schema/regex.h"
#include "forms/schema/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string schema_text = input.substr(0, split);
  std::string instance_text = split == std::string::npos ? "null" : input.substr(split + 1);

  // The regex engine alone: the first line as a pattern, the rest as text.
  try {
    motcua::schema::Regex re(schema_text.substr(0, schema_text.find('\n')));
    (void)re.search(instance_text);
  } catch (const motcua::schema::RegexError&) {
  }

  auto schema = nlohmann::json::parse(schema_text, nullptr, false);
  auto instance = nlohmann::json::parse(instance_text, nullptr, false);
  if (schema.is_discarded() || instance.is_discarded()) return 0;
  try {
    motcua::schema::Validator v(schema);
    bool fast = v.valid(instance);
    bool full = v.validate(instance).empty();
    if (fast != full) std::abort();
  } catch (const motcua::schema::SchemaError&) {
  }
  return 0;
}
