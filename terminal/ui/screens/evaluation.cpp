#include "terminal/ui/screens/screens.h"

#include <cmath>

namespace motcua {

namespace {
// A face whose mouth curves up (mood 1), lies flat (0) or curves down (-1).
void draw_face(ImDrawList* dl, ImVec2 c, float r, float mood, ImU32 col) {
  dl->AddCircle(c, r, col, 48, r * 0.09f);
  dl->AddCircleFilled(ImVec2(c.x - r * 0.35f, c.y - r * 0.25f), r * 0.1f, col);
  dl->AddCircleFilled(ImVec2(c.x + r * 0.35f, c.y - r * 0.25f), r * 0.1f, col);
  const int n = 16;
  for (int i = 0; i <= n; ++i) {
    float t = static_cast<float>(i) / n;
    float x = c.x + (t - 0.5f) * r * 1.0f;
    float y = c.y + r * 0.35f + mood * r * 0.25f * (1.0f - 4.0f * (t - 0.5f) * (t - 0.5f));
    dl->PathLineTo(ImVec2(x, y));
  }
  dl->PathStroke(col, 0, r * 0.09f);
}
}  // namespace

// The comment page after the last question, or a note that this dossier was already rated.
void draw_comment(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, false, keyboard_height(ui));
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  take_card_reminder(ui);
  if (s.already_evaluated()) {
    heading(ui, ui.tr("evaluation.already"));
    record_widget(ui, "evaluation.already", "1");
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "evaluation.done", ui.tr("evaluation.done"), Tone::Primary)) ui.emit(Intent::Kind::SkipEvaluation);
    end_content(ui);
    return;
  }
  heading(ui, ui.tr("evaluation.comment_title"));
  paragraph(ui, ui.tr("evaluation.comment_hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  text_field(ui, "evaluation.comment", ui.tr("evaluation.comment"), ui.session.data().field("evaluation.comment"),
             "evaluation.comment");
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  if (big_button(ui, "evaluation.send", ui.tr("evaluation.send"), Tone::Primary)) ui.emit(Intent::Kind::SubmitEvaluation);
  end_content(ui);
  draw_keyboard(ui);
}

void draw_evaluation(Ui& ui) {
  const Session& s = ui.session;
  const SurveyCriterion* q = s.question();
  if (!q) return draw_comment(ui);
  const std::string& lang = s.language();
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  take_card_reminder(ui);
  if (s.question_count() > 1)
    paragraph(ui, ui.tr("evaluation.progress", {{"current", std::to_string(s.question_number())},
                                                 {"total", std::to_string(s.question_count())}}));
  heading(ui, q->title.in(lang));
  ui.announce.push_back(q->title.in(lang));
  paragraph(ui, ui.tr("evaluation.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(6)));

  // Stacked full-width rows: long Vietnamese labels never have to squeeze into thirds.
  const auto& levels = s.survey().levels;
  for (size_t i = 0; i < levels.size(); ++i) {
    const SurveyLevel& l = levels[i];
    float mood = l.face == "happy" ? 1.0f : l.face == "sad" ? -1.0f : 0.35f;
    ImU32 color = l.face == "happy" ? ui.pal.success : l.face == "sad" ? ui.pal.danger : ui.pal.primary;
    std::string id = "evaluation.rate." + std::to_string(i + 1), label = l.label.in(lang);
    float h = std::max(ui.touch_px * 2.0f, ImGui::GetFontSize() * 3.2f);
    ImVec2 p = ImGui::GetCursorScreenPos();
    bool pressed = ImGui::InvisibleButton(id.c_str(), ImVec2(-1, h));
    ImVec2 qmax = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, qmax, ImGui::IsItemActive() ? ui.pal.secondary_pressed : ui.pal.surface, ui.mm(2));
    dl->AddRect(p, qmax, color, ui.mm(2), 0, 3.0f);
    draw_face(dl, ImVec2(p.x + h * 0.6f, p.y + h / 2), h * 0.36f, mood, color);
    ImGui::PushFont(ui.fonts.title);
    dl->AddText(ImVec2(p.x + h * 1.2f, p.y + (h - ImGui::GetFontSize()) / 2), ui.pal.text, label.c_str());
    ImGui::PopFont();
    record_widget(ui, id, label, true);
    ui.announce.push_back(label);
    if (pressed) ui.emit(Intent::Kind::Rate, {}, static_cast<int>(i) + 1);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  if (big_button(ui, "evaluation.skip", ui.tr("evaluation.skip"), Tone::Quiet)) ui.emit(Intent::Kind::SkipEvaluation);
  end_content(ui);
}

}  // namespace motcua
