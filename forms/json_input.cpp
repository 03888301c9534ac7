#include "forms/json_input.h"

#include <fstream>
#include <vector>

namespace motcua::forms {

using nlohmann::json;

json parse_json(std::string_view text, size_t max_depth, size_t max_bytes) {
  if (text.size() > max_bytes)
    throw JsonInputError("larger than " + std::to_string(max_bytes) + " bytes (" + std::to_string(text.size()) + ")");
  // The parse callback sees the depth of every value as it opens; refusing there keeps the
  // partial document shallow too.
  auto bounded = [max_depth](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        static_cast<size_t>(depth) >= max_depth)
      throw JsonInputError("nested deeper than " + std::to_string(max_depth) + " levels");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), bounded);
  } catch (const json::parse_error& e) {
    throw JsonInputError(std::string("invalid JSON (") + e.what() + ")");
  } catch (const json::out_of_range& e) {  // 1e400: a number that does not fit a double
    throw JsonInputError(std::string("invalid JSON (") + e.what() + ")");
  }
}

json read_json(const std::string& path, size_t max_depth, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JsonInputError(path + ": cannot open file");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw JsonInputError(path + ": larger than " + std::to_string(max_bytes) + " bytes");
  }
  try {
    return parse_json(text, max_depth, max_bytes);
  } catch (const JsonInputError& e) {
    throw JsonInputError(path + ": " + e.what());
  }
}

size_t json_depth(const json& v, size_t limit) {
  // Breadth by levels: each round holds the containers one level further down.
  std::vector<const json*> level{&v}, next;
  size_t depth = 0;
  while (depth <= limit) {
    next.clear();
    bool any_container = false;
    for (const json* j : level) {
      if (!j->is_structured()) continue;
      any_container = true;
      for (auto& child : *j)
        if (child.is_structured()) next.push_back(&child);
    }
    if (!any_container) return depth;
    ++depth;
    level.swap(next);
  }
  return depth;
}

}  // namespace motcua::forms
