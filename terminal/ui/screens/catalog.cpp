#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_catalog(Ui& ui) {
  const Session& s = ui.session;
  const Catalog& catalog = s.catalog();
  begin_content(ui, true, keyboard_height(ui));
  heading(ui, ui.tr("catalog.title"));
  text_field(ui, "catalog.search", ui.tr("catalog.search"), ui.session.data().search_text(), "catalog.search");

  // Categories flow in rows; the selected one is filled.
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  auto category_button = [&](const std::string& id, const std::string& cat, const std::string& label) {
    float w = std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x, ui.touch_px * 1.5f);
    if (!first && ImGui::GetItemRectMax().x + ui.gap_px + w <= right) ImGui::SameLine();
    first = false;
    Tone tone = s.category() == cat ? Tone::Primary : Tone::Secondary;
    if (big_button(ui, id.c_str(), label, tone, ImVec2(w, ui.touch_px))) ui.emit(Intent::Kind::ChooseCategory, cat);
  };
  category_button("catalog.category.all", "", ui.tr("catalog.all"));
  for (auto& c : catalog.categories()) category_button("catalog.category." + c.id, c.id, c.title.in(s.language()));

  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  auto found = catalog.find(s.category(), ui.session.data().search_text());
  paragraph(ui, ui.tr("catalog.count", {{"count", std::to_string(found.size())}}));
  for (auto* form : found) {
    std::string id = "catalog.form." + form->id;
    if (big_button(ui, id.c_str(), form->title.in(s.language()), Tone::Quiet, ImVec2(-1, ui.touch_px * 1.3f)))
      ui.emit(Intent::Kind::ChooseProcedure, form->id);
  }
  if (found.empty()) paragraph(ui, ui.tr("catalog.none"));
  end_content(ui);
  draw_keyboard(ui);
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

}  // namespace motcua
