#include "terminal/ui/screens/screens.h"

#include "terminal/core/answer_lines.h"

namespace motcua {

void draw_review(Ui& ui) {
  Session& s = ui.session;
  // The consent stays in view beside the confirm button, however long the review is.
  std::string consent = ui.tr("review.consent");
  // As mark_button lays it out: the words beside a box as large as the text.
  const float box = std::max(ui.mm(7), ImGui::GetFontSize() * 0.9f), pad = ImGui::GetStyle().FramePadding.x;
  float consent_h = std::max(ui.touch_px, ImGui::CalcTextSize(consent.c_str(), nullptr, false,
                                                              ImGui::GetContentRegionAvail().x - 2 * pad - box - ui.gap_px).y +
                                              2 * ImGui::GetStyle().FramePadding.y) +
                    2 * ui.gap_px;
  // "Xác nhận" tapped before the box was ticked: say why nothing happened, right above the box.
  bool point_at_consent = s.refused_confirms() > 0 && !s.consent();
  std::string needed = ui.tr("review.consent_needed");
  if (point_at_consent)
    consent_h += ImGui::CalcTextSize(needed.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x).y + ui.gap_px;
  // "Xác nhận" tapped while a required paper is missing: say so above the box (the papers are at the top).
  std::vector<const forms::Document*> missing = s.missing_documents();
  bool point_at_papers = s.refused_for_documents() > 0 && !missing.empty();
  std::string papers_needed = tr_word(ui, "review.missing_needed", "review.missing_needed.camera");
  if (point_at_papers)
    consent_h += ImGui::CalcTextSize(papers_needed.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x).y + ui.gap_px;
  begin_content(ui, true, consent_h);
  heading(ui, ui.tr("review.title"));
  paragraph(ui, page_overflows(ui) ? ui.tr("review.hint") : ui.tr("review.hint_fits"));  // "Xem thêm" only when it is there
  // Papers still missing come first, each with the way back to it: the dossier cannot go without them.
  for (const forms::Document* d : missing) {
    std::string line = ui.tr("review.missing", {{"name", d->name.in(s.language())}});
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    ImGui::PushFont(ui.fonts.title);
    paragraph(ui, line, ui.pal.danger);
    ImGui::PopFont();
    record_widget(ui, "review.missing." + d->id, line);
    std::string id = "review.fix." + d->id;
    if (big_button(ui, id.c_str(), ui.tr("review.fix_document"), Tone::Primary))
      ui.emit(Intent::Kind::FixDocument, {}, static_cast<int>(d - s.form()->documents.data()));
  }
  for (const AnswerLine& line : answer_lines(s, ui.strings)) {
    float indent = ui.mm(4) * static_cast<float>(line.depth);
    if (indent > 0) ImGui::Indent(indent);
    switch (line.kind) {
      case AnswerLine::Kind::Step: {
        ImGui::Dummy(ImVec2(0, ui.mm(3)));
        ImGui::Separator();
        std::string edit_label = ui.tr("review.edit");
        float edit_w = std::max(ImGui::CalcTextSize(edit_label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x, ui.touch_px * 1.5f);
        float title_w = ImGui::GetContentRegionAvail().x - edit_w - ui.gap_px;
        ImVec2 row = ImGui::GetCursorScreenPos();
        ImGui::PushTextWrapPos(row.x + title_w);
        ImGui::PushFont(ui.fonts.title);
        ImGui::TextUnformatted(line.label.c_str());
        ImGui::PopFont();
        ImGui::PopTextWrapPos();
        float after_title = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(row.x + title_w + ui.gap_px, row.y));
        std::string id = "review.edit." + std::to_string(line.step);
        if (big_button(ui, id.c_str(), edit_label, Tone::Secondary, ImVec2(edit_w, ui.touch_px)))
          ui.emit(Intent::Kind::EditStep, {}, line.step);
        ImGui::SetCursorScreenPos(ImVec2(row.x, std::max(after_title, ImGui::GetItemRectMax().y + ui.gap_px)));
        break;
      }
      case AnswerLine::Kind::Repeat: paragraph(ui, line.label); break;
      case AnswerLine::Kind::Item: paragraph(ui, line.label, ui.pal.muted); break;
      case AnswerLine::Kind::Answer: {
        if (!line.label.empty()) paragraph(ui, line.label);
        float answer_indent = line.label.empty() ? 0.0f : ui.mm(4);
        if (answer_indent > 0) ImGui::Indent(answer_indent);
        if (line.value.empty()) {
          paragraph(ui, ui.tr("review.empty"));
        } else {
          ImGui::PushTextWrapPos(0.0f);
          ImGui::TextUnformatted(line.value.c_str());
          ImGui::PopTextWrapPos();
        }
        if (answer_indent > 0) ImGui::Unindent(answer_indent);
        break;
      }
    }
    if (indent > 0) ImGui::Unindent(indent);
  }
  const forms::FormPackage& form = *s.form();
  if (!form.documents.empty()) {  // the papers the counter will ask for (meta.documents)
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    ImGui::Separator();
    ImGui::PushFont(ui.fonts.title);
    ImGui::TextUnformatted(ui.tr("review.documents").c_str());
    ImGui::PopFont();
    for (const forms::Document& d : form.documents) {
      std::string line = "• " + d.name.in(s.language());
      std::string notes = d.required ? ui.tr("review.document_required") : "";
      if (s.captures_documents()) {  // what the citizen did with it on the papers step
        const CapturedDocument* have = s.data().documents().find(d.id);
        if (have && !have->pages.empty())
          notes += (notes.empty() ? "" : "; ") + tr_word(ui, "review.document_scanned", "review.document_scanned.camera",
                                                         {{"count", std::to_string(have->pages.size())}});
        else if (have && have->at_counter)
          notes += (notes.empty() ? "" : "; ") + ui.tr("review.document_at_counter");
      }
      if (d.original_at_counter) notes += (notes.empty() ? "" : "; ") + ui.tr("review.document_original");
      if (!notes.empty()) line += " — " + notes;
      paragraph(ui, line, d.required ? ui.pal.text : 0);
      record_widget(ui, "review.document." + d.id, line);
    }
  }
  end_content(ui);
  // The citizen confirms themself, also when a volunteer is helping.
  ImGui::Dummy(ImVec2(0, ui.gap_px));
  if (point_at_papers) {
    paragraph(ui, papers_needed, ui.pal.danger);
    record_widget(ui, "review.missing_needed", papers_needed);
  }
  if (point_at_consent) {
    paragraph(ui, needed, ui.pal.danger);
    record_widget(ui, "review.consent_needed", needed);
  }
  if (toggle_button(ui, "review.consent", consent, s.consent())) ui.emit(Intent::Kind::ToggleConsent);
  if (point_at_consent) {  // the box and its button framed in red: the thing still missing
    ImVec2 r0 = ImGui::GetItemRectMin(), r1 = ImGui::GetItemRectMax();
    float m = ui.mm(1.5f);
    ImGui::GetWindowDrawList()->AddRect(ImVec2(r0.x - m, r0.y - m), ImVec2(r1.x + m, r1.y + m),
                                        ui.pal.danger, ui.mm(2), 0, std::max(3.0f, ui.mm(1)));
  }
  // Tappable even before the box is ticked (it then explains itself), but drawn as not ready.
  nav_bar(ui, ui.tr("nav.back"), "review.confirm", ui.tr("review.confirm"), Intent::Kind::Confirm, s.consent() && missing.empty(), true);
}

}  // namespace motcua
