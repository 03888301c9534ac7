// The keys a citizen taps on the kiosk's own keyboard to type a text, in the method the field
// opens with (a letter, then its marks): replayed through press_key, the plan gives the text
// (up to tone placement, which the kiosk compares without). Used to count keystrokes.
#pragma once
#include <string>
#include <vector>

#include "terminal/core/keyboard.h"

namespace motcua::test {

struct KeyPlan {
  std::vector<std::string> keys;  // key ids, as the widgets "key.<id>"
  std::string untypeable;         // the first character no key of this keyboard gives; empty when none
};

// `state` is the keyboard as the field opened it (layout, name, digits only, money, e-mail).
KeyPlan plan_keys(const std::string& text, KeyboardState state, TonePlacement placement);

}  // namespace motcua::test
