#include "terminal/ui/screens/screens.h"

#include <algorithm>
#include <ctime>

#include <imgui_internal.h>

namespace motcua {

namespace {
float nav_height(Ui& ui) { return ui.touch_px * 1.25f + 2 * ImGui::GetStyle().WindowPadding.y; }
}  // namespace

void top_bar(Ui& ui) {
  const Session& s = ui.session;
  ImGuiStyle& style = ImGui::GetStyle();
  ImVec2 origin = ImGui::GetWindowPos();
  float width = ImGui::GetWindowWidth();
  float pad = ui.mm(3), inner_w = width - 2 * style.WindowPadding.x;

  struct BarButton { std::string id, label; Intent intent; float w; };
  std::vector<BarButton> buttons;  // right to left
  auto add = [&](std::string id, std::string label, Intent intent) {
    float w = std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * style.FramePadding.x, ui.touch_px);
    buttons.push_back({std::move(id), std::move(label), std::move(intent), w});
  };
  // Help first, where the eye lands; "Kết thúc" last, apart from the rest (it asks before wiping).
  // "Đã gọi cán bộ" only once the signal rang.
  using Call = Ui::HelpCall;
  const bool called = s.staff_called() && ui.help_call == Call::Called, calling = s.staff_called() && ui.help_call == Call::Calling;
  add("chrome.help", called ? ui.tr("chrome.help_called") : calling ? ui.tr("chrome.help_calling") : ui.tr("chrome.help"),
      {Intent::Kind::CallStaff});
  const int next_size = s.text_percent() == 100 ? 150 : s.text_percent() == 150 ? 200 : 100;
  // Says what a tap does, not a percentage: "Chữ to hơn" until the largest, then back to normal.
  add("chrome.text_size", next_size > s.text_percent() ? ui.tr("chrome.text_bigger") : ui.tr("chrome.text_normal"),
      {Intent::Kind::TextSize, {}, next_size});
  add("chrome.contrast", s.high_contrast() ? ui.tr("chrome.contrast_off") : ui.tr("chrome.contrast_on"),
      {Intent::Kind::ToggleContrast});
  if (s.read_aloud()) {
    add("chrome.volume_up", ui.tr("chrome.volume_up"), {Intent::Kind::VolumeUp});
    add("chrome.volume_down", ui.tr("chrome.volume_down", {{"percent", std::to_string(s.volume())}}), {Intent::Kind::VolumeDown});
  }
  for (auto& lang : s.config().locales)
    if (lang != s.language()) add("chrome.lang." + lang, ui.strings.get(lang, "language.name"), {Intent::Kind::SwitchLanguage, lang});
  const float end_gap = ui.mm(10);  // between "Kết thúc" and its neighbour
  // Not while the portal's code is awaited: the dossier is kept, and its receipt is seconds away.
  if (s.step() != Step::Attract && !s.resting() && !s.waiting_for_portal())
    add("chrome.end", ui.tr("chrome.end_session"), {Intent::Kind::AskEnd});
  float buttons_w = 0;
  for (auto& b : buttons) buttons_w += b.w + ui.gap_px + (b.id == "chrome.end" ? end_gap : 0);
  float row_h = line_button_height(ui);

