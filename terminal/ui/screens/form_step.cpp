#include "terminal/ui/screens/screens.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include <imgui_internal.h>

#include "forms/admin_units.h"
#include "forms/dates.h"
#include "forms/display.h"
#include "forms/text.h"
#include "forms/widget_values.h"
#include "terminal/core/answer_lines.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/core/personal_data.h"

namespace motcua {

namespace {

void label_line(Ui& ui, const std::string& label);
void draw_elements(Ui& ui, const std::vector<forms::Element>& elements, const std::string& prefix, bool& jump);

// Under the year: the decades the field's bounds allow, then the years of the chosen decade.
void year_grid(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  auto today = forms::parse_ymd(local_time("%Y-%m-%d"));
  if (!today) return;
  forms::DateBounds b = forms::date_bounds(control, *today);
  int decade = s.year_grid_decade();
  const auto* value = s.data().find(scope);
  auto current = value ? forms::parse_ymd(std::string_view(*value)) : std::nullopt;
  int set_year = current ? current->y : 0;
  ImVec2 top = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, pad = ui.mm(2);
  ImGui::GetWindowDrawList()->ChannelsSplit(2);
  ImGui::GetWindowDrawList()->ChannelsSetCurrent(1);
  ImGui::Indent(pad);
  paragraph(ui, decade ? ui.tr("date.choose_year") : ui.tr("date.choose_decade"));
  std::vector<std::pair<int, std::string>> cells;  // what a tap sends, what it says
  if (!decade) {
    for (int d = b.min.y / 10 * 10; d <= b.max.y; d += 10) cells.push_back({d, std::to_string(d) + "–" + std::to_string(d + 9)});
  } else {
    for (int y = std::max(decade, b.min.y); y <= std::min(decade + 9, b.max.y); ++y) cells.push_back({y, std::to_string(y)});
  }
  int per_row = decade ? 5 : 3;
  float gap = ImGui::GetStyle().ItemSpacing.x, cw = (w - 2 * pad - gap * (per_row - 1)) / per_row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i % per_row) ImGui::SameLine();
    std::string id = "date" + scope + (decade ? ".year." : ".decade.") + std::to_string(cells[i].first);
    // The year (or decade) the date has now is filled, as a chosen option is.
    bool now = set_year && (decade ? set_year == cells[i].first : set_year / 10 * 10 == cells[i].first);
    if (big_button(ui, id.c_str(), cells[i].second, now ? Tone::Primary : Tone::Secondary, ImVec2(cw, 0)))
      ui.emit(decade ? Intent::Kind::ChooseYear : Intent::Kind::YearGrid, scope, cells[i].first);
  }
  if (decade && big_button(ui, ("date" + scope + ".decades").c_str(), ui.tr("date.decades"), Tone::Quiet, ImVec2(w - 2 * pad, 0)))
    ui.emit(Intent::Kind::YearGrid, scope, 0);
  ImGui::Unindent(pad);
  ImGui::Dummy(ImVec2(0, pad));
  ImGui::GetWindowDrawList()->ChannelsSetCurrent(0);
  ImVec2 bottom(top.x + w, ImGui::GetItemRectMax().y);
  ImGui::GetWindowDrawList()->AddRectFilled(top, bottom, ui.pal.track, ui.mm(1.5f));
  ImGui::GetWindowDrawList()->ChannelsMerge();
}

