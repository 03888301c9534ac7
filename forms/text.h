// Vietnamese text rules shared by forms, search and the kiosk.
// Rule: every string that enters the kiosk (keyboard, chip, JSON) goes through nfc() first.
#pragma once
#include <memory_resource>
#include <string>
#include <string_view>

namespace motcua::text {

// NFC form of UTF-8 input; invalid byte sequences become U+FFFD instead of failing.
std::string nfc(std::string_view utf8);

// Key for search: no diacritics, no tones, case-folded, đ→d, single spaces.
// "Hà Nội" and "ha  noi" give the same key.
std::string search_key(std::string_view utf8);

// True when needle's search key occurs inside haystack's search key.
bool search_matches(std::string_view haystack_key, std::string_view needle_key);

// Key for equality that ignores where a tone mark sits in a syllable
// ("hoà" == "hòa", "thuở" == "thủơ") but keeps tones and letter shapes.
std::string tone_placement_key(std::string_view utf8);

// Capitals, as a title on paper ("Đăng ký khai sinh" → "ĐĂNG KÝ KHAI SINH"), NFC.
std::string upper(std::string_view utf8);
std::string capitalized(std::string_view utf8);  // the first letter upper case: "thành viên" → "Thành viên"

// Length in Unicode code points (what JSON Schema and form limits count).
size_t codepoint_count(std::string_view utf8);

// The code points of UTF-8 text; each invalid byte becomes U+FFFD.
std::u32string code_points(std::string_view utf8);
std::string to_utf8(std::u32string_view code_points);


// NFC in place; scratch memory comes from the string's own allocator, so text held in a
// wiped arena never leaves copies on the general heap. Invalid UTF-8 is left unchanged.
void nfc_in_place(std::pmr::string& s);
}  // namespace motcua::text
