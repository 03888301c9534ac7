#include <doctest/doctest.h>

#include "forms/text.h"
#include "terminal/core/keyboard.h"
#include "terminal/core/personal_data.h"
#include "terminal/core/vietnamese_input.h"

using namespace motcua;

namespace {
std::string typed(const std::string& keys, const std::string& method, TonePlacement p = TonePlacement::Modern) {
  std::string word;
  for (char k : keys) word = type_key(word, k, method, p);
  return word;
}
}  // namespace

TEST_CASE("Telex: the hard cases land their tones on the right vowel") {
  const std::pair<const char*, const char*> table[] = {
      {"nguwowif", "người"}, {"nguoiwf", "người"}, {"khuyeens", "khuyến"}, {"gias", "giá"},   {"quar", "quả"},
      {"thuowr", "thuở"},   {"dduwowngf", "đường"}, {"Vieetj", "Việt"},  {"ddaays", "đấy"}, {"hoaf", "hoà"},
      {"thuyr", "thuỷ"},    {"toans", "toán"},     {"cuwus", "cứu"},    {"ngoaif", "ngoài"}, {"gif", "gì"},
      {"Nguyeenx", "Nguyễn"}, {"NAM", "NAM"},      {"w", "ư"},          {"tuaans", "tuấn"}, {"hoangf", "hoàng"},
  };
  for (const auto& row : table) CHECK_MESSAGE(typed(row.first, "telex") == row.second, row.first);
}

TEST_CASE("the classic placement puts the tone on the first vowel of oa, oe, uy in open syllables") {
  CHECK(typed("hoaf", "telex", TonePlacement::Classic) == "hòa");
  CHECK(typed("thuyr", "telex", TonePlacement::Classic) == "thủy");
  CHECK(typed("hoangf", "telex", TonePlacement::Classic) == "hoàng");  // closed syllable: unchanged
  CHECK(text::tone_placement_key(typed("hoaf", "telex", TonePlacement::Classic)) ==
        text::tone_placement_key(typed("hoaf", "telex", TonePlacement::Modern)));
}

TEST_CASE("Telex: typing a key twice takes it back") {
  CHECK(typed("ass", "telex") == "as");
  CHECK(typed("aaa", "telex") == "aa");
  CHECK(typed("aww", "telex") == "aw");
  CHECK(typed("tasz", "telex") == "ta");
  CHECK(typed("bs", "telex") == "bs");  // no vowel yet: the key is a letter
}

TEST_CASE("VNI: digits for tones and shapes") {
  CHECK(typed("nguo7i2", "vni") == "người");
  CHECK(typed("khuye6n1", "vni") == "khuyến");
  CHECK(typed("d9uo7ng2", "vni") == "đường");
  CHECK(typed("hoa2", "vni") == "hoà");
  CHECK(typed("hoa2", "vni", TonePlacement::Classic) == "hòa");
  CHECK(typed("a8n1", "vni") == "ắn");
  CHECK(typed("ba10", "vni") == "ba");
}

TEST_CASE("explicit tone and shape keys: tap the letters, then the tone, in any order") {
  CHECK(apply_tone("nguoi", ToneMark::Grave, TonePlacement::Modern) == "nguòi");
  CHECK(apply_tone(apply_shape("nguoi", Shape::Horn, TonePlacement::Modern), ToneMark::Grave, TonePlacement::Modern) == "người");
  CHECK(apply_shape(apply_tone("nguoi", ToneMark::Grave, TonePlacement::Modern), Shape::Horn, TonePlacement::Modern) == "người");
  CHECK(apply_shape(apply_tone("thuo", ToneMark::Hook, TonePlacement::Modern), Shape::Horn, TonePlacement::Modern) == "thuở");
  CHECK(apply_tone(apply_shape("duong", Shape::Horn, TonePlacement::Modern), ToneMark::Grave, TonePlacement::Modern) == "dường");
  CHECK(apply_shape("dong", Shape::Stroke, TonePlacement::Modern) == "đong");
  CHECK(apply_tone("giá", ToneMark::Acute, TonePlacement::Modern) == "gia");  // the same tone again removes it
  CHECK(apply_tone("Hoa", ToneMark::Grave, TonePlacement::Classic) == "Hòa");
  std::string out = apply_tone("khuyen", ToneMark::Acute, TonePlacement::Modern);
  CHECK(text::nfc(out) == out);
}

TEST_CASE("the kiosk keyboard: letters then marks, a whole character per backspace, digits, names in capitals") {
  PersonalData data;
  auto& text = data.field("x");
  KeyboardState kb;
  auto press = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys) press_key(text, k, kb, TonePlacement::Modern);
  };
  press({"n", "g", "u", "o", "i", "shape:horn", "tone:grave"});
  CHECK(text == "người");
  press({"space", "space", "d", "shape:stroke", "u", "o", "n", "g", "shape:horn", "tone:grave"});
  CHECK(text == "người đường");  // a second space is swallowed
  press({"backspace"});
  CHECK(text == "người đườn");
  press({"backspace", "backspace", "backspace"});
  CHECK(text == "người đ");
  text.clear();
  press({"h", "o", "a", "tone:grave"});
  CHECK(text == "hoà");
  CHECK(press_key(text, "tone:none", kb, TonePlacement::Modern));
  CHECK(text == "hoa");
  press_key(text, "tone:grave", kb, TonePlacement::Classic);
  CHECK(text == "hòa");

  text.clear();
  kb.name = true;
  press({"t", "r", "a", "a", "n", "space", "b", "i", "n", "h"});
  CHECK(text == "Traan Binh");  // plain keys: "aa" is two letters; the circumflex is its own key
  text.clear();
  kb.method = "telex";
  press({"t", "r", "a", "a", "n", "f", "space", "b", "i", "n", "h", "f"});
  CHECK(text == "Trần Bình");
  kb.name = false;
  press({"method"});
  CHECK(kb.method == "vni");
  text.clear();
  press({"t", "h", "u", "o", "7", "3"});
  CHECK(text == "thuở");

  kb.layout = KeyboardLayout::Digits;
  text.clear();
  CHECK_FALSE(press_key(text, "a", kb, TonePlacement::Modern));  // no letters on the digit pad
  press({"0", "0", "1", "2"});
  CHECK(text == "0012");
  press({"shift", "layout"});
  CHECK(kb.layout == KeyboardLayout::Letters);
  press({"k"});
  CHECK(text == "0012K");
  CHECK_FALSE(kb.shift);  // shift is for one letter

  // An address's punctuation: on a text field's digit pad, never an ID number's.
  text.clear();
  kb.layout = KeyboardLayout::Digits;
  press({"1", "2", "/", "3", ",", "space", "5", "-", "7", "."});
  CHECK(text == "12/3, 5-7.");
  kb.digits_only = true;
  for (const char* k : {",", ".", "/", "-"}) CHECK_FALSE(press_key(text, k, kb, TonePlacement::Modern));
  kb.digits_only = false;
  kb.layout = KeyboardLayout::Letters;  // the letters have no such key on screen
  CHECK_FALSE(press_key(text, ",", kb, TonePlacement::Modern));
  CHECK(text == "12/3, 5-7.");

  // A count that starts at the form's 0: the first digit replaces it; a later 0 is a digit.
  KeyboardState count;
  count.layout = KeyboardLayout::Digits;
  count.number = true;
  text = "0";
  for (const char* k : {"2", "0"}) press_key(text, k, count, TonePlacement::Modern);
  CHECK(text == "20");
}