// Day, month and year as three big steppers: no typing, no format to learn, never an impossible date.
void date_picker(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  const std::string& lang = s.language();
  ImGui::TextUnformatted(control.label.in(lang).c_str());
  ui.announce.push_back(control.label.in(lang));
  const auto* value = s.data().find(scope);
  int y = 0, m = 0, d = 0;
  bool set = value && std::sscanf(value->c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3;
  struct Part { const char* name; std::string label; int value; int change; bool tens; };
  const Part parts[] = {{"day", ui.tr("date.day"), d, 1, false}, {"month", ui.tr("date.month"), m, 2, false},
                        {"year", ui.tr("date.year"), y, 3, true}};
  float w = ImGui::GetContentRegionAvail().x, b = ui.touch_px * 1.1f;
  // A row as tall as its buttons, which grow with the text: the number sits level with them.
  const float row_h = line_button_height(ui);
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  for (auto& p : parts) {
    std::string base = "date" + scope + "." + p.name;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(p.label.c_str());
    ImGui::SameLine(w * 0.22f);
    float tens_w = std::max(b, ImGui::CalcTextSize("+10").x + 2 * ImGui::GetStyle().FramePadding.x);
    if (p.tens && big_button(ui, (base + ".minus10").c_str(), "-10", Tone::Quiet, ImVec2(tens_w, row_h)))
      ui.emit(Intent::Kind::AdjustDate, scope, -10 * p.change);
    if (p.tens) ImGui::SameLine();
    if (big_button(ui, (base + ".minus").c_str(), "-", Tone::Secondary, ImVec2(b, row_h)))
      ui.emit(Intent::Kind::AdjustDate, scope, -p.change);
    ImGui::SameLine();
    char shown[16];
    std::snprintf(shown, sizeof shown, p.tens ? "%04d" : "%02d", p.value);
    ImGui::PushFont(ui.fonts.title);
    ImVec2 at = ImGui::GetCursorScreenPos();
    float vw = ImGui::CalcTextSize("0000").x + ui.mm(4);
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + (vw - ImGui::CalcTextSize(shown).x) / 2, at.y + (row_h - ImGui::GetFontSize()) / 2),
                                        set && !disabled ? ui.pal.text : ui.pal.muted, set ? shown : (p.tens ? "----" : "--"));
    ImGui::PopFont();
    if (p.tens) {
      // The year itself opens a grid: a decade, then the year, two taps to 1961.
      std::string grid_id = base + ".grid";
      if (ImGui::InvisibleButton(grid_id.c_str(), ImVec2(vw, row_h))) ui.emit(Intent::Kind::YearGrid, scope, 0);
      ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), disabled ? ui.pal.border : ui.pal.primary,
                                          ui.mm(1), 0, 2.0f);
      record_widget(ui, grid_id, ui.tr("date.choose_year"), !disabled);
    } else {
      ImGui::Dummy(ImVec2(vw, row_h));
    }
    ImGui::SameLine();
    if (big_button(ui, (base + ".plus").c_str(), "+", Tone::Secondary, ImVec2(b, row_h)))
      ui.emit(Intent::Kind::AdjustDate, scope, p.change);
    if (p.tens) {
      ImGui::SameLine();
      if (big_button(ui, (base + ".plus10").c_str(), "+10", Tone::Quiet, ImVec2(tens_w, row_h)))
        ui.emit(Intent::Kind::AdjustDate, scope, 10 * p.change);
    }
  }
  // Or typed on the digit pad, day month year: a date far from today is eight keys, not many steps.
  if (!disabled && !s.locked_from_card(scope)) {
    std::string target = "date:" + scope;
    auto& typed = s.data().field(target);
    inline_text_field(ui, ("datetype" + scope).c_str(), ui.tr("date.type"), typed, target, w * 0.22f, ui.tr("date.type_hint").c_str());
    forms::TypedDate read = forms::read_typed_date(typed);
    auto today = forms::parse_ymd(local_time("%Y-%m-%d"));
    std::string why;
    if (read.complete && !read.date) {
      why = ui.tr("date.not_real");
    } else if (read.date && today) {
      forms::DateBounds b = forms::date_bounds(control, *today);
      if (*read.date < b.min || *read.date > b.max) {
        why = ui.tr("date.out_of_bounds");
        for (auto [key, value] : {std::pair<std::string, std::string>{"{min}", forms::dmy(b.min)}, {"{max}", forms::dmy(b.max)}})
          if (size_t at = why.find(key); at != std::string::npos) why.replace(at, key.size(), value);
      }
    }
    if (!why.empty()) {
      paragraph(ui, why, ui.pal.danger);
      record_widget(ui, "datewrong" + scope, why);
    }
  }
  record_widget(ui, "field" + scope, set ? "set" : "", false);
  if (s.year_grid() == scope) year_grid(ui, control, scope);
}

// Hour and minute as big steppers: no typing, no format to learn, never a time that is not one.
// The minutes also move by ten, so any time is a few taps away.
void time_picker(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  label_line(ui, control.label.in(s.language()));
  const auto* value = s.data().find(scope);
  auto t = value ? forms::parse_time_of_day(std::string_view(*value)) : std::nullopt;
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  struct Part { const char* name; std::string label; int value; int change, big; };
  const Part parts[] = {{"hour", ui.tr("time.hour"), t ? t->h : 0, 60, 0}, {"minute", ui.tr("time.minute"), t ? t->m : 0, 1, 10}};
  ImGui::PushFont(ui.fonts.title);
  float digits_h = ImGui::GetFontSize(), vw = ImGui::CalcTextSize("00").x + ui.mm(8);
  ImGui::PopFont();
  // Rows as tall as the big digits, buttons wide enough for a thumb at every text size.
  float w = ImGui::GetContentRegionAvail().x, rh = std::max(ui.touch_px, digits_h + ui.mm(3));
  float b = std::max(ui.touch_px * 1.3f, ImGui::GetFontSize() * 2.2f);
  float big_w = std::max(b, ImGui::CalcTextSize("+10").x + 2 * ImGui::GetStyle().FramePadding.x);
  float label_w = std::max(w * 0.18f, std::max(ImGui::CalcTextSize(parts[0].label.c_str()).x, ImGui::CalcTextSize(parts[1].label.c_str()).x) + ui.mm(3));
  for (auto& p : parts) {
    std::string base = "time" + scope + "." + p.name;
    ImGui::AlignTextToFramePadding();
    float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (rh - ImGui::GetFontSize()) / 2 - ImGui::GetStyle().FramePadding.y);
    ImGui::TextUnformatted(p.label.c_str());
    ImGui::SameLine(label_w);
    ImGui::SetCursorPosY(y);
    if (p.big && big_button(ui, (base + ".minus10").c_str(), "–10", Tone::Quiet, ImVec2(big_w, rh)))
      ui.emit(Intent::Kind::AdjustTime, scope, -p.big);
    if (p.big) ImGui::SameLine();
    if (!p.big) ImGui::Dummy(ImVec2(big_w, rh)), ImGui::SameLine();  // hours and minutes line up
    if (big_button(ui, (base + ".minus").c_str(), "–", Tone::Secondary, ImVec2(b, rh)))
      ui.emit(Intent::Kind::AdjustTime, scope, -p.change);
    ImGui::SameLine();
    char shown[16];
    std::snprintf(shown, sizeof shown, "%02d", p.value);
    const char* text = t ? shown : "--";
    ImGui::PushFont(ui.fonts.title);
    ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + (vw - ImGui::CalcTextSize(text).x) / 2, at.y + (rh - ImGui::GetFontSize()) / 2),
                                        t && !disabled ? ui.pal.text : ui.pal.muted, text);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(vw, rh));
    ImGui::SameLine();
    if (big_button(ui, (base + ".plus").c_str(), "+", Tone::Secondary, ImVec2(b, rh)))
      ui.emit(Intent::Kind::AdjustTime, scope, p.change);
    if (p.big) {
      ImGui::SameLine();
      if (big_button(ui, (base + ".plus10").c_str(), "+10", Tone::Quiet, ImVec2(big_w, rh)))
        ui.emit(Intent::Kind::AdjustTime, scope, p.big);
    }
  }
  // The whole time once more, as it will be read on the review: "08:30".
  std::string whole = value ? forms::time_shown(std::string_view(*value)) : std::string();
  paragraph(ui, whole.empty() ? ui.tr("time.unset") : ui.tr("time.chosen", {{"time", whole}}), whole.empty() ? ui.pal.muted : ui.pal.text);
  record_widget(ui, "time" + scope, whole);
  if (!whole.empty()) ui.announce.push_back(whole);
}

