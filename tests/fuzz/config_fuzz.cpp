// libFuzzer target: the kiosk configuration reader. Refusals are ConfigError; any other
// exception (the "stoi" of an escaped std::out_of_range, json::type_error) is a finding.
#include <cstdint>
#include <string>

#include "terminal/core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    motcua::parse_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const motcua::ConfigError&) {
  }
  return 0;
}
