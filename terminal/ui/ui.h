// What every screen draws with: sizes in millimetres, fonts, the strings, and widgets
// that record where they are so scripts and tests can find them by stable id.
// Rule: screens read the session and emit intents; they never change the session directly,
// except typed text, which goes straight into the session's wiped arena.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <imgui.h>

#include "terminal/core/locale.h"
#include "terminal/ui/page_previews.h"
#include "terminal/services/declaration_job.h"
#include "terminal/services/paper_printer.h"
#include "terminal/services/outbox/store.h"
#include "terminal/core/session.h"
#include "terminal/services/stats.h"

namespace motcua {

// Colours by role. The calm default keeps body text above 7:1; the high-contrast theme keeps
// every text/background pair above 7:1 (WCAG AAA), checked by a test.
struct Palette {
  ImU32 background, surface, text, muted;
  ImU32 primary, on_primary, primary_pressed, secondary_pressed;
  ImU32 border, danger, success, bar, on_bar, track;
};
const Palette& palette(bool high_contrast);
double contrast_ratio(ImU32 a, ImU32 b);  // WCAG 2 relative-luminance ratio, 1 to 21

// Sizes from the panel density and colours from the palette; set when the kiosk opens and
// when the theme changes, not every frame.
void apply_theme(float px_per_mm, float gap_px, const Palette& pal);

struct Fonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;
  ImFont* hero = nullptr;  // digits and codes only
};

class CameraView;

struct WidgetRect {
  ImVec2 min, max;
  std::string label;
  bool interactive = false;  // a touch target (held to the minimum size), not just text
  ImVec2 center() const { return ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2); }
};

enum class Tone { Primary, Secondary, Quiet, Danger };

// What the staff screen shows: computed when it opens, never per frame.
struct StaffDossier {
  std::string code, procedure;  // the portal's code (else the kiosk's), the procedure's title
  int papers_scanned = 0, papers_at_counter = 0;
};
struct StaffFigures {
  Stats today, month;
  std::vector<StaffDossier> dossiers;  // today's, newest first: counts of papers only, never what they show
  std::string export_message;
  bool export_failed = false;
};

struct Ui {
  Session& session;
  const Strings& strings;
  Fonts fonts;
  const PaperPrinter* paper_printer = nullptr;
  unsigned receipt_job = 0, ticket_job = 0;  // this visit's jobs on paper_printer (0: none yet)
  const DeclarationJob* declaration = nullptr;  // the A4 declaration printer; null: none configured
  const outbox::Summary* outbox = nullptr;  // set when a portal is configured: staff see the queue
  const StaffFigures* staff = nullptr;      // the staff screen's figures
  PagePreviews* previews = nullptr;         // the scanned pages' pictures (papers screen); null: counts only
  CameraView* camera = nullptr;             // the document camera's live picture; null: a scanner (or none)
  std::string banner;                       // an author's warning over every screen (form preview)
  // After "Cần giúp đỡ": whether the centre's signal reached staff (help_signal.h). NoBell: none is
  // configured, so only the kiosk's log knows, and the citizen is sent to a volunteer or the desk.
  enum class HelpCall { NoBell, Calling, Called, Failed } help_call = HelpCall::NoBell;
  Palette pal = palette(false);
  float px_per_mm = 4.0f;
  float touch_px = 60.0f;  // minimum touch target, from config minTouchMm
  float gap_px = 12.0f;    // space between targets (3 mm)
  TimePoint now{};
  std::vector<Intent> intents;                // emitted this frame, applied after Render()
  bool relayout = false;  // built again before it is shown: the page scrolled, its "Xem thêm" strip came or went
  std::vector<std::string> announce;          // the screen's words, read aloud when the screen changes
  std::vector<std::string> say_now;           // speaker buttons pressed this frame
  std::map<std::string, WidgetRect> widgets;  // filled this frame, by stable id

  std::string tr(const char* key) const { return strings.get(session.language(), key); }
  std::string tr(const char* key, const TextArgs& args) const { return strings.format(session.language(), key, args); }
  void emit(Intent::Kind k, std::string arg = {}, int number = 0) { intents.push_back({k, std::move(arg), number}); }
  float mm(float v) const { return v * px_per_mm; }
};

// The scanner's words, or the document camera's where the kiosk has one ("Quét trang" or "Chụp trang").
inline std::string tr_word(const Ui& ui, const char* scanner, const char* camera) { return ui.tr(ui.camera ? camera : scanner); }
inline std::string tr_word(const Ui& ui, const char* scanner, const char* camera, const TextArgs& args) {
  return ui.tr(ui.camera ? camera : scanner, args);
}

// Widgets. Every interactive one takes a stable id (e.g. "catalog.search") and records its rect.
// A one-line button's height in the current font: the touch minimum, taller with large text.
float line_button_height(const Ui& ui);
bool big_button(Ui& ui, const char* id, const std::string& label, Tone tone = Tone::Primary,
                ImVec2 size = ImVec2(-1, 0));
// A button whose label is explained by a line of smaller type under it, both flush left (a queue's
// field and the procedures it serves). Tone::Quiet only.
bool detailed_button(Ui& ui, const char* id, const std::string& label, const std::string& detail);
void heading(Ui& ui, const std::string& text);
// 2026-11-27 -> 27/11/2026, as dates are written in Viet Nam (in both languages).
std::string display_date(const std::string& ymd);
void paragraph(Ui& ui, const std::string& text, ImU32 color = 0);
// The chip ID card still on the reader once the dossier is in (it had to stay there until then):
// a large red line on each screen after, until the card is lifted. Nothing when no card lies there.
void take_card_reminder(Ui& ui);
void hero_text(Ui& ui, const std::string& text, ImU32 color = 0);
// Single-line text entry bound to arena text; normalises to NFC when editing ends and then
// returns true once (the field was touched).
// target: the field's name for the kiosk keyboard (a form scope, "lookup.code"...); touching the
// field opens the keyboard on it.
// read_only: shown, not editable (a card value the form locks).
// lines > 1: a taller box for longer answers (the "textarea" widget); the kiosk keyboard types into it.
bool text_field(Ui& ui, const char* id, const std::string& label, std::pmr::string& value, const std::string& target = "",
                bool read_only = false, int lines = 1);
// A one-line box with its label on the same row (`label_w` wide), `hint` shown while it is empty.
void inline_text_field(Ui& ui, const char* id, const std::string& label, std::pmr::string& value, const std::string& target,
                       float label_w, const char* hint);
void record_widget(Ui& ui, const std::string& id, const std::string& label, bool interactive = false);
// A choice the person ticks: mark_button's tick box (shape, not only colour), inside the button a finger presses.
bool toggle_button(Ui& ui, const char* id, const std::string& label, bool on);
// An answer among options: full width, a drawn mark at its left (round: a radio ring and dot; else a
// box and tick), filled when chosen, so the choice shows by shape as well as colour.
bool mark_button(Ui& ui, const char* id, const std::string& label, bool on, bool round);
// A square speaker button that reads text aloud (shown only while read-aloud is on).
void speak_button(Ui& ui, const char* id, const std::string& text);
void draw_speaker_icon(ImDrawList* dl, ImVec2 center, float size, ImU32 color);



}  // namespace motcua
