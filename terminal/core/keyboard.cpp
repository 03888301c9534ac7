#include "terminal/core/keyboard.h"

#include <cctype>

#include "forms/text.h"
#include "forms/widget_values.h"
#include "terminal/core/personal_data.h"

namespace motcua {

namespace {

// Where the last word starts: letters, including every byte of a multi-byte character.
size_t word_start(const std::pmr::string& text) {
  size_t i = text.size();
  while (i > 0) {
    unsigned char c = static_cast<unsigned char>(text[i - 1]);
    if (c < 0x80 && !std::isalpha(c)) break;
    --i;
  }
  return i;
}

// Applies f to the last word and puts the result back; the word's copy is wiped afterwards.
template <class F>
void edit_word(std::pmr::string& text, F f) {
  size_t start = word_start(text);
  std::string word(text.data() + start, text.size() - start);
  std::string out = f(word);
  text.resize(start);
  text.append(out);
  secure_zero(word.data(), word.size());
  secure_zero(out.data(), out.size());
}

bool upper_next(const std::pmr::string& text, const KeyboardState& s) {
  if (s.shift) return true;
  return s.name && (text.empty() || text.back() == ' ');
}

}  // namespace

bool press_key(std::pmr::string& text, const std::string& key, KeyboardState& s, TonePlacement placement) {
  if (s.money) {  // the pad's digits and backspace; the amount reads grouped on screen, "1.250.000 đ"
    if (key != "backspace" && !(key.size() == 1 && std::isdigit(static_cast<unsigned char>(key[0])))) return false;
    std::string next = forms::money_key(text, key);
    secure_zero(text.data(), text.size());
    text.assign(next);
    secure_zero(next.data(), next.size());
    return true;
  }
  if (s.email) {
    // An address is typed as it is written: no tone composition, no upper case, no spaces.
    if (key == "layout" || key == "backspace") {
    } else if (key == "@gmail.com") {
      text.append(key);
      return true;
    } else if (key == "@" || key == "." || key == "-" || key == "_" ||
               (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0])))) {
      text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(key[0]))));
      return true;
    } else {
      return false;
    }
  }
  if (key == "layout") {
    if (s.digits_only) return false;
    s.layout = s.layout == KeyboardLayout::Letters ? KeyboardLayout::Digits : KeyboardLayout::Letters;
    return true;
  }
  if (key == "method") {
    s.method = s.method == "plain" ? "telex" : s.method == "telex" ? "vni" : "plain";
    return true;
  }
  if (key == "shift") {
    s.shift = !s.shift;
    return true;
  }
  if (key == "space") {
    if (!text.empty() && text.back() != ' ') text.push_back(' ');
    return true;
  }
  if (key == "backspace") {
    // One character as the citizen sees it: a letter with its marks is one code point in NFC.
    size_t i = text.size();
    while (i > 0 && (static_cast<unsigned char>(text[i - 1]) & 0xC0) == 0x80) --i;
    if (i > 0) --i;
    secure_zero(text.data() + i, text.size() - i);
    text.resize(i);
    return true;
  }
  if (key.size() == 1 && std::isdigit(static_cast<unsigned char>(key[0]))) {
    if (s.number && text == "0") text.clear();  // the form's 0 is a start, not a first digit
    if (s.layout == KeyboardLayout::Digits || s.method == "vni") {
      if (s.method == "vni" && s.layout == KeyboardLayout::Letters)
        edit_word(text, [&](const std::string& w) { return type_key(w, key[0], "vni", placement); });
      else
        text.push_back(key[0]);
      return true;
    }
    text.push_back(key[0]);
    return true;
  }
  // An address needs its commas, house numbers their slash ("12/3") and dash ("5-7"): the
  // digit pad of a text field has them, never an ID or phone number's.
  if (key == "," || key == "." || key == "/" || key == "-") {
    if (s.digits_only || s.layout != KeyboardLayout::Digits) return false;
    text.push_back(key[0]);
    return true;
  }
  if (s.layout == KeyboardLayout::Digits) return false;
  if (key.size() == 1 && std::isalpha(static_cast<unsigned char>(key[0]))) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
    bool upper = upper_next(text, s);
    edit_word(text, [&](const std::string& w) {
      std::string out = type_key(w, c, s.method, placement);
      if (upper && !out.empty() && out.size() > w.size() && std::islower(static_cast<unsigned char>(out.back())))
        out.back() = static_cast<char>(std::toupper(static_cast<unsigned char>(out.back())));
      return out;
    });
    s.shift = false;
    return true;
  }
  static const std::pair<const char*, ToneMark> tones[] = {
      {"tone:acute", ToneMark::Acute}, {"tone:grave", ToneMark::Grave}, {"tone:hook", ToneMark::Hook},
      {"tone:tilde", ToneMark::Tilde}, {"tone:dot", ToneMark::Dot},     {"tone:none", ToneMark::None}};
  for (auto& [name, tone] : tones)
    if (key == name) {
      // Captured by copy: clang 14 (the sanitizer and fuzzer build) cannot capture a structured binding.
      edit_word(text, [&, mark = tone](const std::string& w) { return apply_tone(w, mark, placement); });
      return true;
    }
  static const std::pair<const char*, Shape> shapes[] = {
      {"shape:circumflex", Shape::Circumflex}, {"shape:breve", Shape::Breve}, {"shape:horn", Shape::Horn}, {"shape:stroke", Shape::Stroke}};
  for (auto& [name, shape] : shapes)
    if (key == name) {
      edit_word(text, [&, s = shape](const std::string& w) { return apply_shape(w, s, placement); });
      return true;
    }
  return false;
}

}  // namespace motcua