// One tick for a yes/no question: a large box with a drawn tick and the question beside it; the
// whole row takes the tap. Unticked is an answer too (false).
void yes_no_tick(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  const auto* value = s.data().find(scope);
  bool on = value && forms::tick_value(std::string_view(*value));
  std::string label = control.label.in(s.language());
  float w = ImGui::GetContentRegionAvail().x, box = std::max(ui.mm(14), ImGui::GetFontSize() * 1.5f), pad = ui.mm(3);
  float text_w = w - box - 3 * pad;
  ImVec2 text_size = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
  float h = std::max({ui.touch_px * 1.3f, box + 2 * pad, text_size.y + 2 * pad});
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  ImVec2 p = ImGui::GetCursorScreenPos();
  std::string id = "field" + scope;
  if (ImGui::InvisibleButton(id.c_str(), ImVec2(w, h))) ui.emit(Intent::Kind::ToggleOption, scope, 0);
  bool held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 edge = disabled ? ui.pal.border : ui.pal.primary, ink = disabled ? ui.pal.muted : ui.pal.text;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), held ? ui.pal.secondary_pressed : ui.pal.surface, ui.mm(2));
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), on ? edge : ui.pal.border, ui.mm(2), 0, std::max(2.0f, ui.mm(on ? 0.8f : 0.5f)));
  ImVec2 b0(p.x + pad, p.y + (h - box) / 2), b1(b0.x + box, b0.y + box);
  float line = std::max(3.0f, box * 0.08f);
  dl->AddRectFilled(b0, b1, on && !disabled ? ui.pal.primary : ui.pal.surface, ui.mm(1.5f));
  dl->AddRect(b0, b1, edge, ui.mm(1.5f), 0, line);
  if (on) {  // a tick drawn, not a font glyph: thick, in the box's own contrast colour
    ImU32 mark = disabled ? ui.pal.muted : ui.pal.on_primary;
    dl->AddLine(ImVec2(b0.x + box * 0.2f, b0.y + box * 0.52f), ImVec2(b0.x + box * 0.42f, b0.y + box * 0.76f), mark, line * 1.6f);
    dl->AddLine(ImVec2(b0.x + box * 0.42f, b0.y + box * 0.76f), ImVec2(b0.x + box * 0.82f, b0.y + box * 0.24f), mark, line * 1.6f);
  }
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(b1.x + pad, p.y + (h - text_size.y) / 2), ink, label.c_str(), nullptr, text_w);
  record_widget(ui, id, label, !disabled);
  record_widget(ui, "yes-no" + scope, on ? "yes" : "no");
  ui.announce.push_back(label + ": " + (on ? ui.tr("yes_no.ticked") : ui.tr("yes_no.unticked")));
}

// An amount typed on the digit pad, shown as a bill writes it while it is typed: "1.250.000 đ".
// The box takes the tap (and a physical keyboard's digits); the amount itself is kept as digits.
void money_field(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  label_line(ui, control.label.in(s.language()));
  const auto* value = s.data().find(scope);
  std::string shown = value ? forms::money_shown(std::string_view(*value), s.language()) : std::string();
  bool typing = s.keyboard().target == scope;
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  float w = ImGui::GetContentRegionAvail().x, pad = ui.mm(3);
  ImGui::PushFont(ui.fonts.title);
  float h = std::max(ui.touch_px, ImGui::GetFontSize() + 2 * pad);
  ImVec2 p = ImGui::GetCursorScreenPos();
  std::string id = "field" + scope;
  // Focus on the press, as a text box does: the keyboard of the field left closes or changes at
  // once and moves the page, so by the release the box is no longer under the finger.
  ImGui::InvisibleButton(id.c_str(), ImVec2(w, h));
  if (ImGui::IsItemActivated() && !typing) ui.emit(Intent::Kind::FocusField, scope);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), disabled ? ui.pal.track : ui.pal.surface, ui.mm(1));
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), typing ? ui.pal.primary : ui.pal.border, ui.mm(1), 0, typing ? 3.0f : 2.0f);
  std::string text = shown.empty() ? "0 đ" : shown;
  // Right-aligned as on a bill, the "đ" last; a caret before it while the pad types here.
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImVec2 at(p.x + w - pad - size.x, p.y + (h - ImGui::GetFontSize()) / 2);
  dl->AddText(at, shown.empty() || disabled ? ui.pal.muted : ui.pal.text, text.c_str());
  if (typing) {
    float cx = at.x + size.x - ImGui::CalcTextSize(" đ").x + 2;
    dl->AddLine(ImVec2(cx, at.y), ImVec2(cx, at.y + ImGui::GetFontSize()), ui.pal.primary, 2.0f);
  }
  ImGui::PopFont();
  record_widget(ui, id, control.label.in(s.language()), !disabled);
  record_widget(ui, "money" + scope, shown);
  if (typing) {
    // A physical keyboard (and a scenario's "type") reaches the amount as the pad would.
    ImGuiIO& io = ImGui::GetIO();
    for (ImWchar c : io.InputQueueCharacters)
      if (c >= '0' && c <= '9') ui.emit(Intent::Kind::KeyPress, std::string(1, static_cast<char>(c)));
    if (io.InputQueueCharacters.Data)
      secure_zero(io.InputQueueCharacters.Data, static_cast<size_t>(io.InputQueueCharacters.Size) * sizeof(ImWchar));
    io.InputQueueCharacters.resize(0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) ui.emit(Intent::Kind::KeyPress, "backspace");
    float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowHeight();
    if (p.y < top || p.y + h > bottom) ImGui::SetScrollHereY(0.4f);
  }
  if (!shown.empty()) ui.announce.push_back(shown);
}

