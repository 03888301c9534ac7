// Every JSON document the kiosk reads from outside (configuration, form packages, scenarios,
// dossiers, answers) goes through here: bounded in size and nesting before anything walks it.
// Rule: nlohmann parses deep input without recursion, but copying, dumping and our own walkers
// recurse, so depth is refused at the door, where the message can still name the file.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace motcua::forms {

// Documented in docs/limits.md. Real forms nest about 12 levels, configurations 4.
inline constexpr size_t kMaxJsonDepth = 64;
inline constexpr size_t kMaxJsonBytes = 16u << 20;  // 16 MiB

// what() says what is wrong and where (byte offset), never the content.
struct JsonInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses text, refusing more than max_bytes, nesting deeper than max_depth and invalid JSON.
nlohmann::json parse_json(std::string_view text, size_t max_depth = kMaxJsonDepth, size_t max_bytes = kMaxJsonBytes);

// Reads and parses a file with the same bounds; the message names the path.
nlohmann::json read_json(const std::string& path, size_t max_depth = kMaxJsonDepth, size_t max_bytes = kMaxJsonBytes);

// Nesting depth of an already built value (a scalar is 0, [] is 1), without recursion;
// stops counting past limit.
size_t json_depth(const nlohmann::json& v, size_t limit);

}  // namespace motcua::forms
