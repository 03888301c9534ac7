// Small helpers the command-line tools and the kiosk share.
#pragma once
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace motcua {

// Unusable input for a command: the message names the file or option; the exit status is 2.
struct InputError : std::runtime_error { using std::runtime_error::runtime_error; };

// Reads and parses a JSON file; throws InputError "PATH: cannot open file" or "PATH: invalid JSON: ...".
nlohmann::json read_json_file(const std::string& path);

// The local time formatted with strftime, e.g. "%Y-%m-%d".
std::string local_time(const char* format);
// Now as ISO 8601 with the UTC offset: 2026-11-22T09:05:00+07:00.
std::string iso_local_time();

}  // namespace motcua
