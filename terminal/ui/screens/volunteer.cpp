#include "terminal/ui/screens/screens.h"

namespace motcua {

// The PIN pad: digits only, shown as dots, never read aloud.
void draw_volunteer_pin(Ui& ui) {
  const Session& s = ui.session;
  begin_content(ui, true);
  bool staff = s.step() == Step::StaffPin;  // the same pad opens the staff screen
  heading(ui, staff ? ui.tr("staff.pin_title") : ui.tr("volunteer.title"));
  paragraph(ui, staff ? ui.tr("staff.pin_hint") : ui.tr("volunteer.hint"));
  std::string dots;
  for (size_t i = 0; i < s.pin_length(); ++i) dots += "\xE2\x80\xA2 ";
  ImGui::PushFont(ui.fonts.title);
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  ImGui::PopFont();
  if (s.pin_locked_seconds() > 0)
    paragraph(ui, ui.tr("volunteer.locked", {{"minutes", std::to_string((s.pin_locked_seconds() + 59) / 60)}}), ui.pal.danger);
  else if (s.pin_wrong())
    paragraph(ui, ui.tr("volunteer.wrong"), ui.pal.danger);
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  float w = (ImGui::GetContentRegionAvail().x - 2 * ui.gap_px) / 3, h = ui.touch_px * 1.4f;
  const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
  ImGui::PushFont(ui.fonts.title);
  for (int i = 0; i < 12; ++i) {
    if (i % 3) ImGui::SameLine();
    std::string id = "volunteer.key." + std::to_string(i);
    if (i == 9) {
      if (big_button(ui, "volunteer.delete", ui.tr("volunteer.delete"), Tone::Quiet, ImVec2(w, h))) ui.emit(Intent::Kind::PinDelete);
    } else if (i == 11) {
      if (big_button(ui, "volunteer.ok", ui.tr("volunteer.ok"), Tone::Primary, ImVec2(w, h))) ui.emit(Intent::Kind::PinSubmit);
    } else {
      std::string digit_id = std::string("volunteer.digit.") + keys[i];
      if (big_button(ui, digit_id.c_str(), keys[i], Tone::Secondary, ImVec2(w, h))) ui.emit(Intent::Kind::PinDigit, {}, keys[i][0] - '0');
    }
  }
  ImGui::PopFont();
  end_content(ui);
  nav_bar(ui, ui.tr("nav.back"), "", "");
}

}  // namespace motcua