  // The centre name shares the row when it fits; otherwise it gets its own wrapped line
  // above the buttons, so large text never clips it.
  std::string center = center_name(s.config(), s.language());
  if (s.config().endpoint == "demo") center = ui.tr("chrome.demo_badge") + "  " + center;
  bool same_row = ImGui::CalcTextSize(center.c_str()).x + buttons_w <= inner_w;
  float name_h = same_row ? 0 : ImGui::CalcTextSize(center.c_str(), nullptr, false, inner_w).y + pad;
  // Buttons fill rows from the right; at large text sizes they take as many rows as they need.
  int rows = 1;
  for (float used = 0; auto& b : buttons) {
    float lead = b.id == "chrome.end" ? end_gap : 0;
    if (used > 0 && used + lead + b.w > inner_w) { ++rows; used = 0; }
    used += (used > 0 ? lead : 0) + b.w + ui.gap_px;
  }
  float height = name_h + rows * row_h + (rows - 1) * ui.gap_px + 2 * pad;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRectFullScreen();  // the window clips half its padding away; the bar runs edge to edge
  dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), ui.pal.bar);
  dl->PopClipRect();
  ImVec2 name_pos(origin.x + style.WindowPadding.x,
                  same_row ? origin.y + (height - ImGui::GetFontSize()) / 2 : origin.y + pad);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), name_pos, ui.pal.on_bar, center.c_str(), nullptr,
              same_row ? 0.0f : inner_w);
  ImVec2 name_size = ImGui::CalcTextSize(center.c_str(), nullptr, false, same_row ? -1.0f : inner_w);
  ui.widgets["chrome.center"] = {name_pos, ImVec2(name_pos.x + name_size.x, name_pos.y + name_size.y), center};

  const float right = origin.x + width - style.WindowPadding.x;
  float x = right;
  float y = origin.y + pad + name_h;
  for (auto& b : buttons) {
    float lead = b.id == "chrome.end" && x < right ? end_gap : 0;
    if (x < right && x - lead - b.w < origin.x + style.WindowPadding.x) {
      x = right;
      y += row_h + ui.gap_px;
      lead = 0;
    }
    x -= lead + b.w;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    // Help: blue on white, unlike the rest, until staff are told or being told (a failed call may be pressed again).
    Tone tone = b.id == "chrome.help" && !called && !calling ? Tone::Secondary : Tone::Quiet;  // help: blue on white, unlike the rest
    if (big_button(ui, b.id.c_str(), b.label, tone, ImVec2(b.w, row_h))) ui.intents.push_back(b.intent);
    x -= ui.gap_px;
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x + style.WindowPadding.x, origin.y + height + style.WindowPadding.y));
}

// For staff and volunteers only: what waits for the portal. Counts, age and the error; no names.
void outbox_line(Ui& ui) {
  const outbox::Summary* o = ui.outbox;
  if (!o || (o->waiting == 0 && o->rejected == 0 && o->paused.empty())) return;
  long minutes = o->oldest_waiting_created_at ? (std::time(nullptr) - o->oldest_waiting_created_at) / 60 : 0;
  std::string text = ui.tr("staff.outbox", {{"waiting", std::to_string(o->waiting)}, {"minutes", std::to_string(minutes)},
                                            {"rejected", std::to_string(o->rejected)}});
  if (!o->paused.empty()) text.append(" ").append(ui.tr("staff.outbox_paused"));
  if (!o->last_error.empty()) text.append(" ").append(ui.tr("staff.outbox_error", {{"error", o->last_error}}));
  paragraph(ui, text, o->paused.empty() && o->rejected == 0 ? ui.pal.text : ui.pal.danger);
  record_widget(ui, "staff.outbox", text);
}

// White text on the success colour across the page: what everyone near the kiosk should see.
// White text on a filled band: green for what went well, blue for news, red for what did not.
static void banner(Ui& ui, const char* id, const std::string& text, ImU32 fill) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  float text_h = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 2 * ui.mm(3)).y;
  ImVec2 end(p.x + w, p.y + text_h + 2 * ui.mm(2));
  ImGui::GetWindowDrawList()->AddRectFilled(p, end, fill, ui.mm(1.5f));
  // Ink that reads on the band: white on the calm palette's dark fills, black on high contrast's light ones.
  const ImU32 white = IM_COL32(255, 255, 255, 255), black = IM_COL32(0, 0, 0, 255);
  const ImU32 ink = contrast_ratio(fill, white) >= contrast_ratio(fill, black) ? white : black;
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + ui.mm(3), p.y + ui.mm(2)), ink,
                                      text.c_str(), nullptr, w - 2 * ui.mm(3));
  ImGui::Dummy(ImVec2(w, end.y - p.y));
  ui.widgets[id] = {p, end, text, false};
}

