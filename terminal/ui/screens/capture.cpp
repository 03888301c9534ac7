// The papers step: one paper of the form's meta.documents at a time. The citizen scans its pages
// (or scans one again, or removes one), or says they will bring the paper to the counter. The
// session decides; this screen draws its state and emits intents.
// Rule: what the scanner said reaches the citizen as one plain sentence per kind, never SANE's words.
// Rule: with a document camera (ui.camera) the screen speaks of pictures, not scans, and shows
// the camera's live picture above the button that takes one.
#include "terminal/ui/camera_view.h"
#include "terminal/ui/screens/screens.h"

namespace motcua {

namespace {

// Where the paper already has pages there is no "Bỏ qua" on screen: the way on is the button
// that goes on with them, so a device's sentence names that one instead.
std::string go_on_sentence(Ui& ui, int pages, const std::string& next) {
  return tr_word(ui, "capture.error.go_on", "capture.camera.error.go_on", {{"count", std::to_string(pages)}, {"next", next}});
}

bool names_skip(ScanProblem p) {
  return p == ScanProblem::NoScanner || p == ScanProblem::Busy || p == ScanProblem::Jammed || p == ScanProblem::TooLarge ||
         p == ScanProblem::PageTooBig || p == ScanProblem::Io;
}

std::string problem_sentence(Ui& ui, ScanProblem p, int max_pages, int pages, const std::string& next) {
  if (pages > 0 && names_skip(p)) return go_on_sentence(ui, pages, next);
  switch (p) {
    case ScanProblem::None: return "";
    case ScanProblem::NoScanner: return tr_word(ui, "capture.error.no_scanner", "capture.camera.error.no_scanner");
    case ScanProblem::Busy: return tr_word(ui, "capture.error.busy", "capture.camera.error.busy");
    case ScanProblem::Jammed: return tr_word(ui, "capture.error.jammed", "capture.camera.error.jammed");
    case ScanProblem::Cancelled: return tr_word(ui, "capture.error.cancelled", "capture.camera.error.cancelled");
    case ScanProblem::TooLarge:
    case ScanProblem::PageTooBig: return tr_word(ui, "capture.error.too_large", "capture.camera.error.too_large");
    case ScanProblem::TimedOut: return tr_word(ui, "capture.error.timed_out", "capture.camera.error.timed_out");
    case ScanProblem::Io: return tr_word(ui, "capture.error.io", "capture.camera.error.io");
    case ScanProblem::DocumentFull: return ui.tr("capture.error.document_full", {{"count", std::to_string(max_pages)}});
    case ScanProblem::DossierFull: return ui.tr("capture.error.dossier_full");
  }
  return ui.tr("capture.error.io");
}

const char* problem_id(ScanProblem p) {
  switch (p) {
    case ScanProblem::None: return "none";
    case ScanProblem::NoScanner: return "no-scanner";
    case ScanProblem::Busy: return "busy";
    case ScanProblem::Jammed: return "jammed";
    case ScanProblem::Cancelled: return "cancelled";
    case ScanProblem::TooLarge: return "too-large";
    case ScanProblem::PageTooBig: return "page-too-big";
    case ScanProblem::TimedOut: return "timed-out";
    case ScanProblem::Io: return "io";
    case ScanProblem::DocumentFull: return "document-full";
    case ScanProblem::DossierFull: return "dossier-full";
  }
  return "io";
}

// A page as the citizen scanned it, small, with its number in a corner; where its picture cannot
// be made, a drawn sheet with lines of text and the number large below them.
bool page_tile(Ui& ui, const CapturedPage& page, int number, float h) {
  PagePreviews::Preview preview = ui.previews ? ui.previews->get(page) : PagePreviews::Preview{};
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = preview.texture ? h * static_cast<float>(preview.width) / static_cast<float>(preview.height) : h * 0.72f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  std::string n = std::to_string(number);
  ImGui::PushFont(ui.fonts.title);
  ImVec2 ts = ImGui::CalcTextSize(n.c_str());
  if (preview.texture) {
    dl->AddImage(preview.texture, p, ImVec2(p.x + w, p.y + h));
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), ui.pal.text, ui.mm(0.5f), 0, 2.0f);
    float pad = ui.mm(1);
    ImVec2 b0(p.x + w - ts.x - 3 * pad, p.y + h - ts.y - 2 * pad);
    dl->AddRectFilled(b0, ImVec2(p.x + w, p.y + h), ui.pal.surface, ui.mm(0.5f));
    dl->AddRect(b0, ImVec2(p.x + w, p.y + h), ui.pal.text, ui.mm(0.5f), 0, 2.0f);
    dl->AddText(ImVec2(b0.x + 1.5f * pad, b0.y + pad), ui.pal.text, n.c_str());
  } else {
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.surface, ui.mm(1));  // the theme's colours: high contrast too
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), ui.pal.text, ui.mm(1), 0, 2.0f);
    for (int i = 0; i < 3; ++i) {
      float y = p.y + h * (0.14f + 0.1f * static_cast<float>(i));
      dl->AddLine(ImVec2(p.x + w * 0.15f, y), ImVec2(p.x + w * (i == 2 ? 0.55f : 0.85f), y), ui.pal.muted, 2.0f);
    }
    dl->AddText(ImVec2(p.x + (w - ts.x) / 2, p.y + h * 0.42f + (h * 0.58f - ts.y) / 2), ui.pal.text, n.c_str());
  }
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(w, h));
  return preview.texture != nullptr;
}

