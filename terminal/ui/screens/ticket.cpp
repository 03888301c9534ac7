#include "terminal/ui/screens/screens.h"

#include "terminal/services/speech.h"

namespace motcua {

void draw_ticket(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, true);
  heading(ui, ui.tr("ticket.title"));
  paragraph(ui, ui.tr("ticket.hint"));
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  // Priority is stated by the citizen, shown as a tick and in words, not by colour alone.
  if (toggle_button(ui, "ticket.priority", ui.tr("ticket.priority"), s.ticket_priority()))
    ui.emit(Intent::Kind::TogglePriority);
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  for (auto& c : s.catalog().categories()) {
    if (c.queue_prefix.empty()) continue;
    std::string id = "ticket.service." + c.id;
    // A field's name alone ("Hộ tịch") means little on a first visit: the button also names the
    // procedures the catalog files under it, the first three and how many more (a province's
    // catalog files dozens under one field).
    std::string title = c.title.in(s.language()), examples;
    auto forms = s.catalog().find(c.id, "");
    for (size_t i = 0; i < forms.size() && i < 3; ++i) examples += (i ? ", " : "") + forms[i]->title.in(s.language());
    if (forms.size() > 3)
      examples = ui.tr("ticket.more_procedures", {{"list", examples}, {"count", std::to_string(forms.size() - 3)}});
    bool pressed = false;
    if (examples.empty()) {
      ImGui::PushFont(ui.fonts.title);
      pressed = big_button(ui, id.c_str(), title, Tone::Quiet, ImVec2(-1, ui.touch_px * 1.6f));
      ImGui::PopFont();
    } else {
      pressed = detailed_button(ui, id.c_str(), title, examples);
    }
    if (pressed) ui.emit(Intent::Kind::ChooseService, c.id);
  }
  if (!s.ticket_error().empty()) paragraph(ui, ui.tr("ticket.failed"), ui.pal.danger);
  end_content(ui);
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

// The queue ticket's own printing news, on its screen and on the receipt: named "phiếu số thứ
// tự", since beside the receipt "phiếu" alone could be either paper. The number is on screen
// whatever the printer does; it is never handed out again.
void draw_ticket_print_news(Ui& ui, const char* status_id) {
  if (!ui.paper_printer) return;
  const PaperPrinter::State state = ui.paper_printer->state_of(ui.ticket_job);
  record_widget(ui, status_id, std::to_string(static_cast<int>(state)));
  switch (state) {
    case PaperPrinter::State::Printing: paragraph(ui, ui.tr("ticket_done.printing")); break;
    case PaperPrinter::State::Printed: paragraph(ui, ui.tr("ticket_done.printed"), ui.pal.success); break;
    case PaperPrinter::State::Failed: paragraph(ui, ui.tr("ticket_done.print_failed"), ui.pal.text); break;
    case PaperPrinter::State::Sent: paragraph(ui, ui.tr("ticket_done.print_sent"), ui.pal.text); break;
    case PaperPrinter::State::NotConfirmed: paragraph(ui, ui.tr("ticket_done.print_unconfirmed"), ui.pal.text); break;
    case PaperPrinter::State::Idle: break;
  }
}

void draw_ticket_done(Ui& ui) {
  const Session& s = ui.session;
  const Category* c = s.catalog().category(s.ticket_category());
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(10)));
  heading(ui, ui.tr("ticket_done.title"));
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  ImGui::PushFont(ui.fonts.hero);
  float w = ImGui::CalcTextSize(s.ticket_number().c_str()).x;
  ImGui::PopFont();
  ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - w) / 2);
  hero_text(ui, s.ticket_number());
  record_widget(ui, "ticket_done.number", s.ticket_number());
  ui.announce.push_back(spelled(s.ticket_number()));  // hero type is not read on its own
  if (c) {
    paragraph(ui, c->title.in(s.language()), ui.pal.text);
    paragraph(ui, ui.tr("ticket_done.counter", {{"counter", c->counter}}), ui.pal.text);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  draw_ticket_print_news(ui, "ticket_done.print_status");
  paragraph(ui, ui.tr("ticket_done.wait"));
  ImGui::Dummy(ImVec2(0, ui.mm(8)));
  if (big_button(ui, "ticket_done.finish", ui.tr("thank_you.finish"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.4f)))
    ui.emit(Intent::Kind::Finish);
  end_content(ui);
}

}  // namespace motcua