void volunteer_banner(Ui& ui) {
  const Session& s = ui.session;
  if (!s.assisted()) return;
  // Everyone at the kiosk can see that a volunteer is helping, and who.
  float w = ImGui::GetContentRegionAvail().x;
  banner(ui, "volunteer.banner", ui.tr("volunteer.banner", {{"id", s.volunteer()}}), ui.pal.success);
  float bw = (w - 2 * ui.gap_px) / 3;
  if (big_button(ui, "volunteer.read", ui.tr("volunteer.read"), Tone::Quiet, ImVec2(bw, ui.touch_px))) ui.emit(Intent::Kind::ReadScreen);
  ImGui::SameLine();
  if (big_button(ui, "volunteer.restart", ui.tr("volunteer.restart"), Tone::Quiet, ImVec2(bw, ui.touch_px)))
    ui.emit(Intent::Kind::AskRestartStep);
  ImGui::SameLine();
  const bool called = s.staff_called() && ui.help_call == Ui::HelpCall::Called;
  const bool calling = s.staff_called() && ui.help_call == Ui::HelpCall::Calling;
  // Pressed, and the bell failed or there is none: the volunteer must go for staff in person.
  const bool not_reached = s.staff_called() && !called && !calling;
  std::string call = called ? ui.tr("volunteer.staff_called") : calling ? ui.tr("chrome.help_calling")
                   : not_reached ? ui.tr("volunteer.staff_not_reached") : ui.tr("volunteer.call_staff");
  if (big_button(ui, "volunteer.call_staff", call, s.staff_called() ? Tone::Primary : Tone::Danger, ImVec2(bw, ui.touch_px)))
    ui.emit(Intent::Kind::CallStaff);
  outbox_line(ui);
}

void help_banner(Ui& ui) {
  const Session& s = ui.session;
  if (!s.staff_called() || s.assisted()) return;  // a volunteer's banner has its own tools
  float w = ImGui::GetContentRegionAvail().x;
  // What is true now: staff told, being told, or not reachable from here (then a person nearby).
  using Call = Ui::HelpCall;
  const Call call = ui.help_call;
  const char* id = call == Call::Called ? "help.coming" : call == Call::Calling ? "help.calling"
                 : call == Call::Failed ? "help.call_failed" : "help.ask_nearby";
  std::string text = call == Call::Called ? ui.tr("help.coming") : call == Call::Calling ? ui.tr("help.calling")
                   : call == Call::Failed ? ui.tr("help.call_failed") : ui.tr("help.ask_nearby");
  banner(ui, id, text, call == Call::Called ? ui.pal.success : call == Call::Failed ? ui.pal.danger : ui.pal.primary);
  ui.announce.push_back(text);
  float bw = s.read_aloud() ? w : (w - ui.gap_px) / 2;
  if (big_button(ui, "help.read", ui.tr("help.read"), Tone::Secondary, ImVec2(bw, ui.touch_px))) ui.emit(Intent::Kind::ReadScreen);
  if (!s.read_aloud()) {
    ImGui::SameLine(0, ui.gap_px);
    if (big_button(ui, "help.read_aloud", ui.tr("help.read_aloud"), Tone::Secondary, ImVec2(bw, ui.touch_px)))
      ui.emit(Intent::Kind::ToggleReadAloud);
  }
}

namespace {
bool inking_now = false;  // a finger is on the signature pad (set by the pad, read next frame)
}

void set_inking(bool on) { inking_now = on; }

float column_width(Ui& ui, float avail) { return std::min(avail, ui.mm(kColumnMm)); }

namespace {
// "Xem thêm bên dưới": a page taller than its room says so under it, and a tap shows the next
// part. A finger that never scrolled a phone does not know to drag; a thin scrollbar tells it
// nothing. Whether the page overflows is kept per screen, decided as it is built (with the
// strip's room counted back in, so it does not come and go as it takes that room); a change
// builds the screen again before it is shown. No strip while the keyboard is open (the field
// typed into is kept in view).
struct PageState {
  std::string screen;     // which screen the state is for
  bool overflows = false;
  int flips = 0;          // a page whose height follows its room could flip for ever: a few, then it stays
};
PageState page_state;

std::string screen_of(const Session& s) {
  return std::string(step_name(s.step())) + "|" + std::to_string(s.generation()) + "|" + std::to_string(s.form_step()) +
         "|" + std::to_string(s.asking().has_value()) + std::to_string(s.asking_more_time()) + "|" + std::to_string(s.capture_index());
}

float more_strip_height(Ui& ui) { return line_button_height(ui) + ui.gap_px; }
bool more_strip_shown(Ui& ui) {
  return page_state.overflows && page_state.screen == screen_of(ui.session) && ui.session.keyboard().target.empty();
}
}  // namespace