// An e-mail address: the letter keyboard with "@" and "." keys, no tones; checked against the
// schema's "format": "email" once the citizen leaves the field.
void email_field(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  std::string id = "field" + scope;
  if (text_field(ui, id.c_str(), control.label.in(s.language()), s.data().field(scope), scope, s.locked_from_card(scope)))
    ui.emit(Intent::Kind::FieldTouched, scope);
  const auto* value = s.data().find(scope);
  record_widget(ui, "email" + scope, value ? std::string(*value) : std::string());
  paragraph(ui, ui.tr("email.example"), ui.pal.muted);
}

// "Hướng dẫn": what to write in this field and an example, on a tinted sheet under the button.
// By the field's scope, not the control's: each repeat item's button opens its own sheet.
void help_sheet(Ui& ui, const forms::Element& control, const std::string& scope) {
  const Session& s = ui.session;
  const std::string& lang = s.language();
  bool open = s.help_open() == scope;
  std::string id = "help" + scope;
  std::string label = open ? ui.tr("help.close") : ui.tr("help.open");
  float w_label = ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x + ui.mm(2);
  if (big_button(ui, id.c_str(), label, Tone::Quiet, ImVec2(std::min(ImGui::GetContentRegionAvail().x, std::max(ui.mm(45), w_label)), 0)))
    ui.emit(Intent::Kind::ShowHelp, scope);
  if (!open) return;
  std::string text = control.help.in(lang);
  if (!control.example.empty()) text.append("\n").append(ui.tr("help.example", {{"example", control.example.in(lang)}}));
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, pad = ui.mm(3);
  float h = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 2 * pad).y + 2 * pad;
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.track, ui.mm(1.5f));
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad, p.y + pad), ui.pal.text,
                                      text.c_str(), nullptr, w - 2 * pad);
  ImGui::Dummy(ImVec2(w, h));
  ui.widgets["help.sheet"] = {p, ImVec2(p.x + w, p.y + h), text, false};
  if (s.read_aloud()) ui.announce.push_back(text);
}


// Radio and dropdown alike: every option a full-width button, the chosen one filled.
void choice_buttons(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  label_line(ui, control.label.in(s.language()));
  const auto* value = s.data().find(scope);
  auto options = forms::choices(*s.form(), control, scope);
  for (size_t i = 0; i < options.size(); ++i) {
    const auto& v = options[i].value;
    bool chosen = value && std::string_view(*value) == (v.is_string() ? v.get<std::string>() : v.dump());
    std::string id = "option" + scope + "." + std::to_string(i);
    std::string label = options[i].label.in(s.language());
    if (mark_button(ui, id.c_str(), label, chosen, true)) ui.emit(Intent::Kind::ChooseOption, scope, static_cast<int>(i));
  }
}

// Several answers: every option a toggle, the chosen ones filled and marked.
void checkbox_buttons(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  label_line(ui, control.label.in(s.language()));
  paragraph(ui, ui.tr("checkboxes.hint"), ui.pal.muted);
  const auto* value = s.data().find(scope);
  std::string_view all = value ? std::string_view(*value) : std::string_view();
  auto options = forms::choices(*s.form(), control, scope);
  for (size_t i = 0; i < options.size(); ++i) {
    const auto& v = options[i].value;
    std::string ov = v.is_string() ? v.get<std::string>() : v.dump();
    bool chosen = false;
    for (std::string_view line : lines_of(all)) chosen |= line == ov;
    std::string id = "option" + scope + "." + std::to_string(i);
    if (mark_button(ui, id.c_str(), options[i].label.in(s.language()), chosen, false))
      ui.emit(Intent::Kind::ToggleOption, scope, static_cast<int>(i));
  }
}

// One entry of a long list as the screen offers it: its words and what choosing it sends.
struct ListEntry {
  std::string label;
  int number;
};

