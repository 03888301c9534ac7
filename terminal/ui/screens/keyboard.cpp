#include "terminal/ui/screens/screens.h"

#include <algorithm>

namespace motcua {

float key_scale(Ui& ui);

namespace {

struct Key {
  const char* id;     // the key's name for press_key and the widget id "key.<id>"
  std::string label;
  float width = 1;    // in key widths
  Tone tone = Tone::Secondary;
};

// Each label at the citizen's text size when it fits its key, else as large as fits, never below
// the 100 % size: single letters grow to 200 %, "Dấu cách" shrinks toward 100 % in its key.
void key_row(Ui& ui, const std::vector<Key>& keys, float unit, float height) {
  float inner_pad = 2 * ImGui::GetStyle().FramePadding.x;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) ImGui::SameLine(0, ui.gap_px * 0.5f);
    const Key& k = keys[i];
    std::string id = std::string("key.") + k.id;
    float w = unit * k.width + ui.gap_px * 0.5f * (k.width - 1);
    ImGui::SetWindowFontScale(1.0f);
    float text_w = ImGui::CalcTextSize(k.label.c_str()).x;
    ImGui::SetWindowFontScale(text_w > w - inner_pad ? std::max(key_scale(ui), (w - inner_pad) / text_w) : 1.0f);
    if (big_button(ui, id.c_str(), k.label, k.tone, ImVec2(w, height))) ui.emit(Intent::Kind::KeyPress, k.id);
  }
  ImGui::SetWindowFontScale(1.0f);
}

}  // namespace

// The 100 % size as a scale of the current font: the smallest a key's label gets. Keys stay
// 15 mm or more, and grow with the text size (a key row is as tall as its letters need).
float key_scale(Ui& ui) { return 100.0f / static_cast<float>(ui.session.text_percent()); }

float key_height(Ui& ui) {
  return std::max(ui.touch_px, ui.fonts.body->FontSize + 2 * ImGui::GetStyle().FramePadding.y);
}

float keyboard_height(Ui& ui) {
  if (ui.session.keyboard().target.empty()) return 0;
  return 5 * (key_height(ui) + ImGui::GetStyle().ItemSpacing.y) + ui.mm(5);
}

