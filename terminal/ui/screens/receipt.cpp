#include "terminal/ui/screens/screens.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "devices/printer/codes.h"
#include "devices/printer/documents.h"
#include "devices/printer/vietqr.h"
#include "terminal/core/procedure_facts.h"
#include "terminal/services/speech.h"

namespace motcua {

namespace {

// The code as a QR on screen, for a phone camera when the paper did not come out.
void draw_qr(Ui& ui, const std::string& data, const char* id) {
  printer::Bitmap qr = printer::qr_bitmap(data, 1);
  float side = std::min(ImGui::GetContentRegionAvail().x, ui.mm(70));
  float cell = std::floor(side / static_cast<float>(qr.width));
  ImVec2 p = ImGui::GetCursorScreenPos();
  p.x += (ImGui::GetContentRegionAvail().x - cell * qr.width) / 2;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Always black on white, whatever the theme: cameras read nothing else reliably.
  dl->AddRectFilled(p, ImVec2(p.x + cell * qr.width, p.y + cell * qr.height), IM_COL32(255, 255, 255, 255));
  for (int y = 0; y < qr.height; ++y)
    for (int x = 0; x < qr.width; ++x)
      if (qr.at(x, y)) dl->AddRectFilled(ImVec2(p.x + x * cell, p.y + y * cell), ImVec2(p.x + (x + 1) * cell, p.y + (y + 1) * cell), IM_COL32(0, 0, 0, 255));
  ImGui::Dummy(ImVec2(ImGui::GetContentRegionAvail().x, cell * qr.height));
  record_widget(ui, id, data);
}

void draw_print_status(Ui& ui, const std::string& code) {
  if (!ui.paper_printer) return;
  const PaperPrinter::State state = ui.paper_printer->state_of(ui.receipt_job);
  switch (state) {
    case PaperPrinter::State::Idle: break;
    case PaperPrinter::State::Printing: paragraph(ui, ui.tr("receipt.printing")); break;
    case PaperPrinter::State::Printed: paragraph(ui, ui.tr("receipt.printed"), ui.pal.success); break;
    // Anything short of a confirmed print: the code stays on screen as a QR to photograph.
    // Not a scare: the dossier is safe; the citizen only needs another way to keep the code.
    case PaperPrinter::State::Sent:
      paragraph(ui, ui.tr("receipt.print_sent"), ui.pal.text);
      draw_qr(ui, code, "receipt.qr");
      break;
    case PaperPrinter::State::NotConfirmed:
      paragraph(ui, ui.tr("receipt.print_unconfirmed"), ui.pal.text);
      draw_qr(ui, code, "receipt.qr");
      break;
    case PaperPrinter::State::Failed:
      paragraph(ui, ui.tr("receipt.print_failed"), ui.pal.text);
      draw_qr(ui, code, "receipt.qr");
      break;
  }
  record_widget(ui, "receipt.print_status", std::to_string(static_cast<int>(state)));
}

// "In tờ khai": the filled declaration on the centre's A4 printer, to sign at the counter. The
// words follow the job: sending, sent (CUPS or the folder took it: never "printed", no answer
// comes back from the paper), or not sent, with the way on (the counter prints it). A folder
// target makes no paper: the citizen is sent to the counter, not "to the printer".
void draw_declaration(Ui& ui) {
  if (!ui.declaration || !ui.session.can_print_declaration()) return;
  DeclarationJob::State state = ui.declaration->state();
  if (state == DeclarationJob::State::Idle) {
    if (big_button(ui, "receipt.declaration", ui.tr("receipt.declaration_print"), Tone::Secondary))
      ui.emit(Intent::Kind::PrintDeclaration);
  } else {
    const bool folder = ui.declaration->to_folder();
    std::string message = state == DeclarationJob::State::Sending ? (folder ? ui.tr("receipt.declaration_sending_folder")
                                                                            : ui.tr("receipt.declaration_sending"))
                        : state == DeclarationJob::State::Sent    ? (folder ? ui.tr("receipt.declaration_sent_folder")
                                                                            : ui.tr("receipt.declaration_sent"))
                        : folder                                  ? ui.tr("receipt.declaration_failed_folder")
                                                                  : ui.tr("receipt.declaration_failed");
    paragraph(ui, message, state == DeclarationJob::State::Sent ? ui.pal.success : ui.pal.text);
    record_widget(ui, "receipt.declaration_message", message);
    if (state == DeclarationJob::State::Failed) {
      ImGui::Dummy(ImVec2(0, ui.gap_px));
      if (big_button(ui, "receipt.declaration_retry", ui.tr("receipt.declaration_retry"), Tone::Secondary))
        ui.emit(Intent::Kind::PrintDeclaration);
    }
  }
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  static const char* const names[] = {"idle", "sending", "sent", "failed"};
  record_widget(ui, "receipt.declaration_status", names[static_cast<int>(state)]);
}

// Fees: the amount and where to pay it sit with the counter and the papers, in view without
// scrolling; the VietQR (to pay from a phone, when the centre configured an account) comes last,
// after the printing news, under a caption naming what it pays.
long long fee_total(const Session& s) {
  long long fee = 0;
  for (auto& f : s.form()->fees) fee += f.value("amount", 0LL);
  return fee;
}

// Paid by VietQR only for a dossier on its way to the portal (as the slip: documents.cpp); a demo
// kiosk's dossier goes nowhere, so nobody is asked to pay for it.
bool fee_by_vietqr(const Session& s) {
  return !s.config().payment_account.empty() && !s.receipt().refused && !s.receipt().paused && s.config().endpoint != "demo";
}

void draw_fee(Ui& ui) {
  const Session& s = ui.session;
  long long fee = fee_total(s);
  if (fee <= 0) return;
  std::string amount = printer::format_money(fee, s.language());
  ImGui::Dummy(ImVec2(0, ui.mm(2)));  // apart from the papers' list above: not one of the papers
  std::string line = s.config().endpoint == "demo" ? ui.tr("receipt.fee_demo", {{"amount", amount}})
                     : fee_by_vietqr(s)             ? ui.tr("receipt.fee_qr", {{"amount", amount}})
                                                    : ui.tr("receipt.fee_counter", {{"amount", amount}});
  paragraph(ui, line, ui.pal.text);
  record_widget(ui, "receipt.fee", line);
}

void draw_fee_qr(Ui& ui) {
  const Session& s = ui.session;
  long long fee = fee_total(s);
  if (fee <= 0 || !fee_by_vietqr(s)) return;
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  std::string amount = printer::format_money(fee, s.language());
  paragraph(ui, ui.tr("receipt.fee_qr_caption", {{"amount", amount}, {"code", s.reference()}}), ui.pal.text);
  std::string payload = printer::build_vietqr({s.config().payment_bank_bin, s.config().payment_account, false, fee, s.reference()});
  draw_qr(ui, payload, "receipt.fee_qr");
}

// A dossier the portal refused has no result to collect, and one held by a paused queue goes
// nowhere until staff act: no date is promised for either.
bool promises_date(const SubmitReceipt& r) { return !r.appointment.empty() && !r.refused && !r.paused; }

// The counter calls by number: the queue for it is joined here, not by starting over at the
// start screen. Offered until taken; the number then stays in view with its ticket's own news.
void draw_queue_number(Ui& ui) {
  const Session& s = ui.session;
  if (!s.receipt_ticket_category()) return;
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  if (s.ticket_number().empty()) {
    if (toggle_button(ui, "receipt.ticket_priority", ui.tr("ticket.priority"), s.ticket_priority()))
      ui.emit(Intent::Kind::TogglePriority);
    ImGui::Dummy(ImVec2(0, ui.gap_px));
    // The counter serves by number: taking one is the next thing to do, so it looks it.
    if (big_button(ui, "receipt.take_ticket", ui.tr("receipt.take_ticket"), Tone::Primary))
      ui.emit(Intent::Kind::TakeTicket);
    if (!s.ticket_error().empty()) {
      paragraph(ui, ui.tr("ticket.failed"), ui.pal.danger);
      record_widget(ui, "receipt.ticket_failed", "1");
    }
    ImGui::Dummy(ImVec2(0, ui.mm(3)));  // the button's edge apart from the papers' list below
    return;
  }
  paragraph(ui, ui.tr("ticket_done.title"));
  hero_text(ui, s.ticket_number());
  record_widget(ui, "receipt.ticket_number", s.ticket_number());
  ui.announce.push_back(spelled(s.ticket_number()));  // hero type is not read on its own
  draw_ticket_print_news(ui, "receipt.ticket_print_status");
  paragraph(ui, ui.tr("ticket_done.wait"));
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
}

// Where to go now and what to hand over: the field's counters (categories.json) and the papers
// whose originals the clerk checks (meta.documents' originalAtCounter); then when to come back.
void draw_next_steps(Ui& ui) {
  const Session& s = ui.session;
  const forms::FormPackage& form = *s.form();
  const Category* category = s.catalog().category(form.category);
  std::string counter = category ? either_of(ui.strings, s.language(), category->counter) : "";
  auto originals = procedure_facts(form, s.language()).originals;
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  if (!counter.empty()) {
    std::string line = ui.tr("receipt.counter", {{"counter", counter}});
    heading(ui, line);
    record_widget(ui, "receipt.counter", line);
    draw_queue_number(ui);
  }
  if (!originals.empty()) {
    std::string intro = counter.empty() ? ui.tr("receipt.originals_any") : ui.tr("receipt.originals", {{"counter", counter}});
    paragraph(ui, intro, ui.pal.text);
    for (const forms::Document* d : originals) {
      std::string line = "• " + d->name.in(s.language());
      paragraph(ui, line, ui.pal.text);
      record_widget(ui, "receipt.original." + d->id, line);
    }
  }
  draw_fee(ui);
  if (promises_date(s.receipt())) {
    std::string date = display_date(s.receipt().appointment);
    std::string back;
    if (s.receipt().estimated)
      back = counter.empty() ? ui.tr("receipt.come_back_any_estimated", {{"date", date}})
                             : ui.tr("receipt.come_back_estimated", {{"date", date}, {"counter", counter}});
    else
      back = counter.empty() ? ui.tr("receipt.come_back_any", {{"date", date}})
                             : ui.tr("receipt.come_back", {{"date", date}, {"counter", counter}});
    paragraph(ui, back);
    record_widget(ui, "receipt.come_back", back);
  }
}

}  // namespace

void draw_receipt(Ui& ui) {
  const Session& s = ui.session;
  // The survey's button stays in view below the scrolling part, whatever the text size.
  float survey_h = ui.touch_px * 1.2f;
  begin_content(ui, true, survey_h + ui.gap_px * 2);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  // "Tiếp nhận" only for a dossier the portal accepted; a demo kiosk says it is one.
  bool demo = s.config().endpoint == "demo";
  // Refused or held by a paused queue: the news first, not a reassuring "đã lưu".
  const bool held = !demo && !s.receipt().from_portal && (s.receipt().refused || s.receipt().paused);
  std::string title = demo                     ? ui.tr("receipt.title_demo")
                      : s.receipt().from_portal ? ui.tr("receipt.title")
                      : held                    ? ui.tr("receipt.title_held")
                                                : ui.tr("receipt.title_kept");
  heading(ui, title);
  record_widget(ui, "receipt.heading", title);
  record_widget(ui, "receipt.title", demo ? "demo" : s.receipt().from_portal ? "accepted" : "kept");
  take_card_reminder(ui);
  if (demo) paragraph(ui, ui.tr("receipt.demo_note"), ui.pal.text);
  paragraph(ui, s.form()->title.in(s.language()), ui.pal.text);
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  paragraph(ui, ui.tr("receipt.code_label"));
  // The code is what the citizen needs later: never smaller than the 100 % size's big type, on as
  // few lines as that allows (broken only after its dashes), and larger type only when it costs
  // no extra line.
  const std::string& code = s.reference();
  float avail = ImGui::GetContentRegionAvail().x;
  auto wrap = [&](ImFont* f) {  // lines in f, as many dash-ended parts to a line as fit; empty: a part alone does not
    std::vector<std::string> lines;
    ImGui::PushFont(f);
    for (size_t start = 0; start < code.size();) {
      size_t dash = code.find('-', start);
      size_t end = dash == std::string::npos ? code.size() : dash + 1;
      std::string part = code.substr(start, end - start);
      if (!lines.empty() && ImGui::CalcTextSize((lines.back() + part).c_str()).x <= avail) {
        lines.back() += part;
      } else if (ImGui::CalcTextSize(part.c_str()).x <= avail) {
        lines.push_back(part);
      } else {
        lines.clear();
        break;
      }
      start = end;
    }
    ImGui::PopFont();
    return lines;
  };
  const float hero_at_100 = ui.fonts.hero->FontSize * 100.0f / static_cast<float>(s.text_percent());
  ImFont* font = nullptr;
  std::vector<std::string> lines;
  for (ImFont* f : {ui.fonts.title, ui.fonts.hero}) {
    if (f->FontSize < hero_at_100 - 0.5f) continue;
    auto l = wrap(f);
    if (!l.empty() && (lines.empty() || l.size() <= lines.size())) {
      font = f;
      lines = std::move(l);
    }
  }
  for (ImFont* f : {ui.fonts.hero, ui.fonts.title, ui.fonts.body}) {  // a screen too narrow for that
    if (font) break;
    lines = wrap(f);
    if (!lines.empty()) font = f;
  }
  if (!font) {
    font = ui.fonts.body;
    lines = {code};
  }
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ui.pal.primary);
  ImVec2 top = ImGui::GetCursorScreenPos();
  for (auto& line : lines) ImGui::TextUnformatted(line.c_str());
  ImVec2 bottom = ImGui::GetItemRectMax();
  ImGui::SetCursorScreenPos(top);
  ImGui::Dummy(ImVec2(avail, bottom.y - top.y));  // one item covering every line, for record_widget
  ImGui::PopStyleColor();
  ImGui::PopFont();
  record_widget(ui, "receipt.code", code);
  ui.announce.push_back(spelled(code));  // read back one character at a time
  // Where the dossier stands comes right under its code, before dates and counters.
  if (!demo && s.receipt().refused) {
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    paragraph(ui, ui.tr("receipt.refused"), ui.pal.danger);
    record_widget(ui, "receipt.refused", "1");
  } else if (!demo && s.receipt().paused) {
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    paragraph(ui, ui.tr("receipt.paused"), ui.pal.danger);
    record_widget(ui, "receipt.paused", "1");
  } else if (!demo && !s.receipt().from_portal) {
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    paragraph(ui, ui.tr("receipt.pending"), ui.pal.text);
    record_widget(ui, "receipt.pending", "1");
  }
  if (promises_date(s.receipt())) {
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    std::string date = display_date(s.receipt().appointment);
    if (s.receipt().estimated) {
      std::string line = ui.tr("receipt.appointment_estimated", {{"date", date}});
      paragraph(ui, line, ui.pal.text);
      record_widget(ui, "receipt.appointment", line);
      paragraph(ui, ui.tr("receipt.appointment_note"), ui.pal.text);
    } else {
      std::string line = ui.tr("receipt.appointment", {{"date", date}});
      paragraph(ui, line, ui.pal.text);
      record_widget(ui, "receipt.appointment", line);
    }
  }
  draw_next_steps(ui);
  // A refused or held dossier has no result to look up yet: the code is for the counter. An
  // estimated date's note already asks for a look-up by the code: not said twice.
  if (held || !(promises_date(s.receipt()) && s.receipt().estimated)) {
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    std::string keep = held ? ui.tr("receipt.keep_code_counter") : ui.tr("receipt.keep_code");
    paragraph(ui, keep);
    record_widget(ui, "receipt.keep_code", keep);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(4)));
  // Above the receipt's printing news, whose QR would push the button away under a finger.
  draw_declaration(ui);
  draw_print_status(ui, code);
  draw_fee_qr(ui);
  end_content(ui);
  // The survey is one tap away, not in the way: "Xong" ends the visit without it.
  ImGui::Dummy(ImVec2(0, ui.gap_px));
  if (big_button(ui, "receipt.next", ui.tr("receipt.next"), Tone::Secondary, ImVec2(-1, survey_h)))
    ui.emit(Intent::Kind::Next);
  nav_bar(ui, "", "receipt.done", ui.tr("receipt.done"), Intent::Kind::Finish);
}

}  // namespace motcua
