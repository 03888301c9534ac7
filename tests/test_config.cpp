#include <doctest/doctest.h>

#include "terminal/config.h"

using namespace motcua;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_config(text, "kiosk.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("an empty configuration gives working defaults") {
  KioskConfig c = parse_config("{}", "kiosk.json");
  CHECK(c.locales.front() == "vi");
  CHECK(c.more_time_seconds >= 20);
  CHECK(c.center_name.count("vi") == 1);
  CHECK(c.center_name.count("en") == 1);
}

TEST_CASE("values are read and normalised") {
  KioskConfig c = parse_config(R"({"kioskId": "HN-01", "idleSeconds": 60, "moreTimeSeconds": 25,
      "locales": ["vi"], "centerName": {"vi": "Trung tâm Hoa\u0300n Kiếm"}, "minTouchMm": 18.5})", "kiosk.json");
  CHECK(c.kiosk_id == "HN-01");
  CHECK(c.idle_seconds == 60);
  CHECK(c.more_time_seconds == 25);
  CHECK(c.min_touch_mm == doctest::Approx(18.5));
  CHECK(c.center_name.at("vi") == "Trung tâm Hoàn Kiếm");
}

TEST_CASE("bad configurations name the file and the key") {
  std::string e = error_of(R"({"idelSeconds": 60})");
  CHECK(e.find("kiosk.json") != std::string::npos);
  CHECK(e.find("unknown key \"idelSeconds\"") != std::string::npos);
  CHECK(e.find("idleSeconds") != std::string::npos);  // lists what it knows

  e = error_of(R"({"moreTimeSeconds": 10})");
  CHECK(e.find("\"moreTimeSeconds\"") != std::string::npos);
  CHECK(e.find("20") != std::string::npos);

  e = error_of(R"({"idleSeconds": "ninety"})");
  CHECK(e.find("\"idleSeconds\"") != std::string::npos);
  CHECK(e.find("\"ninety\"") != std::string::npos);

  e = error_of(R"({"locales": ["vi", "km"]})");
  CHECK(e.find("centerName") != std::string::npos);
  CHECK(e.find("km") != std::string::npos);

  CHECK(error_of("{\"kioskId\": ").find("invalid JSON") != std::string::npos);
  CHECK(error_of("[]").find("object") != std::string::npos);
}