// Why the live picture is missing: it was never a picture taken, so the words are the camera's
// state, not a page's ("quá lớn" or "chụp lại" would not be true here).
std::string live_problem_sentence(Ui& ui, ScanProblem p, int pages, const std::string& next) {
  if (pages > 0) return go_on_sentence(ui, pages, next);
  if (p == ScanProblem::NoScanner) return ui.tr("capture.camera.error.no_scanner");
  if (p == ScanProblem::Busy) return ui.tr("capture.camera.error.busy");
  return ui.tr("capture.camera.error.io");
}

// What the camera sees now, captioned, as large as the room under the words allows (the buttons
// below stay on screen); while it starts, a framed box of the same size saying so; when it
// cannot, a short box with the plain sentence (nothing, when that sentence is already above).
void live_picture(Ui& ui, const std::string& shown, int pages, const std::string& next) {
  CameraView::Picture pic = ui.camera->picture();
  // Said on screen too (and so read aloud): without it the picture looks like an example.
  if (pic.texture) paragraph(ui, ui.tr("capture.camera.live"), ui.pal.muted);
  float w = ImGui::GetContentRegionAvail().x;
  float aspect = pic.texture ? static_cast<float>(pic.height) / static_cast<float>(pic.width) : 4.0f / 3.0f;
  // The picture button and "Bỏ qua" below; the "Xem thêm" strip's room counted in, or the page,
  // sized from its room, would fit with the strip and overflow without it, frame after frame.
  float room = ImGui::GetContentRegionAvail().y + page_strip_room(ui) - ui.touch_px * 3.5f;
  float h = std::min(std::max(room, ui.touch_px * 5.0f), w * aspect);
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (pic.texture) {
    float pw = std::min(w, h / aspect);
    ImVec2 a(p.x + (w - pw) / 2, p.y);
    dl->AddImage(pic.texture, a, ImVec2(a.x + pw, a.y + h));
    dl->AddRect(ImVec2(a.x - 2, a.y - 2), ImVec2(a.x + pw + 2, a.y + h + 2), ui.pal.text, 0, 0, 3.0f);
    ImGui::Dummy(ImVec2(w, h));
    record_widget(ui, "capture.live", "picture");
    return;
  }
  std::optional<ScanProblem> problem = ui.camera->problem();
  std::string text = problem ? live_problem_sentence(ui, *problem, pages, next) : ui.tr("capture.camera.live_waiting");
  if (problem && text == shown) {  // said once, above: no second red box saying the same
    record_widget(ui, "capture.live", problem_id(*problem));
    return;
  }
  float pad = ui.gap_px * 2;
  ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - 2 * pad);
  ImGui::PushStyleColor(ImGuiCol_Text, problem ? ui.pal.danger : ui.pal.text);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  if (problem) h = ImGui::GetItemRectMax().y + pad - p.y;  // no picture is coming: no empty frame
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), problem ? ui.pal.danger : ui.pal.text, ui.mm(1), 0, 2.0f);
  ui.announce.push_back(text);
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
  ImGui::Dummy(ImVec2(w, ui.gap_px));
  record_widget(ui, "capture.live", problem ? problem_id(*problem) : "waiting");
  if (problem) record_widget(ui, "capture.live_text", text);
}

}  // namespace