// A long list: the choice so far, a search box that ignores diacritics, tone placement, spaces
// and hyphens, and the first six matches as buttons. `find` gives the matches for a folded
// needle (at most six) and returns how many match in all. Ids: field<id>, search<id>, option<id>.N.
void long_list(Ui& ui, const std::string& id, const std::string& label, const std::string& chosen, bool list_without_search,
               const std::function<size_t(const std::string& needle, std::vector<ListEntry>& shown)>& find,
               Intent::Kind kind, const std::string& intent_arg) {
  Session& s = ui.session;
  std::string search_scope = "search:" + id;
  // While the citizen types into the search box the list comes to the top: the matches stay in
  // view above the keyboard.
  if (s.keyboard().target == search_scope) ImGui::SetScrollHereY(0.0f);
  label_line(ui, label);
  auto& search = s.data().field(search_scope);
  // Chosen and not being changed: the list folds to the answer and one "Đổi" button.
  if (!chosen.empty() && s.keyboard().target != search_scope && search.empty()) {
    std::string change = ui.tr("list.change");
    float change_w = std::max(ImGui::CalcTextSize(change.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x, ui.touch_px * 1.6f);
    float w = ImGui::GetContentRegionAvail().x - change_w - ui.gap_px;
    float pad = ImGui::GetStyle().FramePadding.x, box = std::max(ui.mm(7), ImGui::GetFontSize() * 0.9f);
    ImVec2 text_size = ImGui::CalcTextSize(chosen.c_str(), nullptr, false, w - 3 * pad - box);
    float h = std::max(ui.touch_px, text_size.y + 2 * ImGui::GetStyle().FramePadding.y);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.surface, ui.mm(2));
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), ui.pal.primary, ui.mm(2), 0, std::max(2.0f, ui.mm(0.6f)));
    ImVec2 b0(p.x + pad, p.y + (h - box) / 2);
    float line = std::max(3.0f, box * 0.13f);
    dl->AddLine(ImVec2(b0.x + box * 0.15f, b0.y + box * 0.55f), ImVec2(b0.x + box * 0.4f, b0.y + box * 0.8f), ui.pal.success, line);
    dl->AddLine(ImVec2(b0.x + box * 0.4f, b0.y + box * 0.8f), ImVec2(b0.x + box * 0.9f, b0.y + box * 0.2f), ui.pal.success, line);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(b0.x + box + pad, p.y + (h - text_size.y) / 2), ui.pal.text,
                chosen.c_str(), nullptr, w - 3 * pad - box);
    ImGui::Dummy(ImVec2(w, h));
    record_widget(ui, "field" + id, chosen);
    ui.announce.push_back(chosen);
    ImGui::SameLine(0, ui.gap_px);
    if (big_button(ui, ("change" + id).c_str(), change, Tone::Secondary, ImVec2(change_w, h)))
      ui.emit(Intent::Kind::FocusField, search_scope);
    return;
  }
  paragraph(ui, chosen.empty() ? ui.tr("list.none_chosen") : ui.tr("list.chosen", {{"label", chosen}}),
            chosen.empty() ? ui.pal.muted : ui.pal.text);
  record_widget(ui, "field" + id, chosen);
  text_field(ui, ("search" + id).c_str(), ui.tr("list.search"), search, search_scope);
  std::string needle = forms::compact_search_key(std::string(search));
  // Long lists wait for a search; short ones show at once, also when "Đổi" reopened them.
  if (!list_without_search && needle.empty()) return;
  std::vector<ListEntry> shown;
  size_t matches = find(needle, shown);
  for (const ListEntry& e : shown) {
    std::string option_id = "option" + id + "." + std::to_string(e.number);
    if (big_button(ui, option_id.c_str(), e.label, Tone::Secondary)) ui.emit(kind, intent_arg, e.number);
  }
  if (matches > shown.size()) paragraph(ui, ui.tr("list.more", {{"count", std::to_string(matches - shown.size())}}), ui.pal.muted);
  if (matches == 0) paragraph(ui, ui.tr("list.no_match"), ui.pal.danger);
}

// A list from the form (ethnicities, nationalities): its options, searched by their labels.
void searchable_list(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  const std::string& lang = s.language();
  const auto* value = s.data().find(scope);
  auto options = forms::choices(*s.form(), control, scope);
  std::string chosen;
  for (const auto& o : options)
    if (value && std::string_view(*value) == (o.value.is_string() ? o.value.get<std::string>() : o.value.dump())) chosen = o.label.in(lang);
  long_list(ui, scope, control.label.in(lang), chosen, true,
            [&](const std::string& needle, std::vector<ListEntry>& shown) {
              size_t n = 0;
              for (size_t i = 0; i < options.size(); ++i) {
                std::string label = options[i].label.in(lang);
                if (!needle.empty() && !text::search_matches(forms::compact_search_key(label), needle)) continue;
                if (++n <= 6) shown.push_back({label, static_cast<int>(i)});
              }
              return n;
            },
            Intent::Kind::ChooseOption, scope);
}

