#include "terminal/screens/screens.h"

namespace motcua {

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
    if (text_field(ui, id.c_str(), control->label.in(s.language()), s.data().field(control->scope), control->scope))
      ui.emit(Intent::Kind::FieldTouched, control->scope);
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
