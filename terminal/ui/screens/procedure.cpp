// The procedure page: what the chosen procedure is for and what it takes, before anything is
// typed. Every line comes from the form package (core/procedure_facts), none from here.
#include "terminal/ui/screens/screens.h"

#include "devices/printer/documents.h"
#include "terminal/core/procedure_facts.h"
#include "terminal/services/paper_printer.h"

namespace motcua {

namespace {

// One fact: a bold label, then its value; recorded so tests read what was drawn.
void fact(Ui& ui, const char* id, const std::string& label, const std::string& value) {
  ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted(label.c_str());
  ImGui::PopFont();
  paragraph(ui, value, ui.pal.text);
  record_widget(ui, id, value);
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
}

void draw_checklist_status(Ui& ui) {
  if (!ui.paper_printer || ui.session.checklist_print_requests() == 0) return;
  std::string text;
  const char* state = "";
  switch (ui.paper_printer->state()) {
    case PaperPrinter::State::Idle: return;
    case PaperPrinter::State::Printing: text = ui.tr("procedure.printing"), state = "printing"; break;
    case PaperPrinter::State::Printed: text = ui.tr("procedure.printed"), state = "printed"; break;
    case PaperPrinter::State::Sent: text = ui.tr("procedure.print_sent"), state = "sent"; break;
    case PaperPrinter::State::NotConfirmed:
    case PaperPrinter::State::Failed: text = ui.tr("procedure.print_failed"), state = "failed"; break;
  }
  paragraph(ui, text, ui.pal.text);
  record_widget(ui, "procedure.print_status", state);
}

}  // namespace

void draw_procedure(Ui& ui) {
  const Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  const std::string& lang = s.language();
  ProcedureFacts facts = procedure_facts(form, lang);
  begin_content(ui, true);
  heading(ui, form.title.in(lang));
  record_widget(ui, "procedure.title", form.title.in(lang));
  if (!form.purpose.in(lang).empty()) {
    paragraph(ui, form.purpose.in(lang));
    record_widget(ui, "procedure.purpose", form.purpose.in(lang));
  }
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  std::string fee = !facts.fee_stated        ? ui.tr("procedure.fee_ask")
                    : facts.fee_total == 0 ? ui.tr("procedure.fee_none")
                                           : printer::format_money(facts.fee_total, lang);
  fact(ui, "procedure.fee", ui.tr("procedure.fee_label"), fee);
  fact(ui, "procedure.days", ui.tr("procedure.days_label"),
       form.processing_days == 0 ? ui.tr("procedure.days_same")
                                 : ui.tr("procedure.days", {{"count", std::to_string(form.processing_days)}}));
  if (!form.agency.in(lang).empty()) fact(ui, "procedure.agency", ui.tr("procedure.agency_label"), form.agency.in(lang));
  std::string card;
  if (facts.card_labels.empty()) {
    card = ui.tr("procedure.card_none");
  } else if (!ui.session.has_card_reader()) {
    card = ui.tr("procedure.card_no_reader");
  } else {
    std::string list;
    for (auto& l : facts.card_labels) list += (list.empty() ? "" : "; ") + l;
    card = ui.tr("procedure.card_fills", {{"count", std::to_string(facts.card_labels.size())}, {"fields", list}});
  }
  fact(ui, "procedure.card", ui.tr("procedure.card_label"), card);

  ImGui::Separator();
  ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted(ui.tr("procedure.documents").c_str());
  ImGui::PopFont();
  if (facts.documents.empty()) {
    paragraph(ui, ui.tr("procedure.documents_none"));
    record_widget(ui, "procedure.documents_none", ui.tr("procedure.documents_none"));
  }
  for (const forms::Document* d : facts.documents) {
    std::string line = "• " + d->name.in(lang);
    // An optional paper says when it applies in its own name ("nếu có", docs/forms.md), often in
    // brackets: the notes follow a dash, so no line reads "(nếu có) (mang bản chính…)".
    std::string notes = d->required ? ui.tr("procedure.document_required") : "";
    if (d->original_at_counter) notes += (notes.empty() ? "" : ", ") + ui.tr("review.document_original");
    if (!notes.empty()) line += " — " + notes;
    paragraph(ui, line, ui.pal.text);
    record_widget(ui, "procedure.document." + d->id, line);
  }
  if (!facts.documents.empty() && ui.paper_printer) {
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    bool busy = ui.paper_printer->state() == PaperPrinter::State::Printing;
    if (big_button(ui, "procedure.print", ui.tr("procedure.print"), Tone::Secondary) && !busy)
      ui.emit(Intent::Kind::PrintChecklist);
    draw_checklist_status(ui);
  }
  end_content(ui);
  nav_bar(ui, ui.tr("nav.back"), "procedure.start", ui.tr("procedure.start"));
}

}  // namespace motcua
