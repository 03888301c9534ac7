#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_thank_you(Ui& ui) {
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(20)));
  heading(ui, ui.tr("thank_you.title"));
  take_card_reminder(ui);
  // A demo kiosk kept no dossier: nothing to say about one.
  paragraph(ui, ui.session.config().endpoint == "demo" ? ui.tr("thank_you.hint_demo") : ui.tr("thank_you.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(10)));
  if (big_button(ui, "thank_you.finish", ui.tr("thank_you.finish"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.4f)))
    ui.emit(Intent::Kind::Finish);
  end_content(ui);
}

}  // namespace motcua