void draw_capture(Ui& ui) {
  const Session& s = ui.session;
  const forms::Document* doc = s.capture_document();
  if (!doc) return;
  const std::string& lang = s.language();
  const CapturedDocument* have = s.data().documents().find(doc->id);
  int pages = have ? static_cast<int>(have->pages.size()) : 0;
  int max_pages = std::max(doc->max_pages, 1);
  int total = static_cast<int>(s.form()->documents.size());
  bool last = s.capture_index() + 1 >= total;

  begin_content(ui, true);
  std::string progress = ui.tr("capture.progress", {{"current", std::to_string(s.capture_index() + 1)}, {"total", std::to_string(total)}});
  paragraph(ui, progress, ui.pal.muted);
  heading(ui, doc->name.in(lang));
  record_widget(ui, "capture.document", doc->id);
  std::string next_label = last ? ui.tr("form.to_review") : ui.tr("nav.next");
  // An optional paper the citizen does not have is passed by with the button that goes on.
  paragraph(ui, doc->required ? ui.tr("capture.required") : ui.tr("capture.optional", {{"next", next_label}}), ui.pal.text);
  paragraph(ui, ui.tr("capture.max_pages", {{"count", std::to_string(max_pages)}}), ui.pal.text);
  if (doc->original_at_counter)  // scanning does not spare the counter
    paragraph(ui, tr_word(ui, "capture.original", "capture.camera.original"), ui.pal.text);

  if (s.scanning()) {
    ImGui::Dummy(ImVec2(0, ui.mm(10)));
    std::string wait = s.scanning_page() >= 0 ? tr_word(ui, "capture.scanning_again", "capture.camera.scanning_again",
                                                        {{"number", std::to_string(s.scanning_page() + 1)}})
                                              : tr_word(ui, "capture.scanning", "capture.camera.scanning");
    ImGui::PushFont(ui.fonts.title);
    paragraph(ui, wait, ui.pal.text);
    ImGui::PopFont();
    record_widget(ui, "capture.scanning", wait);
    ImGui::Dummy(ImVec2(0, ui.mm(10)));
    if (big_button(ui, "capture.cancel", ui.tr("capture.cancel"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.5f)))
      ui.emit(Intent::Kind::CancelScan);
    end_content(ui);
    return;  // no way on while the scanner works: Huỷ first
  }

  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  std::string status;
  if (pages > 0) status = tr_word(ui, "capture.pages", "capture.camera.pages", {{"count", std::to_string(pages)}});
  else if (have && have->at_counter) status = ui.tr("capture.at_counter");
  else status = tr_word(ui, "capture.no_pages", "capture.camera.no_pages");
  ImGui::PushFont(ui.fonts.title);
  paragraph(ui, status, ui.pal.text);
  ImGui::PopFont();
  record_widget(ui, "capture.status", status);

  // One row per page: the sheet, its number, "Quét lại trang này" and "Xoá trang".
  for (int i = 0; i < pages; ++i) {
    ImGui::PushID(i);
    ImVec2 row = ImGui::GetCursorScreenPos();
    bool picture = page_tile(ui, have->pages[static_cast<size_t>(i)], i + 1, ui.touch_px * 4.0f);
    record_widget(ui, "capture.page." + std::to_string(i), picture ? "picture" : "sheet");
    float after = ImGui::GetCursorScreenPos().y;
    float x = ImGui::GetItemRectMax().x + ui.gap_px * 2;
    float right = row.x + ImGui::GetContentRegionAvail().x;
    std::string label = ui.tr("capture.page", {{"number", std::to_string(i + 1)}});
    ImGui::SetCursorScreenPos(ImVec2(x, row.y));
    ImGui::TextUnformatted(label.c_str());
    ui.announce.push_back(label);
    float buttons_y = ImGui::GetCursorScreenPos().y;
    float w = (right - x - ui.gap_px) / 2;
    ImGui::SetCursorScreenPos(ImVec2(x, buttons_y));
    std::string retake_id = "capture.retake." + std::to_string(i), remove_id = "capture.remove." + std::to_string(i);
    if (big_button(ui, retake_id.c_str(), tr_word(ui, "capture.retake", "capture.camera.retake"), Tone::Secondary, ImVec2(w, ui.touch_px)))
      ui.emit(Intent::Kind::RetakePage, {}, i);
    ImGui::SetCursorScreenPos(ImVec2(x + w + ui.gap_px, buttons_y));
    if (big_button(ui, remove_id.c_str(), ui.tr("capture.remove"), Tone::Secondary, ImVec2(w, ui.touch_px)))
      ui.emit(Intent::Kind::AskRemovePage, {}, i);
    ImGui::SetCursorScreenPos(ImVec2(row.x, std::max(after, ImGui::GetItemRectMax().y) + ui.gap_px));
    ImGui::Dummy(ImVec2(0, 0));
    ImGui::PopID();
  }

  std::string sentence = problem_sentence(ui, s.scan_problem(), max_pages, pages, next_label);
  if (!sentence.empty()) {
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    paragraph(ui, sentence, ui.pal.danger);
    record_widget(ui, "capture.problem", problem_id(s.scan_problem()));
    record_widget(ui, "capture.problem_text", sentence);
  }

  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  // A camera that shows nothing: no instruction about a picture that is not there, and the way on
  // (skip, or go on with the pages taken) is the main button, not another try at the camera.
  const bool camera_down = ui.camera && ui.camera->problem().has_value();
  if (pages < max_pages) {
    std::string scan = pages == 0 ? tr_word(ui, "capture.scan", "capture.camera.scan")
                                  : tr_word(ui, "capture.scan_next", "capture.camera.scan_next", {{"number", std::to_string(pages + 1)}});
    // With a page taken, the citizen is told that a one-page paper is finished (unless the camera
    // that would take the next one shows nothing: the sentence above says how to go on).
    if (pages > 0 && !camera_down) {
      std::string more = tr_word(ui, "capture.more", "capture.camera.more", {{"scan", scan}, {"next", next_label}});
      paragraph(ui, more, ui.pal.text);
      record_widget(ui, "capture.more", more);
    }
    if (!camera_down) paragraph(ui, tr_word(ui, "capture.how", "capture.camera.how", {{"scan", scan}}), ui.pal.text);
    if (ui.camera) live_picture(ui, sentence, pages, next_label);
    // A camera showing nothing takes no page: its button offers another try, in plain type.
    if (camera_down) {
      if (big_button(ui, "capture.scan", ui.tr("capture.camera.retry"), Tone::Secondary)) ui.emit(Intent::Kind::ScanPage);
    } else {
      ImGui::PushFont(ui.fonts.title);
      if (big_button(ui, "capture.scan", scan, Tone::Primary, ImVec2(-1, ui.touch_px * 1.5f))) ui.emit(Intent::Kind::ScanPage);
      ImGui::PopFont();
    }
  } else {
    paragraph(ui, tr_word(ui, "capture.full", "capture.camera.full", {{"count", std::to_string(max_pages)}}), ui.pal.text);
  }
  if (pages == 0 && !(have && have->at_counter)) {
    ImGui::Dummy(ImVec2(0, ui.gap_px));
    if (big_button(ui, "capture.skip", ui.tr("capture.skip"), camera_down ? Tone::Primary : Tone::Secondary))
      ui.emit(Intent::Kind::SkipDocument);
  }
  end_content(ui);
  nav_bar(ui, ui.tr("nav.back"), "capture.next", next_label);
}

}  // namespace motcua
