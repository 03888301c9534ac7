#include "terminal/screens/screens.h"

namespace motcua {

namespace {
// A card above a reader: the picture says "put the card here" without reading.
void draw_card_on_reader(Ui& ui) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = std::min(ImGui::GetContentRegionAvail().x, ui.mm(120));
  float x = p.x + (ImGui::GetContentRegionAvail().x - w) / 2;
  float reader_h = w * 0.28f, card_w = w * 0.62f, card_h = card_w * 0.63f;
  ImVec2 reader_min(x, p.y + card_h * 0.75f);
  dl->AddRectFilled(reader_min, ImVec2(x + w, reader_min.y + reader_h), IM_COL32(60, 66, 78, 255), ui.mm(3));
  float cx = x + (w - card_w) / 2;
  ImVec2 card_min(cx, p.y);
  dl->AddRectFilled(card_min, ImVec2(cx + card_w, p.y + card_h), IM_COL32(214, 232, 250, 255), ui.mm(3));
  dl->AddRect(card_min, ImVec2(cx + card_w, p.y + card_h), ui.pal.primary, ui.mm(3), 0, 3.0f);
  dl->AddRectFilled(ImVec2(cx + card_w * 0.08f, p.y + card_h * 0.3f), ImVec2(cx + card_w * 0.26f, p.y + card_h * 0.58f),
                    IM_COL32(212, 175, 55, 255), ui.mm(1));  // the chip
  for (int i = 0; i < 3; ++i)
    dl->AddRectFilled(ImVec2(cx + card_w * 0.34f, p.y + card_h * (0.3f + 0.12f * i)),
                      ImVec2(cx + card_w * (0.9f - 0.1f * i), p.y + card_h * (0.36f + 0.12f * i)), ui.pal.border);
  ImGui::Dummy(ImVec2(w, card_h * 0.75f + reader_h + ui.mm(4)));
}
}  // namespace

void draw_identify(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, true);
  paragraph(ui, s.form()->title.in(s.language()));
  if (s.waiting_for_card()) {
    heading(ui, ui.tr("identify.place_card"));
    ImGui::Dummy(ImVec2(0, ui.mm(4)));
    draw_card_on_reader(ui);
    paragraph(ui, ui.tr("identify.no_reader"));
    ImGui::Dummy(ImVec2(0, ui.mm(4)));
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Secondary)) ui.emit(Intent::Kind::TypeByHand);
  } else {
    heading(ui, ui.tr("identify.title"));
    paragraph(ui, ui.tr("identify.hint"));
    ImGui::Dummy(ImVec2(0, ui.mm(6)));
    if (big_button(ui, "identify.card", ui.tr("identify.card"), Tone::Primary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::UseCard);
    if (big_button(ui, "identify.manual", ui.tr("identify.manual"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.6f)))
      ui.emit(Intent::Kind::TypeByHand);
  }
  end_content();
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

}  // namespace motcua