bool page_overflows(Ui& ui) { return more_strip_shown(ui); }
float page_strip_room(Ui& ui) { return more_strip_shown(ui) ? more_strip_height(ui) : 0.0f; }

bool begin_content(Ui& ui, bool with_nav, float extra) {
  float reserve = (with_nav ? nav_height(ui) : 0.0f) + extra + page_strip_room(ui);
  // A wide screen gets a centred column: lines a reader's eye can follow, not 1,860 px of them.
  float avail = ImGui::GetContentRegionAvail().x, column = column_width(ui, avail);
  if (column < avail) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - column) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  bool open = ImGui::BeginChild("content", ImVec2(column < avail ? column : 0, -reserve), false, ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar();
  // A finger dragged up or down the page scrolls it, as on a phone: a touch screen has no wheel.
  // Not while it signs, and only past a few millimetres, so taps stay taps.
  ImGuiIO& io = ImGui::GetIO();
  if (!inking_now && io.MouseDown[0] && ImGui::IsMouseDragging(ImGuiMouseButton_Left, ui.mm(4)) &&
      ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem | ImGuiHoveredFlags_ChildWindows))
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
  return open;
}

void end_content(Ui& ui) {
  const bool strip = more_strip_shown(ui);
  const float strip_h = more_strip_height(ui);
  const float room = ImGui::GetWindowHeight() + (strip ? strip_h : 0.0f);
  // The content's height, scrolled or not: where the next line would start, less its spacing.
  const float page = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y;
  // As far as ImGui scrolls; a few pixels left (a scroll clamped a frame early) is nothing to show.
  const bool more_below = ImGui::GetScrollY() < ImGui::GetScrollMaxY() - ui.mm(3);
  ImGuiWindow* page_window = ImGui::GetCurrentWindow();
  const ImVec2 page_min = page_window->Pos, page_max(page_min.x + page_window->Size.x, page_min.y + page_window->Size.y);
  if (strip && more_below) {  // the page's last lines fade into the background: it goes on below
    const ImU32 clear = ui.pal.background & ~IM_COL32_A_MASK;
    ImGui::GetWindowDrawList()->AddRectFilledMultiColor(ImVec2(page_min.x, page_max.y - ui.mm(8)), page_max, clear, clear,
                                                        ui.pal.background, ui.pal.background);
  }
  ImGui::EndChild();

  const std::string screen = screen_of(ui.session);
  if (page_state.screen != screen) page_state = {screen, false, 0};
  if (ImGui::GetIO().MouseClicked[0]) page_state.flips = 0;  // a touch may change the page: it may change its mind
  const bool overflows = page > room + 1;
  if (overflows != page_state.overflows && page_state.flips < 4) {
    page_state.overflows = overflows;
    ++page_state.flips;
    ui.relayout = true;  // built again at once, with or without the strip
  }
  if (!strip) return;
  const ImVec2 under(page_min.x, page_max.y);
  const float w = page_max.x - page_min.x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (more_below) {
    // On a tinted band the width of the page: a bar under it, not one more answer to choose.
    dl->AddRectFilled(ImVec2(under.x, under.y + 2), ImVec2(under.x + w, under.y + strip_h - 2), ui.pal.track, ui.mm(1.5f));
    // The label with room at its end for the arrow, all of it inside the button at any text size.
    const std::string label = ui.tr("nav.more") + "      ";
    const float arrow = ImGui::GetFontSize() * 0.3f, bh = line_button_height(ui);
    float bw = std::min(w, std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x + ui.mm(4), ui.mm(90)));
    ImGui::SetCursorScreenPos(ImVec2(under.x + (w - bw) / 2, under.y + ui.gap_px / 2));
    if (big_button(ui, "nav.more", label, Tone::Secondary, ImVec2(bw, bh))) {
      // Most of a screen on: a part of what was seen stays in view to read on from.
      ImGui::SetScrollY(page_window, page_window->Scroll.y + (page_max.y - page_min.y) * 0.8f);
      ui.relayout = true;
    }
    // A drawn arrow: the font has no "▼".
    ImVec2 r = ImGui::GetItemRectMax();
    float cx = r.x - ImGui::GetStyle().FramePadding.x - arrow * 1.5f, cy = r.y - bh / 2;
    dl->AddTriangleFilled(ImVec2(cx - arrow, cy - arrow / 2), ImVec2(cx + arrow, cy - arrow / 2), ImVec2(cx, cy + arrow * 0.7f),
                          ui.pal.primary);
  }
  // What follows the page (a consent box, the survey's button) stands where it would without the strip.
  ImGui::SetCursorScreenPos(ImVec2(under.x, under.y + strip_h + ImGui::GetStyle().ItemSpacing.y));
}

