#include <doctest/doctest.h>

#include "forms/text.h"

using namespace motcua::text;

TEST_CASE("nfc composes decomposed Vietnamese and survives invalid UTF-8") {
  // "Nguyễn" typed as base letters plus combining circumflex and tilde.
  CHECK(nfc("Nguye\xCC\x82\xCC\x83n") == "Nguyễn");
  CHECK(nfc("Nguyễn") == "Nguyễn");
  CHECK(nfc("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(nfc("") == "");
}

TEST_CASE("nfc_in_place keeps the string's allocator and composes") {
  std::pmr::monotonic_buffer_resource pool;
  std::pmr::string s("Vie\xCC\xA3\xCC\x82t Nam", &pool);
  nfc_in_place(s);
  CHECK(s == "Việt Nam");
  CHECK(s.get_allocator().resource() == &pool);
}

TEST_CASE("search keys ignore diacritics, tones, case and spacing") {
  CHECK(search_key("Hà Nội") == "ha noi");
  CHECK(search_key("  HA   noi ") == "ha noi");
  CHECK(search_key("Đà Nẵng") == "da nang");
  CHECK(search_key("Thừa Thiên Huế") == "thua thien hue");
  CHECK(search_matches(search_key("Thành phố Hà Nội"), search_key("ha noi")));
  CHECK_FALSE(search_matches(search_key("Hải Phòng"), search_key("ha noi")));
  CHECK(search_matches(search_key("anything"), ""));
}

TEST_CASE("tone placement does not matter, tones and shapes do") {
  CHECK(tone_placement_key("hoà") == tone_placement_key("hòa"));
  CHECK(tone_placement_key("Thanh Hoá") == tone_placement_key("Thanh Hóa"));
  CHECK(tone_placement_key("thuở") == tone_placement_key("thủơ"));
  CHECK(tone_placement_key("khuyến") == tone_placement_key("khuyến"));
  CHECK(tone_placement_key("hoà") != tone_placement_key("hoá"));   // another tone
  CHECK(tone_placement_key("hoà") != tone_placement_key("hoa"));   // no tone
  CHECK(tone_placement_key("người") != tone_placement_key("ngươi"));
  CHECK(tone_placement_key("hoà bình") == tone_placement_key("hòa bình"));
}

TEST_CASE("code points, not bytes") {
  CHECK(codepoint_count("Việt") == 4);
  CHECK(codepoint_count("Nguye\xCC\x82\xCC\x83n") == 8);
  CHECK(codepoint_count("") == 0);
}
