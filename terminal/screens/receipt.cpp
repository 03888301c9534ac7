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
  // The code is what the citizen needs later: the biggest type that fits on one line; at
  // large text sizes it breaks after its dashes rather than running off the screen.
  const std::string& code = s.reference();
  float avail = ImGui::GetContentRegionAvail().x;
  ImFont* font = nullptr;
  for (ImFont* f : {ui.fonts.hero, ui.fonts.title, ui.fonts.body}) {
    ImGui::PushFont(f);
    bool fits = ImGui::CalcTextSize(code.c_str()).x <= avail;
    ImGui::PopFont();
    if (fits) { font = f; break; }
  }
  ImGui::PushFont(font ? font : ui.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, colors::primary);
  if (font) {
    ImGui::TextUnformatted(code.c_str());
  } else {
    ImVec2 top = ImGui::GetCursorScreenPos();
    for (size_t start = 0; start < code.size();) {
      size_t dash = code.find('-', start);
      size_t end = dash == std::string::npos ? code.size() : dash + 1;
      ImGui::TextUnformatted(code.data() + start, code.data() + end);
      start = end;
    }
    ImVec2 bottom = ImGui::GetItemRectMax();
    ImGui::SetCursorScreenPos(top);
    ImGui::Dummy(ImVec2(avail, bottom.y - top.y));  // one item covering every line, for record_widget
  }
  ImGui::PopStyleColor();
  ImGui::PopFont();
  record_widget(ui, "receipt.code", code);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  paragraph(ui, ui.tr("receipt.keep_code"));
  end_content();
  nav_bar(ui, "", "receipt.next", ui.tr("receipt.next"));
}

}  // namespace motcua
