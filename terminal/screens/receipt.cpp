#include "terminal/screens/screens.h"

namespace motcua {

void draw_receipt(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, true);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  heading(ui, ui.tr("receipt.title"));
  paragraph(ui, s.form()->title.in(s.language()), colors::text);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  paragraph(ui, ui.tr("receipt.code_label"));
  // The code is what the citizen needs later: biggest thing on the screen, framed.
  ImGui::PushFont(ui.fonts.hero);
  ImVec2 size = ImGui::CalcTextSize(s.reference().c_str());
  ImGui::PopFont();
  float avail = ImGui::GetContentRegionAvail().x;
  if (size.x > avail) {
    ImGui::PushFont(ui.fonts.title);
    ImGui::PushStyleColor(ImGuiCol_Text, colors::primary);
    ImGui::TextUnformatted(s.reference().c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
  } else {
    hero_text(ui, s.reference());
  }
  record_widget(ui, "receipt.code", s.reference());
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  paragraph(ui, ui.tr("receipt.keep_code"));
  end_content();
  nav_bar(ui, "", "receipt.next", ui.tr("receipt.next"));
}

}  // namespace motcua