// An address after the 2025 reorganisation: the province from the 34, the commune, ward or
// special zone from that province's list (or, before a province is chosen, from the whole
// country: people often know their commune better than its new province), then the street.
void address_picker(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  const forms::AdminUnits* places = s.places();
  label_line(ui, control.label.in(s.language()));
  if (!places) return;  // the kiosk always loads one; only a session built without it lands here
  auto parts = forms::address_parts(*s.form(), scope);
  auto has = [&](const char* part) { return std::find(parts.begin(), parts.end(), part) != parts.end(); };
  auto value_of = [&](const char* part) {
    const auto* v = s.data().find(scope + "/" + part);
    return v ? std::string(*v) : std::string();
  };
  ImGui::Indent(ui.mm(3));
  std::string province_name = value_of("province");
  const forms::Province* province = places->province_named(province_name);
  // Someone searching the whole country for a commune does not need the provinces offered.
  const auto* commune_search = s.data().find("search:" + scope + "/commune");
  bool searching_commune = commune_search && !commune_search->empty();
  long_list(ui, scope + "/province", ui.tr("address.province"), province_name, !searching_commune,
            [&](const std::string& needle, std::vector<ListEntry>& shown) {
              auto found = places->search_provinces(needle);
              for (size_t i = 0; i < found.size() && i < 6; ++i)
                shown.push_back({found[i]->name, static_cast<int>(found[i] - places->provinces().data())});
              return found.size();
            },
            Intent::Kind::ChooseProvince, scope);
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  if (!province) paragraph(ui, ui.tr("address.whole_country"), ui.pal.muted);
  long_list(ui, scope + "/commune", ui.tr("address.commune"), value_of("commune"), province != nullptr,
            [&](const std::string& needle, std::vector<ListEntry>& shown) {
              size_t total = 0;
              for (const forms::AdminUnit* u : places->search(needle, province, 6, &total)) {
                std::string label = u->name;
                if (!province) label += ", " + places->provinces()[u->province].name;
                shown.push_back({label, std::atoi(u->code.c_str())});
              }
              return total;
            },
            Intent::Kind::ChooseUnit, scope);
  if (has("street")) {
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    std::string sub = scope + "/street", id = "field" + sub;
    if (text_field(ui, id.c_str(), ui.tr("address.street"), s.data().field(sub), sub)) ui.emit(Intent::Kind::FieldTouched, sub);
  }
  paragraph(ui, ui.tr("address.source", {{"version", display_date(places->version())}}), ui.pal.muted);
  ImGui::Unindent(ui.mm(3));
}

// A pad to sign with a finger; the ink becomes a PNG in the dossier when the finger lifts.
void signature_pad(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  label_line(ui, control.label.in(s.language()));
  float w = ImGui::GetContentRegionAvail().x, h = w / 3;
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(255, 255, 255, 255), ui.mm(1));
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), ui.pal.border, ui.mm(1), 0, 2.0f);
  dl->AddLine(ImVec2(p.x + w * 0.08f, p.y + h * 0.78f), ImVec2(p.x + w * 0.92f, p.y + h * 0.78f), ui.pal.border, 1.0f);
  std::string id = "sign" + scope;
  ImGui::InvisibleButton(id.c_str(), ImVec2(w, h));
  auto point = [&]() {
    ImVec2 m = ImGui::GetIO().MousePos;
    int x = static_cast<int>(std::clamp((m.x - p.x) / w, 0.0f, 1.0f) * 9999), y = static_cast<int>(std::clamp((m.y - p.y) / h, 0.0f, 1.0f) * 9999);
    return x * 10000 + y;
  };
  if (ImGui::IsItemActivated()) ui.emit(Intent::Kind::SignStart, scope, point());
  else if (ImGui::IsItemActive() && (ImGui::GetIO().MouseDelta.x != 0 || ImGui::GetIO().MouseDelta.y != 0))
    ui.emit(Intent::Kind::SignPoint, scope, point());
  if (ImGui::IsItemDeactivated()) ui.emit(Intent::Kind::SignEnd, scope, point());
  if (ImGui::IsItemActivated()) set_inking(true);
  if (ImGui::IsItemDeactivated()) set_inking(false);
  // The ink as the session holds it: "x,y x,y|x,y ...".
  const auto* strokes = s.data().find("sig:" + scope);
  if (strokes && !strokes->empty()) {
    std::string_view all(*strokes);
    ImVec2 last;
    bool have = false;
    size_t at = 0;
    while (at < all.size()) {
      size_t end = all.find_first_of(" |", at);
      if (end == std::string_view::npos) end = all.size();
      int x = 0, y = 0;
      if (std::sscanf(std::string(all.substr(at, end - at)).c_str(), "%d,%d", &x, &y) == 2) {
        ImVec2 q(p.x + x / 9999.0f * w, p.y + y / 9999.0f * h);
        if (have) dl->AddLine(last, q, IM_COL32(10, 30, 90, 255), ui.mm(0.7f));
        last = q;
        have = true;
      }
      if (end < all.size() && all[end] == '|') have = false;
      at = end + 1;
    }
  }
  const auto* value = s.data().find(scope);
  record_widget(ui, "field" + scope, value && !value->empty() ? "signed" : "", true);
  std::string clear_id = "signclear" + scope;
  if (big_button(ui, clear_id.c_str(), ui.tr("signature.clear"), Tone::Quiet, ImVec2(ui.mm(60), 0)))
    ui.emit(Intent::Kind::SignClear, scope);
}

// A value the form works out (an age, a fee): read-only words in a tinted box, never a text box.
void computed_value(Ui& ui, const forms::Element& control, const std::string& scope) {
  Session& s = ui.session;
  const std::string& lang = s.language();
  label_line(ui, control.label.in(lang));
  const auto* value = s.data().find(scope);
  std::string text = forms::display_value(*s.form(), control, scope, value ? std::string_view(*value) : std::string_view(), lang);
  bool empty = text.empty();
  if (empty) text = "—";
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, pad = ui.mm(3);
  ImGui::PushFont(ui.fonts.title);
  float h = std::max(ui.touch_px, ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 2 * pad).y + 2 * pad);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.track, ui.mm(1.5f));
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad, p.y + (h - ImGui::GetFontSize()) / 2),
              empty ? ui.pal.muted : ui.pal.text, text.c_str(), nullptr, w - 2 * pad);
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(w, h));
  record_widget(ui, "value" + scope, empty ? "" : text);
  paragraph(ui, ui.tr("form.computed"), ui.pal.muted);
  if (!empty) ui.announce.push_back(text);
}

