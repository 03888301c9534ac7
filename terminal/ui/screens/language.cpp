#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_language(Ui& ui) {
  begin_content(ui, true);
  heading(ui, ui.tr("language.title"));
  paragraph(ui, ui.tr("language.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  ImGui::PushFont(ui.fonts.title);
  for (auto& lang : ui.session.config().locales) {
    std::string id = "language." + lang;
    if (big_button(ui, id.c_str(), ui.strings.get(lang, "language.name"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::ChooseLanguage, lang);
  }
  ImGui::PopFont();
  end_content(ui);
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

}  // namespace motcua
