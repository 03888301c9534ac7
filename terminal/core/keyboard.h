// The kiosk's own keyboard, without a window: what one key does to the text being typed.
// Rules: letters compose Vietnamese through vietnamese_input (plain keys with explicit tone and
// shape keys by default, Telex or VNI for people who know them); backspace removes one whole
// character as the citizen sees it; numeric fields get a digit pad; shift makes the next letter
// upper case and names start upper case on their own.
#pragma once
#include <memory_resource>
#include <string>

#include "terminal/core/vietnamese_input.h"

namespace motcua {

enum class KeyboardLayout { Letters, Digits };

struct KeyboardState {
  std::string target;  // the field typed into (a form scope, "lookup.code", "evaluation.comment"); empty: closed
  KeyboardLayout layout = KeyboardLayout::Letters;
  std::string method = "plain";  // plain, telex or vni
  bool shift = false;
  bool name = false;  // a name field: each word starts upper case
  bool digits_only = false;  // ID and phone numbers: the digit pad has no way to letters
  bool money = false;   // an amount: digits only, no leading zero, at most 13 digits
  bool number = false;  // a count ("số bản sao"): a digit typed over a lone 0 replaces it ("2", not "02")
  bool email = false;   // an e-mail address: letters as typed (no tones), digits, "@", ".", "-", "_"; no space
};

// Keys: "a".."z", "0".."9", "tone:acute|grave|hook|tilde|dot", "shape:circumflex|breve|horn|stroke",
// "space", "backspace", "shift", "layout" (letters <-> digits), "method" (plain -> telex -> vni),
// ",", ".", "/", "-" (on the digit pad of a text field: addresses and house numbers);
// for an e-mail address also "@", ".", "-", "_" and "@gmail.com" (the whole ending at once).
// Returns false for a key this layout does not have.
bool press_key(std::pmr::string& text, const std::string& key, KeyboardState& state, TonePlacement placement);

}  // namespace motcua
