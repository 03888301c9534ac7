#include "terminal/ui/screens/screens.h"

namespace motcua {

namespace {


std::string status_text(Ui& ui, const DossierStatus& st) {
  if (st.status == "received") return ui.tr("lookup.status.received");
  if (st.status == "processing") return ui.tr("lookup.status.processing");
  if (st.status == "needs-documents") return ui.tr("lookup.status.needs-documents", {{"reason", st.reason}});
  if (st.status == "done") return ui.tr("lookup.status.done");
  if (st.status == "overdue") return ui.tr("lookup.status.overdue");
  return st.status;  // a status newer than this kiosk: shown as the portal names it
}

// The answer in plain words; an overdue dossier comes with the centre's apology and new date.
void draw_status(Ui& ui, const DossierStatus& st) {
  using F = DossierStatus::Found;
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  if (st.found == F::Unavailable) {
    paragraph(ui, ui.tr("lookup.unavailable"), ui.pal.danger);
    record_widget(ui, "lookup.result", "unavailable");
    return;
  }
  if (st.found == F::AtAnotherKiosk) {
    heading(ui, st.code);
    paragraph(ui, ui.tr("lookup.at_another_kiosk"), ui.pal.text);
    record_widget(ui, "lookup.result", "at-another-kiosk");
    return;
  }
  if (st.found == F::No) {
    paragraph(ui, ui.tr("lookup.not_found"), ui.pal.danger);
    record_widget(ui, "lookup.result", "not-found");
    return;
  }
  heading(ui, st.code);
  if (st.found == F::WaitingAtKiosk) {
    paragraph(ui, ui.tr("lookup.waiting_at_kiosk"), ui.pal.text);
    // The kiosk's count from the day it kept the dossier: the portal sets the real date.
    if (!st.appointment.empty()) {
      std::string line = ui.tr("receipt.appointment_estimated", {{"date", display_date(st.appointment)}});
      paragraph(ui, line, ui.pal.text);
      record_widget(ui, "lookup.appointment", line);
      paragraph(ui, ui.tr("receipt.appointment_note"), ui.pal.text);
    }
    record_widget(ui, "lookup.result", "waiting-at-kiosk");
    return;
  }
  // Neither goes on its own, so neither is promised "sent later" or a date: the counter helps.
  if (st.found == F::RefusedAtKiosk) {
    paragraph(ui, ui.tr("lookup.refused_at_kiosk"), ui.pal.danger);
    record_widget(ui, "lookup.result", "refused-at-kiosk");
    return;
  }
  if (st.found == F::PausedAtKiosk) {
    paragraph(ui, ui.tr("lookup.paused_at_kiosk"), ui.pal.danger);
    record_widget(ui, "lookup.result", "paused-at-kiosk");
    return;
  }
  std::string text = status_text(ui, st);
  paragraph(ui, text, st.status == "overdue" || st.status == "needs-documents" ? ui.pal.danger : ui.pal.success);
  record_widget(ui, "lookup.result", st.status);
  // The apology names a new date only when the portal gave one; its notice is printed only then.
  if (st.status == "overdue" && st.new_appointment.empty()) {
    paragraph(ui, ui.tr("lookup.apology_no_date", {{"reason", st.reason}}), ui.pal.text);
  } else if (st.status == "overdue") {
    paragraph(ui, ui.tr("lookup.apology", {{"reason", st.reason}, {"date", display_date(st.new_appointment)}}), ui.pal.text);
    if (big_button(ui, "lookup.print_apology", ui.tr("lookup.print_apology"), Tone::Secondary)) ui.emit(Intent::Kind::PrintApology);
  } else if (!st.appointment.empty() && st.status != "done") {
    paragraph(ui, ui.tr("receipt.appointment", {{"date", display_date(st.appointment)}}), ui.pal.text);
  }
}

}  // namespace

void draw_lookup(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, true, keyboard_height(ui));
  heading(ui, ui.tr("lookup.title"));
  paragraph(ui, ui.tr("lookup.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  // A QR scanner on the kiosk types the code here like a keyboard, then presses Enter.
  if (text_field(ui, "lookup.code", ui.tr("lookup.code"), ui.session.data().field("lookup.code"), "lookup.code"))
    ui.emit(Intent::Kind::LookupSubmit);
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  // While the portal is asked the button says so and looks it: grey, not to be pressed again.
  const bool asking = s.lookup_pending();
  if (asking) ImGui::BeginDisabled();
  if (big_button(ui, "lookup.submit", asking ? ui.tr("lookup.searching") : ui.tr("lookup.submit"), Tone::Primary))
    ui.emit(Intent::Kind::LookupSubmit);
  if (asking) ImGui::EndDisabled();
  if (s.lookup_result()) {
    draw_status(ui, *s.lookup_result());
    using F = DossierStatus::Found;
    F found = s.lookup_result()->found;
    if ((found == F::Yes || s.lookup_result()->kept_at_kiosk()) &&
        big_button(ui, "lookup.evaluate", ui.tr("lookup.evaluate"), Tone::Secondary))
      ui.emit(Intent::Kind::EvaluateFromLookup);
  }
  if (ui.paper_printer && s.apology_requests() > 0) {
    switch (ui.paper_printer->state()) {
      case PaperPrinter::State::Printing: paragraph(ui, ui.tr("receipt.printing")); break;
      case PaperPrinter::State::Printed: paragraph(ui, ui.tr("lookup.apology_printed"), ui.pal.success); break;
      case PaperPrinter::State::Failed: paragraph(ui, ui.tr("lookup.apology_failed"), ui.pal.danger); break;
      case PaperPrinter::State::Sent: paragraph(ui, ui.tr("lookup.apology_sent"), ui.pal.text); break;
      case PaperPrinter::State::NotConfirmed: paragraph(ui, ui.tr("lookup.apology_unconfirmed"), ui.pal.text); break;
      default: break;
    }
  }
  end_content(ui);
  draw_keyboard(ui);
  nav_bar(ui, ui.tr("nav.back"), "lookup.done", ui.tr("lookup.done"));
}

}  // namespace motcua
