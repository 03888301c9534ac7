// The bundled administrative units and their loader. The counts below are the official ones of
// the 2025 reorganisation (Nghị quyết 202/2025/QH15 and 1654-1687/NQ-UBTVQH15): a dropped,
// doubled or mistyped row in the transcription changes one of them.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "forms/admin_units.h"
#include "forms/text.h"

using namespace motcua::forms;

namespace {
const AdminUnits& bundled() {
  static AdminUnits units = AdminUnits::load(std::string(MOTCUA_SOURCE_ROOT) + "/assets/places/vn-2025-07-01.csv");
  return units;
}
std::string expect_error(std::string_view text) {
  try {
    AdminUnits::parse(text, "units.csv");
  } catch (const AdminUnitsError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the bundled units are the 34 provinces and 3321 units of July 2025, by kind and province") {
  const AdminUnits& u = bundled();
  CHECK(u.version() == "2025-07-01");
  REQUIRE(u.provinces().size() == 34);
  CHECK(u.units().size() == 3321);
  std::map<std::string, int> kinds;
  for (const auto& unit : u.units()) {
    std::string kind = unit.name.rfind("Phường ", 0) == 0 ? "phuong" : unit.name.rfind("Xã ", 0) == 0 ? "xa"
                       : unit.name.rfind("Đặc khu ", 0) == 0 ? "dac khu" : "other";
    ++kinds[kind];
    CHECK_MESSAGE(motcua::text::nfc(unit.name) == unit.name, unit.code);
  }
  CHECK(kinds["xa"] == 2621);
  CHECK(kinds["phuong"] == 687);
  CHECK(kinds["dac khu"] == 13);
  CHECK(kinds["other"] == 0);
  // Per-province totals as published with the Standing Committee's resolutions.
  std::map<std::string, size_t> expected = {
      {"01", 126}, {"04", 56},  {"08", 124}, {"11", 45},  {"12", 38},  {"14", 75},  {"15", 99},  {"19", 92},  {"20", 65},
      {"22", 54},  {"24", 99},  {"25", 148}, {"31", 114}, {"33", 104}, {"37", 129}, {"38", 166}, {"40", 130}, {"42", 69},
      {"44", 78},  {"46", 40},  {"48", 94},  {"51", 96},  {"52", 135}, {"56", 65},  {"66", 102}, {"68", 124}, {"75", 95},
      {"79", 168}, {"80", 96},  {"82", 102}, {"86", 124}, {"91", 102}, {"92", 103}, {"96", 64}};
  for (const auto& p : u.provinces()) CHECK_MESSAGE(p.units.size() == expected[p.code], std::string(p.code + " " + p.name));
  // Kinds within a province as published with the resolutions (An Giang: 1654/NQ-UBTVQH15, Điều 1
  // khoản 97: 85 xã, 14 phường, 03 đặc khu).
  auto kinds_in = [&](const char* code) {
    std::map<std::string, int> k;
    for (const auto& p : u.provinces())
      if (p.code == code)
        for (size_t i : p.units) ++k[u.units()[i].name.substr(0, u.units()[i].name.find(' '))];
    return k;
  };
  CHECK(kinds_in("01") == std::map<std::string, int>{{"Phường", 51}, {"Xã", 75}});
  CHECK(kinds_in("48") == std::map<std::string, int>{{"Phường", 23}, {"Xã", 70}, {"Đặc", 1}});
  CHECK(kinds_in("79") == std::map<std::string, int>{{"Phường", 113}, {"Xã", 54}, {"Đặc", 1}});
  CHECK(kinds_in("91") == std::map<std::string, int>{{"Phường", 14}, {"Xã", 85}, {"Đặc", 3}});
  std::set<std::string> codes;
  for (const auto& unit : u.units()) codes.insert(unit.code);
  CHECK(codes.size() == 3321);
}

TEST_CASE("units are found by their official code and by a search that ignores diacritics and tones") {
  const AdminUnits& u = bundled();
  const AdminUnit* lam_binh = u.unit("02266");
  REQUIRE(lam_binh);
  CHECK(lam_binh->name == "Xã Lâm Bình");
  CHECK(u.provinces()[lam_binh->province].name == "Tỉnh Tuyên Quang");
  const Province* tq = u.province_named("Tỉnh Tuyên Quang");
  REQUIRE(tq);
  size_t total = 0;
  auto found = u.search("lam binh", tq, 6, &total);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->code == "02266");
  // Across the whole country: "Hoàn Kiếm" typed without marks, and with the old tone placement.
  found = u.search("hoan kiem", nullptr, 6, &total);
  REQUIRE(total == 1);
  CHECK(found[0]->name == "Phường Hoàn Kiếm");
  CHECK(u.search("Hoà Bình", nullptr, 50, &total).size() == total);
  CHECK(total == u.search("hoa binh", nullptr, 50).size());
  CHECK(total >= 5);  // a common name: wards and communes in several provinces
  // The limit caps what is returned, never the count.
  auto first = u.search("", tq, 6, &total);
  CHECK(first.size() == 6);
  CHECK(total == 124);
  CHECK(first[0]->name == "Xã Thượng Lâm");  // the official list's order
  CHECK(u.search_provinces("ho chi minh").size() == 1);
  CHECK(u.search_provinces("").size() == 34);
  CHECK(u.unit("99999") == nullptr);
}

TEST_CASE("an unusable units file names the line and the fault") {
  CHECK(expect_error("01,Hà Nội\n") == "units.csv:1: the file must start with \"version,<date>\"");
  CHECK(expect_error("version,1\n00070,Phường Hoàn Kiếm\n") == "units.csv:2: unit 00070 comes before any province");
  CHECK(expect_error("version,1\n01,Hà Nội\n00070,A\n00070,B\n") == "units.csv:4: code 00070 is used twice (first on line 3)");
  CHECK(expect_error("version,1\n01,Hà Nội\n0007,A\n") ==
        "units.csv:3: code \"0007\" is neither a 2-digit province nor a 5-digit unit code");
  CHECK(expect_error("version,1\n01,Hà Nội\n04,Cao Bằng\n01273,X\n") == "units.csv:3: province 01 has no units");
  CHECK(expect_error("version,1\n01,Hà Nội\n00070\n") == "units.csv:3: expected \"code,name\"");
  CHECK(expect_error("# only a comment\nversion,1\n# note\n01,Hà Nội\n00070,Phường Hoàn Kiếm\r\n").empty());
  CHECK_THROWS_AS(AdminUnits::load("/nonexistent/units.csv"), AdminUnitsError);
}
