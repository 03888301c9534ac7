#include "terminal/screens/screens.h"

namespace motcua {

namespace {

// Day, month and year as three big steppers: no typing, no format to learn, never an impossible date.
void date_picker(Ui& ui, const forms::Element& control) {
  Session& s = ui.session;
  const std::string& lang = s.language();
  ImGui::TextUnformatted(control.label.in(lang).c_str());
  ui.announce.push_back(control.label.in(lang));
  const auto* value = s.data().find(control.scope);
  int y = 0, m = 0, d = 0;
  bool set = value && std::sscanf(value->c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3;
  struct Part { const char* name; std::string label; int value; int change; bool tens; };
  const Part parts[] = {{"day", ui.tr("date.day"), d, 1, false}, {"month", ui.tr("date.month"), m, 2, false},
                        {"year", ui.tr("date.year"), y, 3, true}};
  float w = ImGui::GetContentRegionAvail().x, b = ui.touch_px * 1.1f;
  for (auto& p : parts) {
    std::string base = "date" + control.scope + "." + p.name;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(p.label.c_str());
    ImGui::SameLine(w * 0.22f);
    float tens_w = std::max(b, ImGui::CalcTextSize("+10").x + 2 * ImGui::GetStyle().FramePadding.x);
    if (p.tens && big_button(ui, (base + ".minus10").c_str(), "-10", Tone::Quiet, ImVec2(tens_w, ui.touch_px)))
      ui.emit(Intent::Kind::AdjustDate, control.scope, -10 * p.change);
    if (p.tens) ImGui::SameLine();
    if (big_button(ui, (base + ".minus").c_str(), "-", Tone::Secondary, ImVec2(b, ui.touch_px)))
      ui.emit(Intent::Kind::AdjustDate, control.scope, -p.change);
    ImGui::SameLine();
    char shown[16];
    std::snprintf(shown, sizeof shown, p.tens ? "%04d" : "%02d", p.value);
    ImGui::PushFont(ui.fonts.title);
    ImVec2 at = ImGui::GetCursorScreenPos();
    float vw = ImGui::CalcTextSize("0000").x + ui.mm(4);
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + (vw - ImGui::CalcTextSize(shown).x) / 2, at.y + (ui.touch_px - ImGui::GetFontSize()) / 2),
                                        set ? ui.pal.text : ui.pal.muted, set ? shown : (p.tens ? "----" : "--"));
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(vw, ui.touch_px));
    ImGui::SameLine();
    if (big_button(ui, (base + ".plus").c_str(), "+", Tone::Secondary, ImVec2(b, ui.touch_px)))
      ui.emit(Intent::Kind::AdjustDate, control.scope, p.change);
    if (p.tens) {
      ImGui::SameLine();
      if (big_button(ui, (base + ".plus10").c_str(), "+10", Tone::Quiet, ImVec2(tens_w, ui.touch_px)))
        ui.emit(Intent::Kind::AdjustDate, control.scope, 10 * p.change);
    }
  }
  record_widget(ui, "field" + control.scope, set ? std::string(*value) : "", false);
}

// "Hướng dẫn": what to write in this field and an example, on a tinted sheet under the button.
void help_sheet(Ui& ui, const forms::Element& control) {
  const Session& s = ui.session;
  const std::string& lang = s.language();
  bool open = s.help_open() == control.scope;
  std::string id = "help" + control.scope;
  std::string label = open ? ui.tr("help.close") : ui.tr("help.open");
  float w_label = ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x + ui.mm(2);
  if (big_button(ui, id.c_str(), label, Tone::Quiet, ImVec2(std::min(ImGui::GetContentRegionAvail().x, std::max(ui.mm(45), w_label)), 0)))
    ui.emit(Intent::Kind::ShowHelp, control.scope);
  if (!open) return;
  std::string text = control.help.in(lang);
  if (!control.example.empty()) text += "\n" + ui.tr("help.example", {{"example", control.example.in(lang)}});
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

}  // namespace

void draw_form_step(Ui& ui) {
  Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  const forms::Step& step = form.steps[static_cast<size_t>(s.form_step())];
  begin_content(ui, true, keyboard_height(ui));
  paragraph(ui, ui.tr("form.progress", {{"current", std::to_string(s.form_step() + 1)},
                                        {"total", std::to_string(form.steps.size())}}));
  // Progress as a bar too, so it reads without numbers.
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, h = ui.mm(2);
  float done = static_cast<float>(s.form_step() + 1) / static_cast<float>(form.steps.size());
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
    for (auto& e : s.step_errors())
      for (auto& c : step.controls)
        if (c->scope == e.scope && fields.find(c->label.in(s.language())) == std::string::npos)
          fields += (fields.empty() ? "" : ", ") + c->label.in(s.language());
    paragraph(ui, ui.tr("form.errors", {{"count", std::to_string(s.step_errors().size())}, {"fields", fields}}), ui.pal.danger);
    record_widget(ui, "form.errors", fields);
  }
  // After a refused Next the first field with an error comes into view, once per refusal.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  ImGuiID seen_key = ImGui::GetID("refused_nexts_seen");
  bool jump = storage->GetInt(seen_key, 0) != static_cast<int>(s.refused_nexts());
  storage->SetInt(seen_key, static_cast<int>(s.refused_nexts()));
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  for (auto& control : step.controls) {
    std::string id = "field" + control->scope;
    if (jump && !s.step_errors().empty() && s.step_errors().front().scope == control->scope) {
      ImGui::SetScrollHereY(0.1f);
      jump = false;
    }
    if (control->widget == "date") {
      date_picker(ui, *control);
    } else if (text_field(ui, id.c_str(), control->label.in(s.language()), s.data().field(control->scope), control->scope,
                          s.locked_from_card(control->scope))) {
      ui.emit(Intent::Kind::FieldTouched, control->scope);
    }
    if (s.from_card(control->scope)) {
      // Where the value came from, and whether it may be changed, under the field.
      paragraph(ui, s.locked_from_card(control->scope) ? ui.tr("form.from_card_locked") : ui.tr("form.from_card"),
                ui.pal.success);
      record_widget(ui, "from_card" + control->scope, s.locked_from_card(control->scope) ? "locked" : "editable");
    }
    if (!control->help.empty()) help_sheet(ui, *control);
    if (!control->help.empty()) ui.announce.push_back(control->help.in(s.language()));  // for "read the help"
    for (auto& e : s.step_errors()) {
      if (e.scope != control->scope) continue;
      // The error stands under its field, marked by a bar and words, not by colour alone.
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::Indent(ui.mm(3));
      paragraph(ui, e.message, ui.pal.danger);
      ImGui::Unindent(ui.mm(3));
      ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ui.mm(1), ImGui::GetItemRectMax().y), ui.pal.danger);
      record_widget(ui, "error" + control->scope, e.message);
    }
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
  }
  end_content();
  draw_keyboard(ui);
  bool last = s.form_step() + 1 >= static_cast<int>(form.steps.size());
  nav_bar(ui, ui.tr("nav.back"), "nav.next", last ? ui.tr("form.to_review") : ui.tr("nav.next"));
}

}  // namespace motcua
