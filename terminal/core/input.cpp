#include "terminal/core/input.h"

#include <ctime>
#include <fstream>

#include "forms/json_input.h"

namespace motcua {

nlohmann::json read_json_file(const std::string& path) {
  try {
    return forms::read_json(path);
  } catch (const forms::JsonInputError& e) {
    throw InputError(e.what());
  }
}

std::string local_time(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace motcua

namespace motcua {

std::string iso_local_time() {
  std::string t = local_time("%Y-%m-%dT%H:%M:%S%z");
  if (t.size() >= 5) t.insert(t.size() - 2, 1, ':');  // +0700 -> +07:00
  return t;
}

}  // namespace motcua
