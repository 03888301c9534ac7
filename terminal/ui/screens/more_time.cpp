#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_more_time(Ui& ui) {
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(15)));
  heading(ui, ui.tr("more_time.title"));
  paragraph(ui, ui.tr("more_time.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  int left = ui.session.more_time_seconds_left(ui.now);
  std::string count = std::to_string(left);
  ImGui::PushFont(ui.fonts.hero);
  float w = ImGui::CalcTextSize(count.c_str()).x;
  ImGui::PopFont();
  ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - w) / 2);
  hero_text(ui, count, ui.pal.danger);
  record_widget(ui, "more_time.seconds", count);
  paragraph(ui, ui.tr("more_time.seconds", {{"seconds", count}}));
  ImGui::Dummy(ImVec2(0, ui.mm(8)));
  if (big_button(ui, "more_time.continue", ui.tr("more_time.continue"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.8f)))
    ui.emit(Intent::Kind::MoreTime);
  // Far apart: a shaking finger meant for more time must not end the visit.
  ImGui::Dummy(ImVec2(0, ui.mm(15)));
  if (big_button(ui, "more_time.end", ui.tr("more_time.end"), Tone::Quiet)) ui.emit(Intent::Kind::EndSession);
  end_content(ui);
}

}  // namespace motcua
