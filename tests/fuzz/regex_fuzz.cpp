// libFuzzer target: the ECMA-262 regex parser, compiler and Pike VM.
// Input: PATTERN '\n' TEXT. Refusals are RegexError; anything else is a finding.
#include <cstdint>
#include <string>

#include "forms/schema/regex.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string pattern = input.substr(0, nl), text = nl == std::string::npos ? "" : input.substr(nl + 1);
  try {
    motcua::schema::Regex re(pattern);
    (void)re.search(text);
    (void)re.search(pattern);
  } catch (const motcua::schema::RegexError&) {
  }
  return 0;
}
