// libFuzzer target: the satisfaction survey file (assets/survey/*.json), which a province
// replaces without a rebuild. Refusals are InputError (the bounded JSON parse's included); any
// other exception (json::type_error from json::value on a non-object) is a finding.
#include <cstdint>
#include <string_view>

#include "forms/json_input.h"
#include "terminal/core/input.h"
#include "terminal/core/survey.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    nlohmann::json doc = motcua::forms::parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)motcua::Survey::parse(doc, "fuzz.json", {"vi", "en"});
  } catch (const motcua::forms::JsonInputError&) {
  } catch (const motcua::InputError&) {
  }
  return 0;
}
