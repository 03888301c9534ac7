#include "terminal/ui/screens/screens.h"

namespace motcua {

void draw_attract(Ui& ui) {
  begin_content(ui, false);
  if (ui.session.card_left_behind()) take_card_reminder(ui);
  // One large switch for people who cannot read the screen easily: it stays on for this visit only.
  {
    std::string label = ui.session.read_aloud() ? ui.tr("attract.read_aloud_off") : ui.tr("attract.read_aloud_on");
    ImGui::Indent(ui.touch_px * 1.2f);
    if (big_button(ui, "attract.read_aloud", label, ui.session.read_aloud() ? Tone::Primary : Tone::Secondary,
                   ImVec2(-1, ui.touch_px * 1.3f)))
      ui.emit(Intent::Kind::ToggleReadAloud);
    ImGui::Unindent(ui.touch_px * 1.2f);
    ImVec2 r0 = ImGui::GetItemRectMin(), r1 = ImGui::GetItemRectMax();
    draw_speaker_icon(ImGui::GetWindowDrawList(), ImVec2(r0.x - ui.touch_px * 0.6f, (r0.y + r1.y) / 2), ui.touch_px, ui.pal.primary);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(6)));
  heading(ui, ui.tr("attract.title"));
  paragraph(ui, ui.tr("attract.subtitle"));
  ImGui::Dummy(ImVec2(0, ui.mm(8)));

  bool tickets = false;
  for (auto& c : ui.session.catalog().categories()) tickets |= !c.queue_prefix.empty();
  float ticket_h = (tickets ? ui.touch_px * 1.6f + ui.gap_px : 0) +
                   (ui.session.can_look_up() ? ui.touch_px * 1.3f + ui.gap_px : 0) +
                   (ui.session.config().volunteers.empty() ? 0 : ui.touch_px + ui.mm(4) + ui.gap_px) +
                   (ui.session.can_sign_in_staff() ? ui.touch_px + ui.mm(2) + ui.gap_px : 0);
  // Four numbered steps so a first-time visitor knows what the kiosk will ask; on a short screen
  // (1280x800) they give way, since nobody should have to scroll to find where to begin.
  // Without a reader the card step is not promised: the citizen types instead.
  const std::string steps[] = {ui.tr("attract.step_choose"),
                               ui.session.has_card_reader() ? ui.tr("attract.step_card") : ui.tr("attract.step_card_none"),
                               ui.tr("attract.step_fill"), ui.tr("attract.step_receipt")};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float r = ImGui::GetFontSize() * 0.9f;
  float steps_h = 4 * (2 * r + ui.gap_px) + ui.mm(8);
  bool room_for_steps = ImGui::GetContentRegionAvail().y - steps_h >= ticket_h + ui.touch_px * 2.5f;
  for (int i = 0; i < (room_for_steps ? 4 : 0); ++i) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImVec2 c(p.x + r, p.y + r);
    dl->AddCircleFilled(c, r, ui.pal.primary);
    std::string n = std::to_string(i + 1);
    ImVec2 ts = ImGui::CalcTextSize(n.c_str());
    dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), ui.pal.surface, n.c_str());
    ImGui::SetCursorScreenPos(ImVec2(p.x + 2 * r + ui.gap_px, p.y + r - ImGui::GetFontSize() / 2));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(steps[i].c_str());
    ImGui::PopTextWrapPos();
    record_widget(ui, "attract.step." + std::to_string(i + 1), steps[i]);
    ImGui::SetCursorScreenPos(ImVec2(p.x, std::max(ImGui::GetCursorScreenPos().y, p.y + 2 * r + ui.gap_px)));
  }

  if (room_for_steps) ImGui::Dummy(ImVec2(0, ui.mm(8)));
  float avail = ImGui::GetContentRegionAvail().y;
  // The start target takes most of what is left: nobody should have to aim for it.
  float h = std::max(ui.touch_px * 2.5f, std::min((avail - ticket_h) * 0.7f, ui.mm(110)));
  ImGui::PushFont(ui.fonts.title);
  if (big_button(ui, "attract.start", ui.tr("attract.start"), Tone::Primary, ImVec2(-1, h)))
    ui.emit(Intent::Kind::Start);
  // People who came only for a queue number at the counter get it in one touch.
  if (tickets && big_button(ui, "attract.ticket", ui.tr("attract.ticket"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.6f)))
    ui.emit(Intent::Kind::TakeTicket);
  ImGui::PopFont();
  if (ui.session.can_look_up() &&
      big_button(ui, "attract.lookup", ui.tr("attract.lookup"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.3f)))
    ui.emit(Intent::Kind::StartLookup);
  if (!ui.session.config().volunteers.empty()) {
    ImGui::Dummy(ImVec2(0, ui.mm(4)));
    if (big_button(ui, "attract.volunteer", ui.tr("attract.volunteer"), Tone::Quiet)) ui.emit(Intent::Kind::VolunteerSignIn);
  }
  if (ui.session.can_sign_in_staff()) {
    ImGui::Dummy(ImVec2(0, ui.mm(2)));
    if (big_button(ui, "attract.staff", ui.tr("attract.staff"), Tone::Quiet)) ui.emit(Intent::Kind::StaffSignIn);
  }
  end_content(ui);
}

}  // namespace motcua