// The kiosk's keyboard under the screen's content: letters with tone and shape keys (tap the
// letter, then its mark), a digit pad for numbers, and the typing method for those who know one.
void draw_keyboard(Ui& ui) {
  const KeyboardState& kb = ui.session.keyboard();
  if (kb.target.empty()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float avail = ImGui::GetContentRegionAvail().x, w = column_width(ui, avail), total = keyboard_height(ui);
  if (w < avail) {  // under the content's column on a wide screen
    p.x += (avail - w) / 2;
    ImGui::SetCursorScreenPos(p);
  }
  dl->AddRectFilled(ImVec2(p.x - ui.mm(2), p.y), ImVec2(p.x + w + ui.mm(2), p.y + total), ui.pal.track);
  ImGui::BeginChild("keyboard", ImVec2(w, total), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  float unit = (w - 9 * ui.gap_px * 0.5f) / 10, h = key_height(ui);
  std::string method = kb.method == "telex" ? ui.tr("keyboard.telex") : kb.method == "vni" ? ui.tr("keyboard.vni") : ui.tr("keyboard.plain");
  if (kb.layout == KeyboardLayout::Digits) {
    const float third = 10.0f / 3;
    key_row(ui, {{"1", "1", third}, {"2", "2", third}, {"3", "3", third}}, unit, h);
    key_row(ui, {{"4", "4", third}, {"5", "5", third}, {"6", "6", third}}, unit, h);
    key_row(ui, {{"7", "7", third}, {"8", "8", third}, {"9", "9", third}}, unit, h);
    if (kb.digits_only) {  // an ID or phone number holds digits only: no key leads to letters
      key_row(ui, {{"0", "0", 2 * third}, {"backspace", ui.tr("keyboard.backspace"), third, Tone::Quiet}}, unit, h);
      key_row(ui, {{"done", ui.tr("keyboard.done"), 10, Tone::Primary}}, unit, h);
    } else {
      key_row(ui, {{"layout", "ABC", third, Tone::Quiet}, {"0", "0", third}, {"backspace", ui.tr("keyboard.backspace"), third, Tone::Quiet}},
              unit, h);
      // Beside the digits, what an address puts between them: "Số 12/3, ngõ 5-7".
      key_row(ui, {{",", ","}, {".", "."}, {"/", "/"}, {"-", "-"}, {"space", ui.tr("keyboard.space"), 2},
                   {"done", ui.tr("keyboard.done"), 4, Tone::Primary}},
              unit, h);
    }
  } else if (kb.email) {
    // An address: digits on top, plain letters, and the keys an address needs on the bottom row,
    // "@gmail.com" whole (most addresses here end so). No tones, no shift, no space.
    auto row = [](const char* keys) {
      std::vector<Key> out;
      static const char* ids[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                  "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
      static const char* digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
      for (const char* c = keys; *c; ++c) out.push_back({*c >= 'a' ? ids[*c - 'a'] : digits[*c - '0'], std::string(1, *c)});
      return out;
    };
    key_row(ui, row("1234567890"), unit, h);
    key_row(ui, row("qwertyuiop"), unit, h);
    auto row2 = row("asdfghjkl");
    row2.push_back({"backspace", ui.tr("keyboard.backspace"), 1, Tone::Quiet});
    key_row(ui, row2, unit, h);
    auto row3 = row("zxcvbnm");
    row3.push_back({"-", "-"});
    row3.push_back({"_", "_"});
    row3.push_back({".", ".", 1, Tone::Primary});
    key_row(ui, row3, unit, h);
    key_row(ui, {{"@", "@", 1.5f, Tone::Primary}, {"@gmail.com", ui.tr("keyboard.email_domain"), 3.5f, Tone::Quiet},
                 {"done", ui.tr("keyboard.done"), 5, Tone::Primary}},
            unit, h);
  } else {
    bool upper = kb.shift;
    auto letters = [&](const char* row) {
      std::vector<Key> keys;
      for (const char* c = row; *c; ++c) {
        static const char* ids[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
        std::string label(1, upper ? static_cast<char>(*c - 'a' + 'A') : *c);
        keys.push_back({ids[*c - 'a'], label});
      }
      return keys;
    };
    key_row(ui, letters("qwertyuiop"), unit, h);
    auto row2 = letters("asdfghjkl");
    row2.push_back({"backspace", ui.tr("keyboard.backspace"), 1, Tone::Quiet});
    key_row(ui, row2, unit, h);
    auto row3 = letters("zxcvbnm");
    row3.insert(row3.begin(), {"shift", ui.tr("keyboard.shift"), 1.5f, kb.shift ? Tone::Primary : Tone::Quiet});
    row3.push_back({"space", ui.tr("keyboard.space"), 1.5f});
    key_row(ui, row3, unit, h);
    // Marks go on the word just typed: "nguoi" then "ơ ư" then "à" gives "người".
    key_row(ui, {{"tone:acute", "á"}, {"tone:grave", "à"}, {"tone:hook", "ả"}, {"tone:tilde", "ã"}, {"tone:dot", "ạ"},
                 {"shape:circumflex", "â ê ô", 1.6f}, {"shape:breve", "ă", 1.1f}, {"shape:horn", "ơ ư", 1.1f},
                 {"shape:stroke", "đ", 1.1f}},
            unit, h);
    key_row(ui, {{"layout", "123", 1.5f, Tone::Quiet}, {"method", method, 3, Tone::Quiet},
                 {"done", ui.tr("keyboard.done"), 5.5f, Tone::Primary}},
            unit, h);
  }
  ImGui::EndChild();
  record_widget(ui, "keyboard", kb.target);
}

}  // namespace motcua