// One question at `scope` (a repeat item's fields carry its index), its help and its errors.
void draw_control(Ui& ui, const forms::Element& control, const std::string& scope, bool& jump) {
  Session& s = ui.session;
  if (jump && !s.step_errors().empty() && s.step_errors().front().scope == scope) {
    ImGui::SetScrollHereY(0.1f);
    jump = false;
  }
  const std::string& w = control.widget;
  std::string id = "field" + scope;
  if (w == "value" || s.computed(scope)) {
    computed_value(ui, control, scope);
  } else if (w == "date") {
    date_picker(ui, control, scope);
  } else if (w == "radio" || w == "dropdown") {
    choice_buttons(ui, control, scope);
  } else if (w == "searchable-list") {
    searchable_list(ui, control, scope);
  } else if (w == "address") {
    address_picker(ui, control, scope);
  } else if (w == "checkboxes") {
    checkbox_buttons(ui, control, scope);
  } else if (w == "signature") {
    signature_pad(ui, control, scope);
  } else if (w == "time") {
    time_picker(ui, control, scope);
  } else if (w == "yes-no") {
    yes_no_tick(ui, control, scope);
  } else if (w == "money") {
    money_field(ui, control, scope);
  } else if (w == "email") {
    email_field(ui, control, scope);
  } else if (text_field(ui, id.c_str(), control.label.in(s.language()), s.data().field(scope), scope,
                        s.locked_from_card(scope), w == "textarea" ? 4 : 1)) {
    ui.emit(Intent::Kind::FieldTouched, scope);
  }
  if (s.from_card(scope)) {
    // Where the value came from, and whether it may be changed, under the field.
    // A card whose signature could not be checked is said so: the citizen is the check.
    bool verified = s.card_verification() == CardVerification::Valid;
    paragraph(ui, s.locked_from_card(scope) ? ui.tr("form.from_card_locked")
                  : verified                ? ui.tr("form.from_card")
                                            : ui.tr("form.from_card_unverified"),
              verified ? ui.pal.success : ui.pal.text);
    record_widget(ui, "from_card" + scope, s.locked_from_card(scope) ? "locked" : verified ? "editable" : "unverified");
  }
  for (auto& e : s.step_errors()) {
    if (e.scope != scope) continue;
    // The error stands right under its field (above its "Hướng dẫn"), marked by a bar and words,
    // not by colour alone.
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Indent(ui.mm(3));
    paragraph(ui, e.message, ui.pal.danger);
    ImGui::Unindent(ui.mm(3));
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ui.mm(1), ImGui::GetItemRectMax().y), ui.pal.danger);
    record_widget(ui, "error" + scope, e.message);
  }
  if (!control.help.empty()) help_sheet(ui, control, scope);
  if (!control.help.empty()) ui.announce.push_back(control.help.in(s.language()));  // for "read the help"
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
}

