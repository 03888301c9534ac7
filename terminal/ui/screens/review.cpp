#include "terminal/ui/screens/screens.h"

#include "forms/widget_values.h"
#include "terminal/core/answers.h"

namespace motcua {

namespace {
// What the citizen chose, in words: an option's label rather than its code, "signed" for ink.
std::string answer_text(Ui& ui, const forms::Element& control, const std::string& scope, std::string_view value) {
  const Session& s = ui.session;
  if (control.widget == "signature") return ui.tr("review.signed");
  if (control.widget == "yes-no") return forms::tick_value(value) ? ui.tr("yes_no.yes") : ui.tr("yes_no.no");
  if (control.widget == "time") return forms::time_shown(value);
  if (control.widget == "money" && !s.computed(scope)) return forms::money_shown(value, s.language());
  if (control.widget == "date" && value.size() == 10 && value[4] == '-')  // as Vietnamese papers write it
    return std::string(value.substr(8, 2)) + "/" + std::string(value.substr(5, 2)) + "/" + std::string(value.substr(0, 4));
  if (control.widget == "checkboxes") {
    std::string out;
    for (const auto& o : forms::choices(*s.form(), control, scope)) {
      std::string ov = o.value.is_string() ? o.value.get<std::string>() : o.value.dump();
      for (std::string_view line : lines_of(value))
        if (line == ov) out += (out.empty() ? "" : "; ") + o.label.in(s.language());
    }
    return out;
  }
  if (control.widget == "radio" || control.widget == "dropdown" || control.widget == "searchable-list")
    for (const auto& o : forms::choices(*s.form(), control, scope))
      if (value == (o.value.is_string() ? o.value.get<std::string>() : o.value.dump())) return o.label.in(s.language());
  return std::string(value);
}

void review_elements(Ui& ui, const std::vector<forms::Element>& elements, const std::string& prefix) {
  Session& s = ui.session;
  for (const forms::Element& e : elements) {
    if (!s.shown(e, prefix)) continue;  // hidden by the form's rules (in this repeat item too): not part of the dossier
    if (e.kind == forms::Element::Kind::Group) review_elements(ui, e.elements, prefix);
    if (e.kind == forms::Element::Kind::Repeat) {
      int n = s.item_count(prefix + e.scope);
      paragraph(ui, e.label.in(s.language()));
      if (n == 0) {
        ImGui::Indent(ui.mm(4));
        paragraph(ui, ui.tr("review.empty"));
        ImGui::Unindent(ui.mm(4));
      }
      for (int i = 0; i < n; ++i) {
        ImGui::Indent(ui.mm(4));
        paragraph(ui, ui.tr("repeat.item", {{"number", std::to_string(i + 1)}}), ui.pal.muted);
        review_elements(ui, e.elements, prefix + e.scope + "/" + std::to_string(i));
        ImGui::Unindent(ui.mm(4));
      }
    }
    if (e.kind != forms::Element::Kind::Control) continue;
    std::string scope = prefix + e.scope;
    paragraph(ui, e.label.in(s.language()));
    const auto* value = s.data().find(scope);
    std::string address = e.widget == "address" ? address_line(*s.form(), s.data(), scope) : std::string();
    ImGui::Indent(ui.mm(4));
    if (!address.empty() || (value && !value->empty()) || e.widget == "yes-no") {  // an unticked box says "No"
      std::string shown = address.empty() ? answer_text(ui, e, scope, value ? std::string_view(*value) : std::string_view()) : address;
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(shown.c_str());
      ImGui::PopTextWrapPos();
    } else {
      paragraph(ui, ui.tr("review.empty"));
    }
    ImGui::Unindent(ui.mm(4));
  }
}
}  // namespace

void draw_review(Ui& ui) {
  Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  // The consent stays in view beside the confirm button, however long the review is.
  std::string consent = ui.tr("review.consent");
  float consent_h = std::max(ui.touch_px * 1.4f, ImGui::CalcTextSize(consent.c_str(), nullptr, false,
                                                                     ImGui::GetContentRegionAvail().x - ui.mm(20)).y +
                                                    2 * ImGui::GetStyle().FramePadding.y) +
                    2 * ui.gap_px;
  // "Xác nhận" tapped before the box was ticked: say why nothing happened, right above the box.
  bool point_at_consent = s.refused_confirms() > 0 && !s.consent();
  std::string needed = ui.tr("review.consent_needed");
  if (point_at_consent)
    consent_h += ImGui::CalcTextSize(needed.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x).y + ui.gap_px;
  begin_content(ui, true, consent_h);
  heading(ui, ui.tr("review.title"));
  paragraph(ui, ui.tr("review.hint"));
  for (size_t i = 0; i < form.steps.size(); ++i) {
    const forms::Step& step = form.steps[i];
    if (!s.step_applies(static_cast<int>(i))) continue;  // skipped by the rules: nothing of it is submitted
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
    review_elements(ui, step.elements, "");
  }
  end_content();
  // The citizen confirms themself, also when a volunteer is helping.
  ImGui::Dummy(ImVec2(0, ui.gap_px));
  if (point_at_consent) {
    paragraph(ui, needed, ui.pal.danger);
    record_widget(ui, "review.consent_needed", needed);
  }
  if (toggle_button(ui, "review.consent", consent, s.consent())) ui.emit(Intent::Kind::ToggleConsent);
  if (point_at_consent) {  // the box and its button framed in red: the thing still missing
    ImVec2 r0 = ImGui::GetItemRectMin(), r1 = ImGui::GetItemRectMax();
    float m = ui.mm(1.5f);
    ImGui::GetWindowDrawList()->AddRect(ImVec2(r0.x - ui.mm(7) - ui.gap_px - m, r0.y - m), ImVec2(r1.x + m, r1.y + m),
                                        ui.pal.danger, ui.mm(2), 0, std::max(3.0f, ui.mm(1)));
  }
  // Tappable even before the box is ticked (it then explains itself), but drawn as not ready.
  nav_bar(ui, ui.tr("nav.back"), "review.confirm", ui.tr("review.confirm"), Intent::Kind::Confirm, s.consent(), true);
}

}  // namespace motcua
