#include "tests/support/key_plan.h"

#include <utf8proc.h>

#include "forms/text.h"

namespace motcua::test {

namespace {

bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

// One letter as keys: its base key, its shape and its tone (empty when none).
struct Letter {
  char base = 0;
  bool upper = false;
  std::string shape, tone;
};

bool decompose(char32_t c, Letter& out) {
  if (c == U'đ' || c == U'Đ') {
    out = {'d', c == U'Đ', "shape:stroke", ""};
    return true;
  }
  utf8proc_int32_t parts[8];
  int last = 0;
  auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), parts, 8, UTF8PROC_DECOMPOSE, &last);
  if (n < 1) return false;
  char32_t base = static_cast<char32_t>(parts[0]);
  if (!((base >= 'a' && base <= 'z') || (base >= 'A' && base <= 'Z'))) return false;
  out.upper = base <= 'Z';
  out.base = static_cast<char>(out.upper ? base - 'A' + 'a' : base);
  for (int i = 1; i < n; ++i) switch (parts[i]) {
      case 0x0302: out.shape = "shape:circumflex"; break;
      case 0x0306: out.shape = "shape:breve"; break;
      case 0x031B: out.shape = "shape:horn"; break;
      case 0x0301: out.tone = "tone:acute"; break;
      case 0x0300: out.tone = "tone:grave"; break;
      case 0x0309: out.tone = "tone:hook"; break;
      case 0x0303: out.tone = "tone:tilde"; break;
      case 0x0323: out.tone = "tone:dot"; break;
      default: return false;
    }
  return true;
}

// A word's keys: each shape after its letter or all of them after the word, the tone last.
std::vector<std::string> word_keys(const std::vector<Letter>& word, bool name_start, bool shapes_after_letter) {
  std::vector<std::string> keys, shapes;
  std::string tone;
  for (size_t i = 0; i < word.size(); ++i) {
    const Letter& l = word[i];
    if (l.upper && !(name_start && i == 0)) keys.push_back("shift");
    keys.push_back(std::string(1, l.base));
    if (!l.shape.empty()) {
      if (shapes_after_letter || l.shape == "shape:stroke") keys.push_back(l.shape);
      else if (shapes.empty() || shapes.back() != l.shape) shapes.push_back(l.shape);
    }
    if (!l.tone.empty()) tone = l.tone;
  }
  keys.insert(keys.end(), shapes.begin(), shapes.end());
  if (!tone.empty()) keys.push_back(tone);
  return keys;
}

bool replay(std::pmr::string& typed, KeyboardState& state, const std::vector<std::string>& keys, TonePlacement placement) {
  for (const auto& k : keys)
    if (!press_key(typed, k, state, placement)) return false;
  return true;
}

}  // namespace

KeyPlan plan_keys(const std::string& text, KeyboardState state, TonePlacement placement) {
  KeyPlan plan;
  std::u32string cps = text::code_points(text::nfc(text));
  std::pmr::string typed;
  auto same_so_far = [&](size_t end) {
    return text::tone_placement_key(typed) == text::tone_placement_key(text::to_utf8(cps.substr(0, end)));
  };
  auto push = [&](const std::vector<std::string>& keys) { plan.keys.insert(plan.keys.end(), keys.begin(), keys.end()); };
  auto to_layout = [&](KeyboardLayout want) {
    if (state.layout == want || state.money || state.email) return true;
    KeyboardState try_state = state;
    std::pmr::string scratch = typed;
    if (!press_key(scratch, "layout", try_state, placement)) return false;
    state = try_state;
    plan.keys.push_back("layout");
    return true;
  };
  size_t i = 0;
  while (i < cps.size()) {
    char32_t c = cps[i];
    std::string single;
    if (c == ' ') single = "space";
    else if (c >= '0' && c <= '9') {
      if (!state.email && !to_layout(KeyboardLayout::Digits)) break;
      single = std::string(1, static_cast<char>(c));
    } else if (state.email && (c == '@' || c == '.' || c == '-' || c == '_')) {
      single = std::string(1, static_cast<char>(c));
    } else if (!state.email && (c == ',' || c == '.' || c == '/' || c == '-')) {  // on the digit pad
      if (!to_layout(KeyboardLayout::Digits)) break;
      single = std::string(1, static_cast<char>(c));
    }
    if (!single.empty()) {
      KeyboardState next = state;
      std::pmr::string attempt = typed;
      if (!press_key(attempt, single, next, placement)) break;
      typed = attempt;
      state = next;
      plan.keys.push_back(single);
      ++i;
      if (!same_so_far(i)) break;
      continue;
    }
    if (!is_letter(c)) break;
    size_t end = i;
    std::vector<Letter> word;
    while (end < cps.size() && is_letter(cps[end])) {
      Letter l;
      if (!decompose(cps[end], l)) break;
      word.push_back(l);
      ++end;
    }
    if (word.empty()) break;
    if (state.email) {
      std::vector<std::string> keys;
      for (const auto& l : word) keys.push_back(std::string(1, l.base));
      if (!replay(typed, state, keys, placement)) break;
      push(keys);
      i = end;
      if (!same_so_far(i)) break;
      continue;
    }
    if (!to_layout(KeyboardLayout::Letters)) break;
    bool name_start = state.name && (typed.empty() || typed.back() == ' ');
    bool done = false;
    for (bool after_letter : {false, true}) {
      auto keys = word_keys(word, name_start, after_letter);
      KeyboardState next = state;
      std::pmr::string attempt = typed;
      if (!replay(attempt, next, keys, placement)) continue;
      std::swap(typed, attempt);
      if (same_so_far(end)) {
        state = next;
        push(keys);
        done = true;
        break;
      }
      std::swap(typed, attempt);
    }
    if (!done) break;
    i = end;
  }
  if (i < cps.size()) plan.untypeable = text::to_utf8(cps.substr(i, 1));
  return plan;
}

}  // namespace motcua::test