void nav_bar(Ui& ui, const std::string& back_label, const char* next_id, const std::string& next_label,
             Intent::Kind next_kind, bool next_enabled, bool explains_when_disabled) {
  ImGuiStyle& style = ImGui::GetStyle();
  ImVec2 win = ImGui::GetWindowPos();
  ImVec2 size = ImGui::GetWindowSize();
  float top = win.y + size.y - nav_height(ui);
  ImGui::GetWindowDrawList()->PushClipRectFullScreen();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(win.x, top), ImVec2(win.x + size.x, top), ui.pal.border, 2.0f);
  ImGui::GetWindowDrawList()->PopClipRect();
  // The buttons stand under the content's column: on a wide screen Back and Next sit at its
  // edges, where the eye that read the page is, not at the far ends of the panel.
  float avail = size.x - 2 * style.WindowPadding.x, inner_w = column_width(ui, avail);
  float left = win.x + style.WindowPadding.x + (avail - inner_w) / 2;
  float button_h = ui.touch_px * 1.25f;
  float y = top + style.WindowPadding.y;
  float half = (inner_w - ui.gap_px * 2) / 2;
  if (!back_label.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(left, y));
    if (big_button(ui, "nav.back", back_label, Tone::Secondary, ImVec2(half * 0.8f, button_h)))
      ui.emit(Intent::Kind::Back);
  }
  if (!next_label.empty()) {
    float w = half * 1.2f;
    ImGui::SetCursorScreenPos(ImVec2(left + inner_w - w, y));
    if (big_button(ui, next_id, next_label, next_enabled ? Tone::Primary : Tone::Quiet, ImVec2(w, button_h)) &&
        (next_enabled || explains_when_disabled))
      ui.emit(next_kind);
  }
}

void draw_kiosk(Ui& ui) {
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  // No background: the frame is cleared to the palette's background already, and a blended
  // full-screen rectangle would double a software renderer's cost of every frame.
  ImGui::Begin("kiosk", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollbar |
                   ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  top_bar(ui);
  if (!ui.banner.empty()) {  // form preview: the file's lint errors, over whatever screen shows
    paragraph(ui, ui.banner, ui.pal.danger);
    record_widget(ui, "preview.banner", ui.banner);
  }
  volunteer_banner(ui);
  help_banner(ui);
  // The overlay replaces the screen: a passer-by sees no answers while the kiosk waits.
  if (ui.session.asking_more_time()) {
    draw_more_time(ui);
  } else if (ui.session.asking()) {
    draw_ask(ui);
  } else {
    switch (ui.session.step()) {
      case Step::Attract: draw_attract(ui); break;
      case Step::Language: draw_language(ui); break;
      case Step::Catalog: draw_catalog(ui); break;
      case Step::Procedure: draw_procedure(ui); break;
      case Step::Identify: draw_identify(ui); break;
      case Step::Form: draw_form_step(ui); break;
      case Step::Capture: draw_capture(ui); break;
      case Step::Review: draw_review(ui); break;
      case Step::Submit: draw_submit(ui); break;
      case Step::Receipt: draw_receipt(ui); break;
      case Step::Evaluation: draw_evaluation(ui); break;
      case Step::ThankYou: draw_thank_you(ui); break;
      case Step::Ticket: draw_ticket(ui); break;
      case Step::TicketDone: draw_ticket_done(ui); break;
      case Step::Volunteer: draw_volunteer_pin(ui); break;
      case Step::Lookup: draw_lookup(ui); break;
      case Step::StaffPin: draw_volunteer_pin(ui); break;
      case Step::Staff: draw_staff(ui); break;
    }
  }
  ImGui::End();
}

}  // namespace motcua
