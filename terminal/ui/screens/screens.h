// One function per screen; draw_kiosk() picks the one for the session's step.
#pragma once
#include "terminal/ui/ui.h"

namespace motcua {

void draw_kiosk(Ui& ui);  // the whole frame: chrome, current screen, "more time?" overlay

// Chrome shared by screens (chrome.cpp).
void top_bar(Ui& ui);
// Scrollable area between the bars; reserve keeps room below it for fixed controls.
// The widest a screen's content (and its keyboard) grows: a portrait 1080 px panel at 96 dpi is
// 286 mm and keeps its full width; a landscape one gets a centred column.
constexpr float kColumnMm = 300;
float column_width(Ui& ui, float avail);
bool begin_content(Ui& ui, bool with_nav, float reserve = 0);
void set_inking(bool on);  // the signature pad holds the finger: the page must not scroll
void end_content(Ui& ui);
bool page_overflows(Ui& ui);  // the page is taller than its room: "Xem thêm bên dưới" is under it
float page_strip_room(Ui& ui);  // the height that strip takes from the page (0 without it)  // under a page taller than its room, "Xem tiếp" (nav.more)
// Back on the left, the step's main action on the right; empty label hides a button.
void nav_bar(Ui& ui, const std::string& back_label, const char* next_id, const std::string& next_label,
             Intent::Kind next_kind = Intent::Kind::Next, bool next_enabled = true,
             bool explains_when_disabled = false);  // drawn as not ready, yet tapping it still emits (the screen explains)
void volunteer_banner(Ui& ui);

void draw_attract(Ui& ui);
void draw_language(Ui& ui);
void draw_catalog(Ui& ui);
void draw_procedure(Ui& ui);  // before the form: what it is for, fee, time, agency, papers
void draw_identify(Ui& ui);
void draw_form_step(Ui& ui);
void draw_capture(Ui& ui);  // the form's papers, one at a time: scan, retake, remove, or bring to the counter
void draw_review(Ui& ui);
void draw_submit(Ui& ui);
void draw_receipt(Ui& ui);
void draw_evaluation(Ui& ui);
void draw_thank_you(Ui& ui);
void draw_more_time(Ui& ui);
void draw_ask(Ui& ui);  // "are you sure?" before ending, removing an item, starting a step again
void help_banner(Ui& ui);  // after "Cần giúp đỡ": someone is coming, and the screen read aloud
void draw_ticket(Ui& ui);
void draw_ticket_done(Ui& ui);
void draw_ticket_print_news(Ui& ui, const char* status_id);  // ticket.cpp: the queue ticket's own printing words
void draw_volunteer_pin(Ui& ui);
void draw_lookup(Ui& ui);
void draw_staff(Ui& ui);
// The kiosk keyboard, drawn below the content while a field is being typed into.
void draw_keyboard(Ui& ui);
float keyboard_height(Ui& ui);
void outbox_line(Ui& ui);  // staff only: the outbox queue in numbers

}  // namespace motcua
