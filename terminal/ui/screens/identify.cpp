#include <cmath>

#include "terminal/ui/screens/screens.h"

namespace motcua {

namespace {
// A card coming down onto a reader: the picture says "put the card here" without reading.
// `phase` 0..1 moves the card; a still picture uses 1 (the card resting on the reader).
void draw_card_on_reader(Ui& ui, float phase) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = std::min(ImGui::GetContentRegionAvail().x, ui.mm(100));
  float x = p.x + (ImGui::GetContentRegionAvail().x - w) / 2;
  float reader_h = w * 0.28f, card_w = w * 0.62f, card_h = card_w * 0.63f;
  float lift = (1.0f - phase) * card_h * 0.5f;
  ImVec2 reader_min(x, p.y + card_h * 0.75f + card_h * 0.5f);
  dl->AddRectFilled(reader_min, ImVec2(x + w, reader_min.y + reader_h), IM_COL32(60, 66, 78, 255), ui.mm(3));
  if (phase >= 1.0f)  // resting: the reader's light is on
    dl->AddCircleFilled(ImVec2(x + w * 0.92f, reader_min.y + reader_h * 0.7f), ui.mm(1.5f), ui.pal.success);
  float cx = x + (w - card_w) / 2, cy = p.y + card_h * 0.5f - lift;
  dl->AddRectFilled(ImVec2(cx, cy), ImVec2(cx + card_w, cy + card_h), IM_COL32(214, 232, 250, 255), ui.mm(3));
  dl->AddRect(ImVec2(cx, cy), ImVec2(cx + card_w, cy + card_h), ui.pal.primary, ui.mm(3), 0, 3.0f);
  dl->AddRectFilled(ImVec2(cx + card_w * 0.08f, cy + card_h * 0.3f), ImVec2(cx + card_w * 0.26f, cy + card_h * 0.58f),
                    IM_COL32(212, 175, 55, 255), ui.mm(1));  // the chip
  for (int i = 0; i < 3; ++i)
    dl->AddRectFilled(ImVec2(cx + card_w * 0.34f, cy + card_h * (0.3f + 0.12f * i)),
                      ImVec2(cx + card_w * (0.9f - 0.1f * i), cy + card_h * (0.36f + 0.12f * i)), ui.pal.border);
  ImGui::Dummy(ImVec2(w, card_h * 1.25f + reader_h + ui.mm(3)));
}

void progress_bar(Ui& ui, float fraction) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, h = ui.mm(6);
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ui.pal.track, h / 2);
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w * std::clamp(fraction, 0.02f, 1.0f), p.y + h),
                                            ui.pal.primary, h / 2);
  ImGui::Dummy(ImVec2(w, h + ui.mm(2)));
}

std::string card_message_text(Ui& ui, CardMessage m) {
  switch (m) {
    case CardMessage::NeedDates: return ui.tr("card.need_dates");
    case CardMessage::IdFormat: return ui.tr("card.error.id_format");
    case CardMessage::DateFormat: return ui.tr("card.error.date_format");
    case CardMessage::NoCard: return ui.tr("card.error.no_card");
    case CardMessage::NoReader: return ui.tr("card.error.no_reader");
    case CardMessage::WrongId: return ui.tr("card.error.wrong_id");
    case CardMessage::Removed: return ui.tr("card.error.removed");
    case CardMessage::Unreadable: return ui.tr("card.error.unreadable");
    case CardMessage::Untrusted: return ui.tr("card.error.untrusted");
    case CardMessage::None: break;
  }
  return {};
}

void draw_card_path(Ui& ui) {
  Session& s = ui.session;
  if (s.card_stage() == CardStage::Reading) {
    heading(ui, ui.tr("identify.reading"));
    draw_card_on_reader(ui, 1.0f);
    int percent = static_cast<int>(std::round(s.card_progress() * 100));
    progress_bar(ui, s.card_progress());
    record_widget(ui, "identify.progress", std::to_string(percent));
    paragraph(ui, ui.tr("identify.reading_hint"));
    return;
  }
  heading(ui, ui.tr("identify.place_card"));
  CardPresence presence = s.card_presence();
  // The card drops onto the reader once a second until one lies there.
  float phase = presence.card ? 1.0f : std::min(1.0f, std::fmod(static_cast<float>(ImGui::GetTime()), 1.6f) / 1.2f);
  draw_card_on_reader(ui, phase);
  paragraph(ui, presence.card ? ui.tr("identify.card_seen") : ui.tr("identify.card_missing"),
            presence.card ? ui.pal.success : ui.pal.muted);
  record_widget(ui, "identify.presence", presence.card ? "card" : "none");
  text_field(ui, "card.id", ui.tr("identify.id_label"), s.data().field("card.id"), "card.id");
  if (s.card_stage() == CardStage::EnterDates) {
    text_field(ui, "card.dob", ui.tr("identify.dob_label"), s.data().field("card.dob"), "card.dob");
    text_field(ui, "card.expiry", ui.tr("identify.expiry_label"), s.data().field("card.expiry"), "card.expiry");
  }
  if (s.card_message() != CardMessage::None) {
    std::string text = card_message_text(ui, s.card_message());
    paragraph(ui, text, s.card_message() == CardMessage::NeedDates ? ui.pal.text : ui.pal.danger);
    record_widget(ui, "identify.message", text);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(2)));
  if (big_button(ui, "identify.read", ui.tr("identify.read_button"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.3f)))
    ui.emit(Intent::Kind::ReadCard);
  paragraph(ui, ui.tr("identify.keep_card"), ui.pal.muted);
}
}  // namespace

void draw_identify(Ui& ui) {
  const Session& s = ui.session;
  bool card_path = s.waiting_for_card() && s.has_card_reader();
  begin_content(ui, true, card_path ? keyboard_height(ui) : 0.0f);
  paragraph(ui, s.form()->title.in(s.language()));
  if (card_path) {
    draw_card_path(ui);
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Secondary)) ui.emit(Intent::Kind::TypeByHand);
  } else if (s.waiting_for_card()) {
    // No reader: say only that, not also "place your card" (one instruction, the one that works).
    heading(ui, ui.tr("identify.no_reader_title"));
    paragraph(ui, ui.tr("identify.no_reader"), ui.pal.text);
    record_widget(ui, "identify.no_reader", ui.tr("identify.no_reader"));
    ImGui::Dummy(ImVec2(0, ui.mm(4)));
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Secondary)) ui.emit(Intent::Kind::TypeByHand);
  } else if (!s.has_card_reader()) {
    // No reader: one way on, not a card button that leads to "not here".
    heading(ui, ui.tr("identify.title"));
    paragraph(ui, ui.tr("identify.no_reader"), ui.pal.text);
    record_widget(ui, "identify.no_reader", ui.tr("identify.no_reader"));
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::TypeByHand);
  } else {
    heading(ui, ui.tr("identify.title"));
    paragraph(ui, ui.tr("identify.hint"));
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "identify.card", ui.tr("identify.card"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::UseCard);
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::TypeByHand);
  }
  end_content(ui);
  if (card_path && s.card_stage() != CardStage::Reading) draw_keyboard(ui);
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

}  // namespace motcua
