#include "terminal/screens/screens.h"

namespace motcua {

void draw_review(Ui& ui) {
  Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  // The consent stays in view beside the confirm button, however long the review is.
  std::string consent = ui.tr("review.consent");
  float consent_h = std::max(ui.touch_px * 1.4f, ImGui::CalcTextSize(consent.c_str(), nullptr, false,
                                                                     ImGui::GetContentRegionAvail().x - ui.mm(20)).y +
                                                    2 * ImGui::GetStyle().FramePadding.y) +
                    2 * ui.gap_px;
  begin_content(ui, true, consent_h);
  heading(ui, ui.tr("review.title"));
  paragraph(ui, ui.tr("review.hint"));
  for (size_t i = 0; i < form.steps.size(); ++i) {
    const forms::Step& step = form.steps[i];
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    ImGui::Separator();
    std::string edit_label = ui.tr("review.edit");
    float edit_w = std::max(ImGui::CalcTextSize(edit_label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x, ui.touch_px * 1.5f);
    float title_w = ImGui::GetContentRegionAvail().x - edit_w - ui.gap_px;
    ImVec2 row = ImGui::GetCursorScreenPos();
    ImGui::PushTextWrapPos(row.x + title_w);
    ImGui::PushFont(ui.fonts.title);
    ImGui::TextUnformatted(step.title.in(s.language()).c_str());
    ImGui::PopFont();
    ImGui::PopTextWrapPos();
    float after_title = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(row.x + title_w + ui.gap_px, row.y));
    std::string id = "review.edit." + std::to_string(i);
    if (big_button(ui, id.c_str(), edit_label, Tone::Secondary, ImVec2(edit_w, ui.touch_px)))
      ui.emit(Intent::Kind::EditStep, {}, static_cast<int>(i));
    ImGui::SetCursorScreenPos(ImVec2(row.x, std::max(after_title, ImGui::GetItemRectMax().y + ui.gap_px)));
    for (auto& control : step.controls) {
      paragraph(ui, control->label.in(s.language()));
      const auto* value = s.data().find(control->scope);
      ImGui::Indent(ui.mm(4));
      if (value && !value->empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(value->data(), value->data() + value->size());
        ImGui::PopTextWrapPos();
      } else {
        paragraph(ui, ui.tr("review.empty"));
      }
      ImGui::Unindent(ui.mm(4));
    }
  }
  end_content();
  // The citizen confirms themself, also when a volunteer is helping.
  ImGui::Dummy(ImVec2(0, ui.gap_px));
  if (toggle_button(ui, "review.consent", consent, s.consent())) ui.emit(Intent::Kind::ToggleConsent);
  nav_bar(ui, ui.tr("nav.back"), "review.confirm", ui.tr("review.confirm"), Intent::Kind::Confirm, s.consent());
}

}  // namespace motcua
