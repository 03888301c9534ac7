// "format" checks for the formats the kiosk asserts on request: date, time, date-time,
// email, uuid, ipv4, ipv6, uri, hostname, duration. Other names and non-strings pass.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace motcua::schema {

bool format_valid(const std::string& format, const nlohmann::json& value);
// The check for a known format name, looked up once when a schema is compiled; nullptr otherwise.
using FormatCheck = bool (*)(std::string_view);
FormatCheck format_check(std::string_view format);
bool format_known(const std::string& format);

bool valid_date(std::string_view s);
bool valid_time(std::string_view s);
bool valid_date_time(std::string_view s);
bool valid_email(std::string_view s);
bool valid_uuid(std::string_view s);
bool valid_ipv4(std::string_view s);
bool valid_ipv6(std::string_view s);
bool valid_uri(std::string_view s);
bool valid_hostname(std::string_view s);
bool valid_duration(std::string_view s);

}  // namespace motcua::schema
