#include "terminal/screens/screens.h"

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

void draw_evaluation(Ui& ui) {
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  heading(ui, ui.tr("evaluation.title"));
  paragraph(ui, ui.tr("evaluation.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(6)));

  struct Level { const char* id; std::string label; float mood; ImU32 color; };
  const Level levels[] = {{"evaluation.rate.1", ui.tr("evaluation.very_satisfied"), 1.0f, ui.pal.success},
                          {"evaluation.rate.2", ui.tr("evaluation.satisfied"), 0.35f, ui.pal.primary},
                          {"evaluation.rate.3", ui.tr("evaluation.dissatisfied"), -1.0f, ui.pal.danger}};
  // Stacked full-width rows: long Vietnamese labels never have to squeeze into thirds.
  for (int i = 0; i < 3; ++i) {
    const Level& l = levels[i];
    float h = std::max(ui.touch_px * 2.0f, ImGui::GetFontSize() * 3.2f);
    ImVec2 p = ImGui::GetCursorScreenPos();
    const std::string& label = l.label;
    bool pressed = ImGui::InvisibleButton(l.id, ImVec2(-1, h));
    ImVec2 q = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, q, ImGui::IsItemActive() ? ui.pal.secondary_pressed : ui.pal.surface, ui.mm(2));
    dl->AddRect(p, q, l.color, ui.mm(2), 0, 3.0f);
    float r = h * 0.36f;
    draw_face(dl, ImVec2(p.x + h * 0.6f, p.y + h / 2), r, l.mood, l.color);
    ImGui::PushFont(ui.fonts.title);
    dl->AddText(ImVec2(p.x + h * 1.2f, p.y + (h - ImGui::GetFontSize()) / 2), ui.pal.text, label.c_str());
    ImGui::PopFont();
    record_widget(ui, l.id, label, true);
    if (pressed) ui.emit(Intent::Kind::Rate, {}, i + 1);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  if (big_button(ui, "evaluation.skip", ui.tr("evaluation.skip"), Tone::Quiet)) ui.emit(Intent::Kind::SkipEvaluation);
  end_content();
}

}  // namespace motcua
