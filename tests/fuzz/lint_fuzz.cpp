// libFuzzer target: what `motcua form lint` and the kiosk do with a form package file: the
// position scanner over the raw text, the linter, and the loader. Refusals are lint issues or
// PackageError; any other exception escaping is a finding.
#include <cstdint>
#include <string>

#include "forms/json_input.h"
#include "forms/json_positions.h"
#include "forms/lint.h"
#include "forms/package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json package_schema =
      motcua::forms::read_json(MOTCUA_SOURCE_ROOT "/assets/schemas/form-package.schema.json");
  std::string text(reinterpret_cast<const char*>(data), size);
  auto positions = motcua::forms::json_positions(text);
  (void)motcua::forms::position_of(positions, "/ui/steps/0/elements/0");
  nlohmann::json doc;
  try {
    doc = motcua::forms::parse_json(text);
  } catch (const motcua::forms::JsonInputError&) {
    return 0;
  }
  (void)motcua::forms::lint_package(doc, package_schema);
  try {
    motcua::forms::parse_package(doc, "fuzz.json");
  } catch (const motcua::forms::PackageError&) {
  }
  return 0;
}
