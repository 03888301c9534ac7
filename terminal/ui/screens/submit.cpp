#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_submit(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(20)));
  if (s.waiting_for_portal()) {
    // Kept on this kiosk already: only the portal's own code is still to come.
    heading(ui, ui.tr("submit.sending"));
    paragraph(ui, ui.tr("submit.wait"));
    record_widget(ui, "submit.sending", ui.tr("submit.sending"));
  } else if (s.submit_error().empty()) {
    heading(ui, ui.tr("submit.saving"));
    paragraph(ui, ui.tr("submit.wait"));
  } else {
    // The citizen is told the truth and keeps the answers; staff see the cause in the log.
    heading(ui, ui.tr("submit.failed"));
    paragraph(ui, ui.tr("submit.failed_hint"));
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "submit.retry", ui.tr("submit.retry"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.4f)))
      ui.emit(Intent::Kind::RetrySubmit);
    // Or the answers on paper, to hand in at the counter: said "printed" only when the printer confirmed it.
    ImGui::Dummy(ImVec2(0, ui.mm(4)));
    PaperPrinter::State printing = ui.paper_printer ? ui.paper_printer->state() : PaperPrinter::State::Idle;
    if (printing != PaperPrinter::State::Printing &&
        big_button(ui, "submit.print_answers", ui.tr("submit.print_answers"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.4f)))
      ui.emit(Intent::Kind::PrintAnswers);
    switch (printing) {
      case PaperPrinter::State::Idle: break;
      case PaperPrinter::State::Printing: paragraph(ui, ui.tr("submit.printing")); break;
      case PaperPrinter::State::Printed: paragraph(ui, ui.tr("submit.printed"), ui.pal.success); break;
      case PaperPrinter::State::Sent: paragraph(ui, ui.tr("submit.print_sent")); break;
      case PaperPrinter::State::NotConfirmed:
      case PaperPrinter::State::Failed: paragraph(ui, ui.tr("submit.print_failed"), ui.pal.danger); break;
    }
    record_widget(ui, "submit.print_status", std::to_string(static_cast<int>(printing)));
  }
  end_content(ui);
}

}  // namespace motcua
