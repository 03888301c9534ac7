// libFuzzer target: schema compilation, validation and the regex engine on arbitrary input.
// Input: SCHEMA '\0' INSTANCE. Beyond "no crash, no hang", it checks one property:
// the fast path and the full error list always agree on validity. The errors are read after
// their validator is gone: they keep the schema values they point at (forms/schema/params.h).
// And a list kept across inputs, written over (Validator::validate's second form), must hold
// the same errors as a fresh one.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "forms/json_input.h"
#include "forms/schema/messages.h"
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

  // Documents arrive through the bounded parse, as everywhere in the kiosk.
  nlohmann::json schema, instance;
  try {
    schema = motcua::forms::parse_json(schema_text);
    instance = motcua::forms::parse_json(instance_text);
  } catch (const motcua::forms::JsonInputError&) {
    return 0;
  }
  std::vector<motcua::schema::ValidationError> errors;
  try {
    motcua::schema::Validator v(schema);
    bool fast = v.valid(instance);
    errors = v.validate(instance);
    if (fast != errors.empty()) std::abort();
    static std::vector<motcua::schema::ValidationError> carried;  // what earlier inputs left in it
    if (v.validate(instance, carried) != fast || carried.size() != errors.size()) std::abort();
    for (size_t i = 0; i < errors.size(); ++i)
      if (carried[i].instance_location != errors[i].instance_location ||
          carried[i].keyword_location != errors[i].keyword_location || carried[i].keyword != errors[i].keyword ||
          !(carried[i].params == errors[i].params))
        std::abort();
  } catch (const motcua::schema::SchemaError&) {
  }
  for (auto& e : errors) {
    (void)motcua::schema::error_message(e, "vi");
    (void)nlohmann::json(e.params).dump();
  }
  return 0;
}