// A list the citizen adds to: each item framed with its number and a remove button.
void draw_repeat(Ui& ui, const forms::Element& repeat, const std::string& prefix, bool& jump) {
  Session& s = ui.session;
  const std::string scope = prefix + repeat.scope;
  if (!repeat.label.empty()) heading(ui, repeat.label.in(s.language()));
  int n = s.item_count(scope);
  // An item just added comes into view, its number at the top: below the fold, "+ Thêm" would
  // seem to do nothing. Counted per visit (a new visit's first frame counts afresh), so a step
  // shown again does not move; one pair of numbers per list, not one per visit.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID count_key = ImGui::GetID(("count" + scope).c_str()), visit_key = ImGui::GetID(("visit" + scope).c_str());
  const int visit = static_cast<int>(s.generation());
  const int counted = storage->GetInt(visit_key, -1) == visit ? storage->GetInt(count_key, -1) : -1;
  storage->SetInt(count_key, n);
  storage->SetInt(visit_key, visit);
  for (int i = 0; i < n; ++i) {
    std::string item = scope + "/" + std::to_string(i);
    ImVec2 top = ImGui::GetCursorScreenPos();
    if (counted >= 0 && n > counted && i == n - 1) ImGui::SetScrollHereY(0.05f);
    ImGui::Indent(ui.mm(3));  // the item's name too, clear of the bar that marks the item
    paragraph(ui, repeat_word(ui.strings, s.language(), repeat, RepeatWord::Item, i + 1), ui.pal.muted);
    draw_elements(ui, repeat.elements, item, jump);
    std::string remove_id = "repeat.remove" + item;
    // On one line when it fits: the item's own name can be longer than "Xoá mục này".
    std::string remove = repeat_word(ui.strings, s.language(), repeat, RepeatWord::Remove);
    float remove_w = std::min(ImGui::GetContentRegionAvail().x,
                              std::max(ui.mm(70), ImGui::CalcTextSize(remove.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x + ui.mm(2)));
    if (big_button(ui, remove_id.c_str(), remove, Tone::Quiet, ImVec2(remove_w, 0)))
      ui.emit(Intent::Kind::AskRemoveItem, scope, i);
    ImGui::Unindent(ui.mm(3));
    ImGui::GetWindowDrawList()->AddRectFilled(top, ImVec2(top.x + ui.mm(1), ImGui::GetItemRectMax().y), ui.pal.border);
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
  }
  for (auto& e : s.step_errors())
    if (e.scope == scope) {
      paragraph(ui, e.message, ui.pal.danger);
      record_widget(ui, "error" + scope, e.message);
    }
  std::string add_id = "repeat.add" + scope;
  if (big_button(ui, add_id.c_str(), repeat_word(ui.strings, s.language(), repeat, RepeatWord::Add), Tone::Secondary))
    ui.emit(Intent::Kind::AddItem, scope);
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
}

void draw_elements(Ui& ui, const std::vector<forms::Element>& elements, const std::string& prefix, bool& jump) {
  Session& s = ui.session;
  for (const forms::Element& e : elements) {
    // The form's rules decide: hidden is not drawn (nor focusable, nor read), disabled is drawn
    // faded with a line saying so, and nothing in it takes a tap.
    if (!s.shown(e, prefix)) continue;
    bool on = s.enabled(e, prefix);
    ImGui::BeginGroup();
    if (!on) {
      // The reason reads at full contrast; what it is about is faded.
      if (e.kind != forms::Element::Kind::Note) {
        paragraph(ui, ui.tr("form.unavailable"), ui.pal.muted);
        record_widget(ui, "unavailable" + prefix + (e.scope.empty() ? e.where : e.scope), ui.tr("form.unavailable"));
      }
      ImGui::BeginDisabled();
    }
    switch (e.kind) {
      case forms::Element::Kind::Control: draw_control(ui, e, prefix + e.scope, jump); break;
      case forms::Element::Kind::Group:
        if (!e.label.empty()) paragraph(ui, e.label.in(s.language()), ui.pal.muted);
        draw_elements(ui, e.elements, prefix, jump);
        break;
      case forms::Element::Kind::Repeat: draw_repeat(ui, e, prefix, jump); break;
      case forms::Element::Kind::Note:
        paragraph(ui, e.text.in(s.language()));
        ImGui::Dummy(ImVec2(0, ui.mm(2)));
        break;
    }
    if (!on) ImGui::EndDisabled();
    ImGui::EndGroup();
    // Every element drawn, by its place in the package and its repeat item, with its state:
    // what tests compare with the model's own answer (forms::FormModel::shown).
    record_widget(ui, "element" + e.where + "@" + prefix, on ? "enabled" : "disabled");
  }
}

void label_line(Ui& ui, const std::string& label) {
  ImGui::PushStyleColor(ImGuiCol_Text, ui.pal.text);
  ImGui::TextWrapped("%s", label.c_str());
  ImGui::PopStyleColor();
  ui.announce.push_back(label);
}
}  // namespace

void draw_form_step(Ui& ui) {
  Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  const forms::Step& step = form.steps[static_cast<size_t>(s.form_step())];
  begin_content(ui, true, keyboard_height(ui));
  // Only the steps that apply count: one the rules skip is neither shown nor numbered.
  int total = std::max(1, s.step_count());
  paragraph(ui, ui.tr("form.progress", {{"current", std::to_string(s.step_number())}, {"total", std::to_string(total)}}));
  // Progress as a bar too, so it reads without numbers.
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, h = ui.mm(2);
  float done = std::min(1.0f, static_cast<float>(s.step_number()) / static_cast<float>(total));
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.track, h);
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w * done, p.y + h), ui.pal.primary, h);
  ImGui::Dummy(ImVec2(w, h + ui.mm(2)));

  heading(ui, step.title.in(s.language()));
  if (s.card_data_wiped()) {
    // The card left the reader: what it gave is gone, and the citizen is told how to get it back.
    paragraph(ui, ui.tr("form.card_wiped"), ui.pal.danger);
    record_widget(ui, "form.card_wiped", ui.tr("form.card_wiped"));
    if (big_button(ui, "form.reread_card", ui.tr("form.reread_card"), Tone::Secondary)) ui.emit(Intent::Kind::UseCard);
  }
  if (!s.step_errors().empty()) {
    // The summary names the fields, so nobody has to hunt for the red lines.
    std::string fields;
    for (auto& e : s.step_errors()) {
      const forms::Element* c = s.control_at(e.scope);
      std::string label = c ? c->label.in(s.language()) : e.scope;
      if (fields.find(label) == std::string::npos) fields += (fields.empty() ? "" : ", ") + label;
    }
    paragraph(ui, ui.tr("form.errors", {{"count", std::to_string(s.step_errors().size())}, {"fields", fields}}), ui.pal.danger);
    record_widget(ui, "form.errors", fields);
  }
  // After a refused Next the first field with an error comes into view, once per refusal.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  // A new step starts at its top, wherever the last one was scrolled to.
  ImGuiID step_key = ImGui::GetID("step_shown");
  int shown = static_cast<int>(s.generation()) * 1000 + s.form_step();  // a new visit starts at the top too
  if (storage->GetInt(step_key, -1) != shown) ImGui::SetScrollY(0);
  storage->SetInt(step_key, shown);
  ImGuiID seen_key = ImGui::GetID("refused_nexts_seen");
  bool jump = storage->GetInt(seen_key, 0) != static_cast<int>(s.refused_nexts());
  storage->SetInt(seen_key, static_cast<int>(s.refused_nexts()));
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  draw_elements(ui, step.elements, "", jump);
  end_content(ui);
  draw_keyboard(ui);
  bool last = s.last_step();
  nav_bar(ui, ui.tr("nav.back"), "nav.next", last ? ui.tr("form.to_review") : ui.tr("nav.next"));
}

}  // namespace motcua
