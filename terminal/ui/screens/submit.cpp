#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_submit(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(20)));
  if (s.submit_error().empty()) {
    heading(ui, ui.tr("submit.saving"));
    paragraph(ui, ui.tr("submit.wait"));
  } else {
    // The citizen is told the truth and keeps the answers; staff see the cause in the log.
    heading(ui, ui.tr("submit.failed"));
    paragraph(ui, ui.tr("submit.failed_hint"));
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "submit.retry", ui.tr("submit.retry"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.4f)))
      ui.emit(Intent::Kind::RetrySubmit);
  }
  end_content();
}

}  // namespace motcua
