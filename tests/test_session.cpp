#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "tests/support/files.h"
#include "terminal/core/input.h"

#include <stdexcept>

#include "forms/text.h"
#include "terminal/core/answer_lines.h"
#include "terminal/core/session.h"

using namespace motcua;
using std::chrono::milliseconds;
using std::chrono::seconds;
using K = Intent::Kind;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

struct Fixture {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  int sink_calls = 0;
  bool sink_fails = false;
  std::string uuid_seen;
  bool assisted_seen = false;
  Session session{config, catalog, SessionServices{[this](const forms::FormPackage& f, const std::string& uuid, const PersonalData& d, bool assisted) {
                    ++sink_calls;
                    assisted_seen = assisted;
                    uuid_seen = uuid;
                    if (sink_fails) throw std::runtime_error("disk full");
                    const auto* name = d.find("/declarant/fullName");
                    std::string code = f.id + "-" + std::to_string(sink_calls);
                    if (name) code.append("-").append(*name);  // not "-" + std::string: g++ 12's -Wrestrict misfires
                    return SubmitReceipt{code, "2026-12-01", true};
                  }}};
  TimePoint t = SteadyClock::now();

  void apply(K k, std::string arg = {}, int n = 0) { session.apply({k, std::move(arg), n}, t); session.tick(t); }
  void wait(double secs) {
    t += std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(secs));
    session.tick(t);
  }
  void to_form() {
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, "khai-sinh");
    apply(K::Next);  // the procedure page: "Bắt đầu khai"
    apply(K::TypeByHand);
    REQUIRE(session.step() == Step::Form);
  }
};

}  // namespace

TEST_CASE("a visit walks every step and ends wiped on the attract screen") {
  Fixture f;
  CHECK(f.session.step() == Step::Attract);
  f.apply(K::Start);
  CHECK(f.session.step() == Step::Language);
  f.apply(K::ChooseLanguage, "en");
  CHECK(f.session.step() == Step::Catalog);
  CHECK(f.session.language() == "en");
  f.apply(K::ChooseCategory, "ho_tich");
  CHECK(f.session.category() == "ho_tich");
  f.apply(K::ChooseProcedure, "no-such-form");
  CHECK(f.session.step() == Step::Catalog);
  f.apply(K::ChooseProcedure, "khai-sinh");
  CHECK(f.session.step() == Step::Procedure);
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  CHECK(f.session.step() == Step::Identify);
  f.apply(K::UseCard);
  CHECK(f.session.waiting_for_card());
  f.apply(K::TypeByHand);
  CHECK(f.session.step() == Step::Form);
  CHECK(f.session.form_step() == 0);
  f.session.data().field("/declarant/fullName") = "Trần Văn Bình";
  f.apply(K::Next);
  CHECK(f.session.form_step() == 1);
  for (int i = 0; i < 10 && f.session.step() == Step::Form; ++i) f.apply(K::Next);  // the birth form's other steps
  CHECK(f.session.step() == Step::Review);
  CHECK(f.session.dossier_uuid().empty());  // not before the citizen confirms

  f.apply(K::EditStep, {}, 0);
  CHECK(f.session.step() == Step::Form);
  CHECK(f.session.form_step() == 0);
  f.apply(K::Next);  // back to the review, not on to step 2
  CHECK(f.session.step() == Step::Review);

  f.session.apply({K::Confirm}, f.t);
  CHECK(f.session.step() == Step::Review);  // not without the citizen's own consent
  f.apply(K::ToggleConsent);
  f.session.apply({K::Confirm}, f.t);
  CHECK(f.session.step() == Step::Submit);
  CHECK(f.session.dossier_uuid().size() == 36);
  CHECK(f.session.next_deadline(f.t) == f.t);  // the sink runs on the next tick
  f.session.tick(f.t);
  CHECK(f.session.step() == Step::Receipt);
  CHECK(f.sink_calls == 1);
  CHECK(f.uuid_seen == f.session.dossier_uuid());
  CHECK(f.session.reference() == "khai-sinh-1-Trần Văn Bình");

  f.apply(K::Next);
  CHECK(f.session.step() == Step::Evaluation);
  f.apply(K::Rate, {}, 2);
  CHECK(f.session.step() == Step::Evaluation);  // the optional comment
  CHECK(f.session.question() == nullptr);
  REQUIRE(f.session.data().find("/declarant/fullName") != nullptr);
  f.apply(K::SubmitEvaluation);
  CHECK(f.session.step() == Step::ThankYou);
  CHECK(f.session.data().find("/declarant/fullName") == nullptr);  // "đã được xoá" as the screen says it
  CHECK(f.session.rating() == Rating::Satisfied);
  unsigned gen = f.session.generation();
  f.wait(f.config.thank_you_seconds - 1);
  CHECK(f.session.step() == Step::ThankYou);
  f.wait(1);
  CHECK(f.session.step() == Step::Attract);
  CHECK(f.session.last_end_reason() == EndReason::Finished);
  CHECK(f.session.generation() == gen + 1);
  CHECK(f.session.data().empty());
  CHECK(f.session.language() == "vi");
  CHECK(f.session.dossier_uuid().empty());
  CHECK(f.session.reference().empty());
}

TEST_CASE("the portal's code is awaited on the submit screen, not on the screen's thread: its answer, or the kiosk's reference in time") {
  KioskConfig config;
  config.portal_wait_seconds = 5;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::optional<SubmitReceipt> answer;  // what the outbox says: nothing while the first attempt goes
  int asked = 0;
  bool unreadable = false;
  bool queue_paused = false;  // at the moment the sink keeps the dossier
  SessionServices services;
  services.sink = [&](const forms::FormPackage&, const std::string&, const PersonalData&, bool) {
    SubmitReceipt kept{"KIOSK-01-000042", "2026-12-03", false};  // kept; the portal not heard yet
    kept.estimated = true;  // the kiosk's count of working days, as Submission::submit says
    kept.paused = queue_paused;
    return kept;
  };
  services.portal_answer = [&](const std::string&) {
    ++asked;
    if (unreadable) throw std::runtime_error("disk I/O error");
    return answer;
  };
  Session session(config, catalog, services);
  TimePoint t = SteadyClock::now();
  auto confirm_on = [&](Session& on) {
    auto apply = [&](K k, std::string arg = {}) {
      on.apply({k, std::move(arg), 0}, t);
      on.tick(t);
    };
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, "khai-sinh");
    apply(K::Next);
    apply(K::TypeByHand);
    for (int i = 0; i < 12 && on.step() == Step::Form; ++i) apply(K::Next);
    REQUIRE(on.step() == Step::Review);
    apply(K::ToggleConsent);
    apply(K::Confirm);  // the sink keeps it on this tick; the wait begins
  };
  auto confirm = [&] { confirm_on(session); };

  SUBCASE("the portal answers within the wait: its code and appointment on the receipt") {
    confirm();
    CHECK(session.step() == Step::Submit);
    CHECK(session.waiting_for_portal());
    CHECK(session.next_deadline(t) == t + seconds(5));  // the loop sleeps; the portal's answer wakes it
    t += seconds(2);
    session.tick(t);
    CHECK(session.step() == Step::Submit);
    answer = SubmitReceipt{"000.00.00.H00-261203-0042", "2026-12-05", true};
    session.tick(t);
    CHECK(session.step() == Step::Receipt);
    CHECK_FALSE(session.waiting_for_portal());
    CHECK(session.reference() == "000.00.00.H00-261203-0042");
    CHECK(session.receipt().appointment == "2026-12-05");
    CHECK(session.receipt().from_portal);
    CHECK_FALSE(session.receipt().estimated);  // the portal's own date
  }
  SUBCASE("a pause lifted within the wait: the portal took this one, so its receipt says nothing of the pause") {
    queue_paused = true;
    confirm();
    answer = SubmitReceipt{"000.00.00.H00-261203-0042", "2026-12-05", true};
    session.tick(t);
    REQUIRE(session.step() == Step::Receipt);
    CHECK(session.receipt().from_portal);
    CHECK_FALSE(session.receipt().paused);
  }
  SUBCASE("the portal takes it but gives no date: the kiosk's count stays, still an estimate") {
    confirm();
    answer = SubmitReceipt{"000.00.00.H00-261203-0042", "", true};
    session.tick(t);
    REQUIRE(session.step() == Step::Receipt);
    CHECK(session.receipt().from_portal);
    CHECK(session.receipt().appointment == "2026-12-03");
    CHECK(session.receipt().estimated);
  }
  SUBCASE("no answer in time: the kiosk's own reference, exactly at portalWaitSeconds") {
    confirm();
    t += milliseconds(4999);
    session.tick(t);
    CHECK(session.step() == Step::Submit);
    t += milliseconds(1);
    session.tick(t);
    CHECK(session.step() == Step::Receipt);
    CHECK(session.reference() == "KIOSK-01-000042");
    CHECK(session.receipt().appointment == "2026-12-03");
    CHECK_FALSE(session.receipt().from_portal);
    CHECK(session.receipt().estimated);
  }
  SUBCASE("the wait is not idleness: no 'more time?' over it, and the receipt's idle time starts when it shows") {
    config.idle_seconds = 15;
    config.portal_wait_seconds = 30;
    Session waiting(config, catalog, services);
    confirm_on(waiting);
    REQUIRE(waiting.waiting_for_portal());
    CHECK(waiting.next_deadline(t) == t + seconds(30));
    for (int s = 1; s < 30; ++s) {
      waiting.tick(t + seconds(s));
      REQUIRE_FALSE(waiting.asking_more_time());
    }
    waiting.tick(t + seconds(30));
    CHECK(waiting.step() == Step::Receipt);
    waiting.tick(t + seconds(44));
    CHECK_FALSE(waiting.asking_more_time());  // 14 s on the receipt
    waiting.tick(t + seconds(46));
    CHECK(waiting.asking_more_time());
  }
  SUBCASE("the portal refused it: kept, and the receipt must not promise it will be sent") {
    confirm();
    SubmitReceipt refused;
    refused.refused = true;
    answer = refused;
    session.tick(t);
    CHECK(session.step() == Step::Receipt);
    CHECK(session.reference() == "KIOSK-01-000042");
    CHECK_FALSE(session.receipt().from_portal);
    CHECK(session.receipt().refused);
  }
  SUBCASE("the first attempt failed: the kiosk's reference at once, no wait for nothing") {
    answer = SubmitReceipt{};
    confirm();
    CHECK(session.step() == Step::Receipt);
    CHECK(session.reference() == "KIOSK-01-000042");
  }
  SUBCASE("the outbox cannot be read: the dossier is kept, so the kiosk's reference, never an error") {
    confirm();
    REQUIRE(session.step() == Step::Submit);
    unreadable = true;
    session.tick(t);
    CHECK(session.step() == Step::Receipt);
    CHECK(session.reference() == "KIOSK-01-000042");
    CHECK(session.submit_error().empty());
  }
  CHECK(asked > 0);
}

TEST_CASE("the status lookup is asked without waiting: 'searching' until the answer comes, and a new code drops the last answer") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<std::string> asked;
  std::optional<DossierStatus> ready;  // what the portal has answered so far
  SessionServices services;
  services.sink = [](const forms::FormPackage&, const std::string&, const PersonalData&, bool) { return SubmitReceipt{}; };
  services.lookup.start = [&](const std::string& code) { asked.push_back(code); };
  services.lookup.poll = [&] {
    std::optional<DossierStatus> out = std::move(ready);
    ready.reset();
    return out;
  };
  Session s(config, catalog, services);
  TimePoint t = SteadyClock::now();
  s.apply({K::StartLookup}, t);
  REQUIRE(s.step() == Step::Lookup);
  s.apply({K::FocusField, "lookup.code"}, t);
  REQUIRE(s.keyboard().target == "lookup.code");
  s.data().field("lookup.code") = " hs-0042 ";
  s.apply({K::LookupSubmit}, t);
  CHECK(s.lookup_pending());
  CHECK(s.keyboard().target.empty());  // closed: the answer shows where the keyboard was
  s.tick(t);  // asks, and returns
  REQUIRE(asked == std::vector<std::string>{"HS-0042"});  // as a scanner or a hurried hand typed it, cleaned
  CHECK(s.lookup_pending());  // the button says "Đang tìm…"
  CHECK_FALSE(s.lookup_result().has_value());
  s.tick(t + seconds(1));
  CHECK(s.lookup_pending());
  s.apply({K::LookupSubmit}, t);  // pressed again (or the scanner's second Enter): the same code is not asked twice
  s.tick(t + seconds(1));
  CHECK(asked.size() == 1);
  DossierStatus done;
  done.found = DossierStatus::Found::Yes;
  done.code = "HS-0042";
  done.status = "done";
  ready = done;
  s.tick(t + seconds(2));
  CHECK_FALSE(s.lookup_pending());
  REQUIRE(s.lookup_result().has_value());
  CHECK(s.lookup_result()->status == "done");

  // Another code: the last answer is not shown as this one's while it is asked.
  s.data().field("lookup.code") = "HS-0043";
  s.apply({K::LookupSubmit}, t);
  s.tick(t + seconds(3));
  CHECK(asked.size() == 2);
  CHECK(s.lookup_pending());
  CHECK_FALSE(s.lookup_result().has_value());

  CHECK_FALSE(LookupPort(StatusLookup{}));  // an empty function is no lookup, as it was before the port

  // The visit ends while the answer is out: the next visit starts with nothing pending.
  s.apply({K::Back}, t);
  s.tick(t + seconds(4));
  CHECK(s.step() == Step::Attract);
  CHECK_FALSE(s.lookup_pending());
}

TEST_CASE("an overdue dossier's apology notice is printed only when the portal gave a new date") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  DossierStatus overdue;
  overdue.found = DossierStatus::Found::Yes;
  overdue.code = "HS-0042";
  overdue.status = "overdue";
  overdue.reason = "Chờ xác minh";
  SessionServices services;
  services.sink = [](const forms::FormPackage&, const std::string&, const PersonalData&, bool) { return SubmitReceipt{}; };
  services.lookup = [&](const std::string&) { return overdue; };
  Session s(config, catalog, services);
  TimePoint t = SteadyClock::now();
  auto look_up = [&] {
    s.apply({K::StartLookup}, t);
    s.data().field("lookup.code") = "HS-0042";
    s.apply({K::LookupSubmit}, t);
    s.tick(t);
    REQUIRE(s.lookup_result().has_value());
  };
  look_up();
  s.apply({K::PrintApology}, t);
  CHECK(s.apology_requests() == 0);  // "ngày hẹn mới" with no date would be a blank promise
  s.apply({K::Back}, t);
  overdue.new_appointment = "2026-12-04";
  look_up();
  s.apply({K::PrintApology}, t);
  CHECK(s.apology_requests() == 1);
}

TEST_CASE("back goes one step back, and from the language screen ends the visit") {
  Fixture f;
  f.to_form();
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Identify);
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Procedure);
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Catalog);
  f.apply(K::ChooseCategory, "cu_tru");
  f.apply(K::Back);  // first clears the category filter
  CHECK(f.session.step() == Step::Catalog);
  CHECK(f.session.category().empty());
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Language);
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Attract);
  CHECK(f.session.last_end_reason() == EndReason::Cancelled);
}

TEST_CASE("idle asks for more time, then wipes everything on expiry") {
  Fixture f;
  f.to_form();
  f.session.data().field("/declarant/fullName") = "Lê Thị Hồng Nhung, 0912345678";
  f.session.data().search_text() = "khai sinh";

  f.wait(f.config.idle_seconds - 0.5);
  CHECK_FALSE(f.session.asking_more_time());
  f.wait(0.5);
  REQUIRE(f.session.asking_more_time());
  CHECK(f.session.more_time_seconds_left(f.t) == f.config.more_time_seconds);

  // A touch elsewhere is not an answer; only the button is.
  f.session.on_input(f.t);
  f.apply(K::Next);
  CHECK(f.session.asking_more_time());
  CHECK(f.session.form_step() == 0);

  // The screen needs a redraw each second for the countdown, no more often.
  f.wait(0.25);
  auto next = f.session.next_deadline(f.t);
  REQUIRE(next);
  CHECK(*next - f.t == milliseconds(750));

  f.wait(f.config.more_time_seconds - 0.5);
  CHECK(f.session.step() == Step::Form);
  f.wait(0.5);
  CHECK(f.session.step() == Step::Attract);
  CHECK(f.session.last_end_reason() == EndReason::Timeout);
  CHECK_FALSE(f.session.asking_more_time());
  CHECK(f.session.data().empty());
  auto arena = f.session.data().arena();
  CHECK(std::all_of(arena.begin(), arena.end(), [](std::byte b) { return b == std::byte{0}; }));
}

TEST_CASE("more time keeps the answers and restarts the idle clock") {
  Fixture f;
  f.to_form();
  f.session.data().field("/declarant/fullName") = "Phạm Văn Đồng";
  f.wait(f.config.idle_seconds + 5);
  REQUIRE(f.session.asking_more_time());
  f.apply(K::MoreTime);
  CHECK_FALSE(f.session.asking_more_time());
  CHECK(*f.session.data().find("/declarant/fullName") == "Phạm Văn Đồng");
  CHECK(f.session.next_deadline(f.t) == f.t + seconds(f.config.idle_seconds));
  f.wait(f.config.idle_seconds - 1);
  CHECK_FALSE(f.session.asking_more_time());
}

TEST_CASE("a kiosk woken late still gives the whole countdown") {
  Fixture f;
  f.to_form();
  f.wait(f.config.idle_seconds + 1000);
  CHECK(f.session.step() == Step::Form);
  CHECK(f.session.asking_more_time());
  CHECK(f.session.more_time_seconds_left(f.t) == f.config.more_time_seconds);
}

TEST_CASE("the attract screen has no deadline, every other step has one") {
  Fixture f;
  CHECK_FALSE(f.session.next_deadline(f.t).has_value());
  f.wait(100000);
  CHECK(f.session.step() == Step::Attract);
  f.apply(K::Start);
  CHECK(f.session.next_deadline(f.t).has_value());
}

TEST_CASE("a sink failure keeps the citizen's answers and allows a retry") {
  Fixture f;
  f.to_form();
  f.session.data().field("/declarant/fullName") = "Võ Thị Sáu";
  for (int i = 0; i < 10 && f.session.step() == Step::Form; ++i) f.apply(K::Next);
  f.sink_fails = true;
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  CHECK(f.session.step() == Step::Submit);
  CHECK(f.session.submit_error() == "disk full");
  CHECK(f.session.reference().empty());
  std::string uuid = f.session.dossier_uuid();
  f.sink_fails = false;
  f.apply(K::RetrySubmit);
  CHECK(f.session.step() == Step::Receipt);
  CHECK(f.session.dossier_uuid() == uuid);  // the same idempotency key on retry
  CHECK(f.sink_calls == 2);
}

TEST_CASE("a dossier that could not be kept: its answers can be printed, as the review words them") {
  Fixture f;
  f.to_form();
  f.session.data().field("/declarant/fullName") = "Võ Thị Sáu";
  f.session.data().field("/child/dateOfBirth") = "2026-02-01";
  for (int i = 0; i < 10 && f.session.step() == Step::Form; ++i) f.apply(K::Next);
  f.apply(K::PrintAnswers);  // nothing to print for: the dossier was not refused
  CHECK(f.session.answers_print_requests() == 0);
  f.sink_fails = true;
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  REQUIRE(f.session.submit_error() == "disk full");
  f.apply(K::PrintAnswers);
  f.apply(K::PrintAnswers);
  CHECK(f.session.answers_print_requests() == 2);  // each tap a sheet: the kiosk prints on each change
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  auto lines = answer_lines(f.session, strings);
  REQUIRE(lines.size() == 29);  // five steps, 4 + 7 + 6 + 6 + 1 questions
  CHECK(lines[0].kind == AnswerLine::Kind::Step);
  CHECK(lines[0].label == "Người yêu cầu");
  CHECK(lines[1].kind == AnswerLine::Kind::Answer);
  CHECK(lines[1].label == "Họ, chữ đệm, tên");
  CHECK(lines[1].value == "Võ Thị Sáu");
  CHECK(lines[2].value.empty());  // not answered
  CHECK(lines[5].kind == AnswerLine::Kind::Step);
  CHECK(lines[5].step == 1);
  CHECK(lines[7].value == "01/02/2026");  // as Vietnamese papers write a date
  f.apply(K::SwitchLanguage, "en");
  CHECK(answer_lines(f.session, strings)[1].label == "Full name");
}

TEST_CASE("language and text size switch anywhere and reset at session end") {
  Fixture f;
  f.to_form();
  f.apply(K::SwitchLanguage, "en");
  f.apply(K::TextSize, {}, 200);
  CHECK(f.session.language() == "en");
  CHECK(f.session.text_percent() == 200);
  CHECK(f.session.step() == Step::Form);
  f.apply(K::SwitchLanguage, "fr");  // not configured: ignored
  f.apply(K::TextSize, {}, 130);     // not offered: ignored
  CHECK(f.session.language() == "en");
  CHECK(f.session.text_percent() == 200);
  f.apply(K::EndSession);
  CHECK(f.session.step() == Step::Attract);
  CHECK(f.session.language() == "vi");
  CHECK(f.session.text_percent() == 100);
}

TEST_CASE("uuids are version 4 and differ") {
  std::string a = new_uuid_v4(), b = new_uuid_v4();
  CHECK(a != b);
  CHECK(a[14] == '4');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("queue tickets: priority is asked, the issuer numbers it, the screen returns by itself") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<std::pair<std::string, bool>> issued;
  bool fail = false;
  Session s(config, catalog, SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; },
            [&](const Category& c, bool priority, const std::string&) {
              if (fail) throw std::runtime_error("state file damaged");
              issued.push_back({c.queue_prefix, priority});
              return (priority ? "U" : "") + c.queue_prefix + "00" + std::to_string(issued.size());
            }});
  TimePoint t = SteadyClock::now();
  s.apply({K::TakeTicket}, t);
  REQUIRE(s.step() == Step::Ticket);
  s.apply({K::ChooseService, "no-such-field"}, t);
  CHECK(s.step() == Step::Ticket);
  s.apply({K::TogglePriority}, t);
  s.apply({K::ChooseService, "cu_tru"}, t);
  CHECK(s.step() == Step::TicketDone);
  CHECK(s.ticket_number() == "UB001");
  CHECK(issued == std::vector<std::pair<std::string, bool>>{{"B", true}});
  s.tick(t + seconds(config.thank_you_seconds));
  CHECK(s.step() == Step::Attract);
  CHECK(s.ticket_number().empty());
  CHECK_FALSE(s.ticket_priority());  // not carried into the next person's visit

  fail = true;
  s.apply({K::TakeTicket}, t);
  s.apply({K::ChooseService, "ho_tich"}, t);
  CHECK(s.step() == Step::Ticket);
  CHECK(s.ticket_error() == "state file damaged");

  Session no_tickets(config, catalog, SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; }});
  no_tickets.apply({K::TakeTicket}, t);
  CHECK(no_tickets.step() == Step::Attract);
}

// The receipt sends the citizen to "quầy số 1 hoặc 2", where staff call by number: the queue is
// joined there, once, for the procedure's own field, not by starting over at the start screen.
TEST_CASE("the receipt hands out one queue number for the procedure's counter, priority asked, and the next visit starts without it") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<std::pair<std::string, bool>> issued;
  bool fail = false;
  SessionServices services{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R-1", "2026-12-01", true}; },
                           [&](const Category& c, bool priority, const std::string&) {
                             if (fail) throw std::runtime_error("state file damaged");
                             issued.push_back({c.queue_prefix, priority});
                             return (priority ? "U" : "") + c.queue_prefix + "00" + std::to_string(issued.size());
                           }};
  Session s(config, catalog, services);
  TimePoint t = SteadyClock::now();
  auto apply = [&](K k, std::string arg = {}) {
    s.apply({k, std::move(arg), 0}, t);
    s.tick(t);
  };
  auto to_receipt = [&](Session& on, const std::string& form) {
    for (auto [k, arg] : std::vector<std::pair<K, std::string>>{
             {K::Start, ""}, {K::ChooseLanguage, "vi"}, {K::ChooseProcedure, form}, {K::Next, ""}, {K::TypeByHand, ""}}) {
      on.apply({k, arg, 0}, t);
      on.tick(t);
    }
    for (int i = 0; i < 30 && on.step() == Step::Form; ++i) {
      on.apply({K::Next}, t);
      on.tick(t);
    }
    REQUIRE(on.step() == Step::Review);
    on.apply({K::ToggleConsent}, t);
    on.apply({K::Confirm}, t);
    on.tick(t);
    REQUIRE(on.step() == Step::Receipt);
  };
  to_receipt(s, "khai-sinh");  // ho_tich: queue A, counters "1, 2"
  REQUIRE(s.receipt_ticket_category() != nullptr);
  CHECK(s.receipt_ticket_category()->id == "ho_tich");
  fail = true;
  apply(K::TakeTicket);
  CHECK(s.ticket_number().empty());  // not saved, not handed out: asked again
  CHECK(s.ticket_error() == "state file damaged");
  CHECK(s.step() == Step::Receipt);
  fail = false;
  apply(K::TogglePriority);
  apply(K::TakeTicket);
  CHECK(s.ticket_number() == "UA001");
  CHECK(s.ticket_error().empty());
  CHECK(s.ticket_category() == "ho_tich");
  apply(K::TakeTicket);      // a second tap hands out nothing more
  apply(K::TogglePriority);  // nor changes what was handed out
  CHECK(issued == std::vector<std::pair<std::string, bool>>{{"A", true}});
  CHECK(s.ticket_priority());
  CHECK(s.step() == Step::Receipt);
  apply(K::Finish);
  CHECK(s.step() == Step::Attract);
  CHECK(s.ticket_number().empty());
  CHECK_FALSE(s.ticket_priority());

  // Without queue numbers (no issuer) there is nothing to offer, and a tap does nothing.
  Session no_tickets(config, catalog, SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; }});
  to_receipt(no_tickets, "khai-sinh");
  CHECK(no_tickets.receipt_ticket_category() == nullptr);
  no_tickets.apply({K::TogglePriority}, t);
  CHECK_FALSE(no_tickets.ticket_priority());  // nothing offered: nothing ticked
  no_tickets.apply({K::TakeTicket}, t);
  CHECK(no_tickets.ticket_number().empty());
  CHECK(no_tickets.step() == Step::Receipt);
}

#include <sys/stat.h>

#include "terminal/services/volunteers.h"

TEST_CASE("volunteer PINs: salted slow hashes, constant-time check, lockout after repeated failures") {
  std::string h = hash_pin("246810", kOldestPinIterations);
  CHECK(h.rfind("pbkdf2-sha256$200000$", 0) == 0);
  CHECK(h.find("246810") == std::string::npos);
  CHECK(h != hash_pin("246810", kOldestPinIterations));  // a fresh salt every time
  CHECK(verify_pin("246810", h));
  CHECK_FALSE(verify_pin("246811", h));
  CHECK_FALSE(verify_pin("246810", "246810"));  // a plain PIN is never accepted as a hash
  const std::string salt_and_hash = "$00112233445566778899aabbccddeeff$" + std::string(64, '0');
  CHECK_FALSE(well_formed_pin_hash("pbkdf2-sha256$100" + salt_and_hash));
  CHECK_FALSE(well_formed_pin_hash("pbkdf2-sha256$10000" + salt_and_hash));  // what verification used to accept
  CHECK_FALSE(well_formed_pin_hash("pbkdf2-sha256$199999" + salt_and_hash));
  CHECK(well_formed_pin_hash("pbkdf2-sha256$200000" + salt_and_hash));
  CHECK_FALSE(well_formed_pin_hash("pbkdf2-sha256$10000001" + salt_and_hash));      // minutes per sign-in
  CHECK_FALSE(well_formed_pin_hash("pbkdf2-sha256$99999999999999999" + salt_and_hash));  // no bare "stoi"
  CHECK(pin_hash_outdated(h));

  VolunteerGate gate({{"TNV-07", h}});
  auto t = VolunteerGate::Clock::now();
  for (int i = 0; i < VolunteerGate::kMaxFailures - 1; ++i) CHECK(gate.sign_in("000000", t).locked_seconds == 0);
  CHECK(gate.sign_in("000000", t).locked_seconds == 300);
  CHECK_FALSE(gate.sign_in("246810", t + std::chrono::seconds(10)).volunteer);  // even the right PIN waits
  CHECK(gate.sign_in("246810", t + std::chrono::seconds(301)).volunteer == "TNV-07");
}

TEST_CASE("new PIN hashes use 600,000 iterations, and an older hash is renewed at its next successful sign-in") {
  std::string fresh = hash_pin("1357");
  CHECK(fresh.rfind("pbkdf2-sha256$600000$", 0) == 0);
  CHECK_FALSE(pin_hash_outdated(fresh));

  test::TempDir dir;
  std::string state = dir / "volunteer-sign-in.json";
  std::string old = hash_pin("2468", kOldestPinIterations);
  std::vector<Volunteer> configured = {{"TNV-07", old}};
  auto t = VolunteerGate::Clock::now();
  {
    VolunteerGate gate(configured, state);
    CHECK_FALSE(gate.sign_in("0000", t).volunteer);  // a wrong PIN renews nothing
    CHECK(*gate.pin_hash("TNV-07") == old);
    CHECK(gate.sign_in("2468", t).volunteer == "TNV-07");
    const std::string* renewed = gate.pin_hash("TNV-07");
    REQUIRE(renewed != nullptr);
    CHECK(renewed->rfind("pbkdf2-sha256$600000$", 0) == 0);
    CHECK(verify_pin("2468", *renewed));
  }
  // After a restart the renewed hash is the one in use, kept in a file only the kiosk reads.
  struct stat st {};
  REQUIRE(::stat(state.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    VolunteerGate gate(configured, state);
    CHECK(gate.pin_hash("TNV-07")->rfind("pbkdf2-sha256$600000$", 0) == 0);
    CHECK(gate.sign_in("2468", t).volunteer == "TNV-07");
  }
  // The centre gives the volunteer a new PIN in the configuration: that wins over the renewal.
  std::string changed = hash_pin("9753", kOldestPinIterations);
  VolunteerGate gate({{"TNV-07", changed}}, state);
  CHECK(*gate.pin_hash("TNV-07") == changed);
  CHECK_FALSE(gate.sign_in("2468", t).volunteer);
}

TEST_CASE("the PIN lockout survives a restart, and a damaged state file locks rather than forgets") {
  test::TempDir dir;
  std::string state = dir / "staff-sign-in.json";
  std::vector<Volunteer> configured = {{"CB-01", hash_pin("2468", kOldestPinIterations)}};
  auto t = VolunteerGate::Clock::now();
  // Four wrong PINs, a restart, the fifth: locked. Restarting again does not unlock.
  {
    VolunteerGate gate(configured, state);
    for (int i = 0; i < VolunteerGate::kMaxFailures - 1; ++i) CHECK(gate.sign_in("1111", t).locked_seconds == 0);
  }
  {
    VolunteerGate gate(configured, state);
    CHECK(gate.sign_in("1111", t).locked_seconds == 300);
  }
  {
    VolunteerGate gate(configured, state);
    auto r = gate.sign_in("2468", t + std::chrono::seconds(60));
    CHECK_FALSE(r.volunteer);
    CHECK(r.locked_seconds == 240);
    CHECK(gate.sign_in("2468", t + std::chrono::seconds(301)).volunteer == "CB-01");
  }
  // Without the state file (the old behaviour) the count would have started again at zero.
  {
    VolunteerGate in_memory(configured);
    for (int i = 0; i < VolunteerGate::kMaxFailures - 1; ++i) CHECK(in_memory.sign_in("1111", t).locked_seconds == 0);
  }
  {
    std::ofstream(state) << "{\"failures\": 2, \"locked";  // damaged
  }
  VolunteerGate gate(configured, state);
  CHECK(gate.sign_in("2468", VolunteerGate::Clock::now()).locked_seconds > 0);
}

TEST_CASE("assisted session: sign in on a clean session, banner data, tools, the dossier records it, sign-out wipes") {
  Fixture f;
  int checks = 0;
  Session s(f.config, f.catalog,
            SessionServices{[&](const forms::FormPackage&, const std::string&, const PersonalData&, bool assisted) {
                              f.assisted_seen = assisted;
                              return SubmitReceipt{"REF", "2026-12-01", true};
                            },
                            {},
                            [&](std::string_view pin) {
                              ++checks;
                              return pin == "2468" ? PinCheck{"TNV-07", 0} : PinCheck{std::nullopt, 0};
                            }});
  TimePoint t = SteadyClock::now();
  auto apply = [&](K k, int n = 0, std::string arg = {}) { s.apply({k, arg, n}, t); s.tick(t); };
  apply(K::VolunteerSignIn);
  REQUIRE(s.step() == Step::Volunteer);
  for (int d : {1, 1, 1, 1}) apply(K::PinDigit, d);
  apply(K::PinSubmit);
  CHECK(s.pin_wrong());
  CHECK(s.pin_length() == 0);  // a wrong PIN does not stay on screen
  for (int d : {2, 4, 6, 8}) apply(K::PinDigit, d);
  apply(K::PinSubmit);
  CHECK(checks == 2);
  CHECK(s.step() == Step::Language);
  CHECK(s.volunteer() == "TNV-07");
  apply(K::ChooseLanguage, 0, "vi");
  apply(K::ChooseProcedure, 0, "khai-sinh");
  apply(K::Next, 0);  // the procedure page: "Bắt đầu khai"
  apply(K::TypeByHand);
  s.data().field("/declarant/fullName") = "Nguyễn Thị Mai, người cần giúp";
  s.data().field("/declarant/idNumber") = "001190012345";
  apply(K::RestartStep);
  CHECK(s.data().find("/declarant/fullName")->empty());
  CHECK(s.data().find("/declarant/idNumber")->empty());
  apply(K::ReadScreen);
  CHECK(s.read_requests() == 1);
  apply(K::CallStaff);
  CHECK(s.staff_called());
  for (int i = 0; i < 10 && s.step() == Step::Form; ++i) apply(K::Next);
  apply(K::ToggleConsent);
  apply(K::Confirm);
  CHECK(s.step() == Step::Receipt);
  CHECK(f.assisted_seen);
  apply(K::EndSession);  // the volunteer signs out
  CHECK(s.step() == Step::Attract);
  CHECK(s.volunteer().empty());
  CHECK(s.data().empty());
  CHECK_FALSE(s.staff_called());
}

TEST_CASE("the evaluation is kept without personal data and says whether a volunteer assisted") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<Evaluation> kept;
  Session s(config, catalog,
            SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"HK-0042", "2026-12-01", true}; }, {},
                            [](std::string_view) { return PinCheck{"TNV-01", 0}; }, {},
                            [&](const Evaluation& e, std::string_view) { kept.push_back(e); }});
  TimePoint t = SteadyClock::now();
  auto visit = [&](bool assisted, Intent last) {
    if (assisted) {
      s.apply({K::VolunteerSignIn}, t);
      s.apply({K::PinDigit, {}, 1}, t);
      s.apply({K::PinSubmit}, t);
    } else {
      s.apply({K::Start}, t);
    }
    s.apply({K::ChooseLanguage, "vi"}, t);
    s.apply({K::ChooseProcedure, "khai-sinh"}, t);
    s.apply({K::Next}, t);  // the procedure page: "Bắt đầu khai"
    s.apply({K::TypeByHand}, t);
    s.data().field("/declarant/fullName") = "Đinh Thị Hoa";
    for (int i = 0; i < 10 && s.step() == Step::Form; ++i) s.apply({K::Next}, t);
    s.apply({K::ToggleConsent}, t);
    s.apply({K::Confirm}, t);
    s.tick(t);
    s.apply({K::Next}, t);
    s.apply(last, t);
    if (s.step() == Step::Evaluation) s.apply({K::SubmitEvaluation}, t);  // the comment page: nothing typed
    s.apply({K::Finish}, t);
  };
  visit(false, {K::Rate, {}, 1});
  visit(true, {K::SkipEvaluation});  // skipped before any answer: no evaluation at all
  visit(true, {K::Rate, {}, 3});
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].rating == Rating::VerySatisfied);
  CHECK_FALSE(kept[0].assisted);
  CHECK(kept[0].dossier_reference == "HK-0042");
  CHECK(kept[0].procedure_code == "1.001193");
  CHECK(kept[1].rating == Rating::Dissatisfied);
  CHECK(kept[1].assisted);
}

TEST_CASE("errors show for a field once the citizen finished it, and for the whole step after Next") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  // Every field of the step is wrong until filled: a validator the test controls.
  auto validator = [](const forms::FormPackage& f, size_t step, const PersonalData& d, const std::string&) {
    std::vector<StepError> out;
    for (const forms::Element* c : f.steps[step].controls)
      if (!d.find(c->scope) || d.find(c->scope)->empty()) out.push_back({c->scope, "missing"});
    return out;
  };
  Session s(config, catalog, SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; }, {}, {}, validator});
  TimePoint t = SteadyClock::now();
  for (auto& i : {Intent{K::Start}, Intent{K::ChooseLanguage, "vi"}, Intent{K::ChooseProcedure, "khai-sinh"}, Intent{K::Next}, Intent{K::TypeByHand}})
    s.apply(i, t);
  CHECK(s.step_errors().empty());  // never on arrival
  s.apply({K::FieldTouched, "/declarant/idNumber"}, t);
  CHECK(s.step_errors().empty());  // passed without an answer: not finished, no error yet
  s.apply({K::FocusField, "/declarant/fullName"}, t);
  s.apply({K::FocusField, "/declarant/relationship"}, t);
  CHECK(s.step_errors().empty());
  s.data().field("/declarant/idNumber") = "12";
  s.apply({K::FieldTouched, "/declarant/idNumber"}, t);
  s.data().field("/declarant/idNumber").clear();  // typed, then erased: still finished, the error stays
  s.apply({K::FieldTouched, "/declarant/idNumber"}, t);
  REQUIRE(s.step_errors().size() == 1);
  CHECK(s.step_errors()[0].scope == "/declarant/idNumber");
  s.apply({K::Next}, t);
  CHECK(s.form_step() == 0);
  CHECK(s.step_errors().size() == 4);  // this validator wants every control, the requester's residence too
  for (auto* scope : {"/declarant/fullName", "/declarant/idNumber", "/declarant/relationship", "/declarant/placeOfResidence"})
    s.data().field(scope).assign(1, 'x');
  s.apply({K::Next}, t);
  CHECK(s.form_step() == 1);
  CHECK(s.step_errors().empty());  // the next step starts clean
  s.apply({K::Next}, t);
  CHECK(s.step_errors().size() == 6);  // the child: name, date and place of birth, sex, ethnic group, place of origin
}

namespace {

Survey three_questions() {
  test::TempDir dir;
  std::ofstream(dir / "s.json") << R"({"id": "test", "version": "7",
    "levels": [{"value": 5, "face": "happy", "label": {"vi": "Tốt", "en": "Good"}},
               {"value": 0, "face": "sad", "label": {"vi": "Kém", "en": "Poor"}}],
    "criteria": [{"id": "overall", "title": {"vi": "Chung?", "en": "Overall?"}},
                 {"id": "speed", "ask": ["submit"], "title": {"vi": "Nhanh?", "en": "Fast?"}},
                 {"id": "on-time", "ask": ["lookup"], "title": {"vi": "Đúng hẹn?", "en": "On time?"}}]})";
  return Survey::load(dir / "s.json", {"vi", "en"});
}

}  // namespace

TEST_CASE("the survey is data: its questions in order, its levels' values, a comment sealed by the sink, one evaluation per dossier") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  Survey survey = three_questions();
  std::vector<std::pair<Evaluation, std::string>> kept;
  std::set<std::string> evaluated;
  std::vector<SessionRecord> records;
  SessionServices services{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"HK-0042", "2026-12-01", true}; }};
  services.evaluations = [&](const Evaluation& e, std::string_view comment) {
    kept.push_back({e, std::string(comment)});
    evaluated.insert(e.dossier_reference);
  };
  services.evaluated = [&](const std::string& code) { return evaluated.count(code) > 0; };
  services.record = [&](const SessionRecord& r) { records.push_back(r); };
  services.lookup = [](const std::string& code) {
    DossierStatus st;
    st.found = DossierStatus::Found::Yes;
    st.code = code;
    st.status = "done";
    st.procedure = "1.001193";
    return st;
  };
  Session s(config, catalog, services, survey);
  TimePoint t = SteadyClock::now();
  auto to_receipt = [&] {
    s.apply({K::Start}, t);
    s.apply({K::ChooseLanguage, "vi"}, t);
    s.apply({K::ChooseProcedure, "khai-sinh"}, t);
    s.apply({K::Next}, t);  // the procedure page: "Bắt đầu khai"
    s.apply({K::UseCard}, t);
    s.apply({K::TypeByHand}, t);
    for (int i = 0; i < 10 && s.step() == Step::Form; ++i) s.apply({K::Next}, t);
    s.apply({K::ToggleConsent}, t);
    s.apply({K::Confirm}, t);
    s.tick(t);
    s.apply({K::Next}, t);
  };
  to_receipt();
  REQUIRE(s.step() == Step::Evaluation);
  CHECK(s.question_count() == 2);  // "on-time" waits for the lookup
  CHECK(s.question()->id == "overall");
  s.apply({K::Rate, {}, 1}, t);
  CHECK(s.question()->id == "speed");
  s.apply({K::Rate, {}, 3}, t);  // no third level: ignored
  CHECK(s.question()->id == "speed");
  s.apply({K::Rate, {}, 2}, t);
  CHECK(s.question() == nullptr);  // the comment page
  s.data().field("evaluation.comment") = "Cán bộ Nguyễn Văn A rất nhiệt tình";
  s.apply({K::SubmitEvaluation}, t);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].first.survey == "test@7");
  CHECK(kept[0].first.answers == std::vector<std::pair<std::string, int>>{{"overall", 5}, {"speed", 0}});
  CHECK(kept[0].second == "Cán bộ Nguyễn Văn A rất nhiệt tình");
  CHECK(s.step() == Step::ThankYou);
  s.apply({K::Finish}, t);
  CHECK(s.data().empty());  // the comment went with the session

  // The same dossier from the status lookup: already evaluated, not asked again.
  s.apply({K::StartLookup}, t);
  s.data().field("lookup.code") = "HK-0042";
  s.apply({K::LookupSubmit}, t);
  s.tick(t);
  s.apply({K::EvaluateFromLookup}, t);
  CHECK(s.step() == Step::Evaluation);
  CHECK(s.already_evaluated());
  s.apply({K::SkipEvaluation}, t);
  CHECK(kept.size() == 1);
  s.apply({K::Finish}, t);

  // Another dossier from the lookup gets the lookup's questions; skipping after one answer keeps that answer.
  s.apply({K::StartLookup}, t);
  s.data().field("lookup.code") = "hk-0099 ";
  s.apply({K::LookupSubmit}, t);
  s.tick(t);
  s.apply({K::EvaluateFromLookup}, t);
  CHECK(s.question_count() == 2);
  CHECK(s.question()->id == "overall");
  s.apply({K::Rate, {}, 2}, t);
  CHECK(s.question()->id == "on-time");
  s.apply({K::SkipEvaluation}, t);
  REQUIRE(kept.size() == 2);
  CHECK(kept[1].first.dossier_reference == "HK-0099");
  CHECK(kept[1].first.from_lookup);
  CHECK(kept[1].first.answers == std::vector<std::pair<std::string, int>>{{"overall", 0}});
  s.apply({K::Finish}, t);

  // Each visit was recorded without a name: kind, furthest step, outcome, card use, evaluated.
  REQUIRE(records.size() == 3);
  CHECK(records[0].kind == "dossier");
  CHECK(records[0].outcome == "submitted");
  CHECK(records[0].furthest_step == "thank_you");
  CHECK(records[0].used_card);
  CHECK(records[0].evaluated);
  CHECK(records[0].procedure == "1.001193");
  CHECK(records[0].reference == "HK-0042");
  CHECK(records[1].kind == "lookup");
  CHECK_FALSE(records[1].evaluated);
  CHECK(records[2].evaluated);
}

TEST_CASE("an abandoned visit is recorded with the furthest step reached, a timeout as a timeout") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<SessionRecord> records;
  SessionServices services{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; }};
  services.record = [&](const SessionRecord& r) { records.push_back(r); };
  Session s(config, catalog, services);
  TimePoint t = SteadyClock::now();
  s.apply({K::Start}, t);
  s.apply({K::ChooseLanguage, "vi"}, t);
  s.apply({K::ChooseProcedure, "khai-sinh"}, t);
  s.apply({K::Next}, t);  // the procedure page: "Bắt đầu khai"
  s.apply({K::TypeByHand}, t);
  s.apply({K::Next}, t);  // to form step 2
  s.apply({K::Back}, t);  // back to step 1: the furthest stays step 2
  s.apply({K::EndSession}, t);
  s.apply({K::Start}, t);
  s.apply({K::ChooseLanguage, "en"}, t);
  s.tick(t + std::chrono::seconds(config.idle_seconds + config.more_time_seconds + 2));
  s.tick(t + std::chrono::seconds(config.idle_seconds + config.more_time_seconds + 60));
  s.apply({K::VolunteerSignIn}, t);  // a sign-in screen alone is not a visit
  s.apply({K::Back}, t);
  REQUIRE(records.size() == 2);
  CHECK(records[0].outcome == "abandoned");
  CHECK(records[0].furthest_step == "form:2");
  CHECK(records[0].language == "vi");
  CHECK(records[1].outcome == "timeout");
  CHECK(records[1].furthest_step == "catalog");
  CHECK(records[1].language == "en");
}

TEST_CASE("the date picker keeps a real date at every tap, inside its bounds, and starts from today") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  Session s(config, catalog, SessionServices{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"R", "2026-12-01", true}; }});
  TimePoint t = SteadyClock::now();
  s.apply({K::Start}, t);
  s.apply({K::ChooseLanguage, "vi"}, t);
  s.apply({K::ChooseProcedure, "khai-sinh"}, t);
  s.apply({K::Next}, t);  // the procedure page: "Bắt đầu khai"
  s.apply({K::TypeByHand}, t);
  s.apply({K::AdjustDate, "/child/dateOfBirth", 1}, t);  // not on this step: ignored
  CHECK(s.data().find("/child/dateOfBirth") == nullptr);
  s.apply({K::Next}, t);
  s.apply({K::AdjustDate, "/child/dateOfBirth", 3}, t);
  auto set = [&](const char* v) { s.data().field("/child/dateOfBirth") = v; };
  auto value = [&] { return std::string(*s.data().find("/child/dateOfBirth")); };
  CHECK(value() == local_time("%Y-%m-%d"));  // a birth date is never in the future ("max": "today"): a year on stays today
  set("2024-01-31");
  s.apply({K::AdjustDate, "/child/dateOfBirth", 2}, t);
  CHECK(value() == "2024-02-29");  // February of a leap year: the day follows the month's length
  s.apply({K::AdjustDate, "/child/dateOfBirth", 3}, t);
  CHECK(value() == "2025-02-28");
  s.apply({K::AdjustDate, "/child/dateOfBirth", 1}, t);
  CHECK(value() == "2025-02-01");  // past the month's end: back to the 1st
  s.apply({K::AdjustDate, "/child/dateOfBirth", -1}, t);
  CHECK(value() == "2025-02-28");
  s.apply({K::AdjustDate, "/child/dateOfBirth", -30}, t);
  CHECK(value() == "2015-02-28");
  set("2015-12-10");
  s.apply({K::AdjustDate, "/child/dateOfBirth", 2}, t);
  CHECK(value() == "2015-01-10");
  s.apply({K::AdjustDate, "/child/dateOfBirth", 99}, t);  // no such change
  CHECK(value() == "2015-01-10");
}

TEST_CASE("Kết thúc asks first where answers would be lost: No keeps them, Yes wipes, the countdown still ends") {
  Fixture f;
  Session& s = f.session;
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::AskEnd);  // nothing typed yet: ends at once
  CHECK(s.step() == Step::Attract);
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "khai-sinh");
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  f.apply(K::TypeByHand);
  s.data().field("/declarant/fullName") = "Lò Văn Páo";
  f.apply(K::AskEnd);
  REQUIRE(s.asking());
  CHECK(s.asking()->kind == K::EndSession);
  f.apply(K::Next);  // the screen under the question is not there: nothing else counts
  CHECK(s.form_step() == 0);
  f.apply(K::Answer, {}, 0);
  CHECK_FALSE(s.asking());
  CHECK(s.step() == Step::Form);
  CHECK(*s.data().find("/declarant/fullName") == "Lò Văn Páo");
  f.apply(K::AskEnd);
  f.apply(K::Answer, {}, 1);
  CHECK(s.step() == Step::Attract);
  CHECK(s.data().empty());
  CHECK(s.last_end_reason() == EndReason::Cancelled);
  // The idle countdown's own "end" still ends, question or not.
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "khai-sinh");
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  f.apply(K::TypeByHand);
  f.apply(K::AskEnd);
  f.apply(K::EndSession);
  CHECK(s.step() == Step::Attract);
  CHECK_FALSE(s.asking());
}

TEST_CASE("Xác nhận before the consent is ticked submits nothing and is counted for the screen to explain") {
  Fixture f;
  Session& s = f.session;
  f.to_form();
  s.data().field("/declarant/fullName") = "Lò Văn Páo";
  for (int i = 0; i < 10 && s.step() == Step::Form; ++i) f.apply(K::Next);
  REQUIRE(s.step() == Step::Review);
  CHECK(s.refused_confirms() == 0);
  f.apply(K::Confirm);
  CHECK(s.step() == Step::Review);
  CHECK(s.refused_confirms() == 1);
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  CHECK(s.step() == Step::Receipt);
}

TEST_CASE("anyone may call staff and ask for the screen to be read, once a visit") {
  Fixture f;
  Session& s = f.session;
  f.apply(K::Start);
  CHECK_FALSE(s.assisted());
  f.apply(K::CallStaff);
  f.apply(K::ReadScreen);
  CHECK(s.staff_called());
  CHECK(s.read_requests() == 1);
  f.apply(K::AskEnd);  // nothing to lose on the language screen
  CHECK(s.step() == Step::Attract);
  CHECK_FALSE(s.staff_called());
}

TEST_CASE("the procedure page: between the catalog and the card step, both ways, its checklist, and Xong after the receipt skips the survey") {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<SessionRecord> records;
  std::vector<Evaluation> kept;
  SessionServices services{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"HK-0043", "2026-12-01", true}; }};
  services.record = [&](const SessionRecord& r) { records.push_back(r); };
  services.evaluations = [&](const Evaluation& e, std::string_view) { kept.push_back(e); };
  Session s(config, catalog, services);
  TimePoint t = SteadyClock::now();
  auto apply = [&](K k, std::string arg = {}) { s.apply({k, std::move(arg)}, t); s.tick(t); };
  apply(K::Start);
  apply(K::ChooseLanguage, "vi");
  apply(K::ChooseProcedure, "khai-sinh");
  REQUIRE(s.step() == Step::Procedure);
  CHECK(s.form()->id == "khai-sinh");
  apply(K::PrintChecklist);
  apply(K::PrintChecklist);
  CHECK(s.checklist_print_requests() == 2);  // the kiosk prints on each change
  apply(K::Back);
  CHECK(s.step() == Step::Catalog);
  apply(K::ChooseProcedure, "khai-sinh");
  apply(K::Next);
  CHECK(s.step() == Step::Identify);
  apply(K::Back);
  CHECK(s.step() == Step::Procedure);  // from the card step back to the page, not the list
  apply(K::Next);
  apply(K::TypeByHand);
  REQUIRE(s.step() == Step::Form);
  for (int i = 0; i < 20 && s.step() == Step::Form; ++i) apply(K::Next);
  REQUIRE(s.step() == Step::Review);
  apply(K::ToggleConsent);
  apply(K::Confirm);
  REQUIRE(s.step() == Step::Receipt);
  apply(K::Finish);  // "Xong"
  CHECK(s.step() == Step::Attract);
  CHECK(s.data().empty());
  CHECK(kept.empty());  // no survey asked, none recorded
  REQUIRE(records.size() == 1);
  CHECK(records[0].outcome == "submitted");
  CHECK_FALSE(records[0].evaluated);
  CHECK(records[0].furthest_step == "receipt");

  // A visit that stops on the page is recorded as having got that far.
  apply(K::Start);
  apply(K::ChooseLanguage, "vi");
  apply(K::ChooseProcedure, "thuong-tru");
  apply(K::EndSession);
  REQUIRE(records.size() == 2);
  CHECK(records[1].furthest_step == "procedure");
  CHECK(records[1].outcome == "abandoned");
}

TEST_CASE("In to khai: the receipt asks for the declaration only where an A4 printer is configured, and only there") {
  for (bool configured : {false, true}) {
    KioskConfig config;
    if (configured) config.declaration_printer = "file:/nowhere";
    Catalog catalog = Catalog::load(root + "/assets/forms");
    SessionServices services{[](auto&, auto&, auto&, bool) { return SubmitReceipt{"HK-0044", "2026-12-01", true}; }};
    Session s(config, catalog, services);
    TimePoint t = SteadyClock::now();
    auto apply = [&](K k, std::string arg = {}) { s.apply({k, std::move(arg)}, t); s.tick(t); };
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, "khai-sinh");
    apply(K::PrintDeclaration);  // the procedure page: nothing submitted yet
    apply(K::Next);
    apply(K::TypeByHand);
    for (int i = 0; i < 20 && s.step() == Step::Form; ++i) apply(K::Next);
    REQUIRE(s.step() == Step::Review);
    apply(K::PrintDeclaration);
    CHECK(s.declaration_print_requests() == 0);
    apply(K::ToggleConsent);
    apply(K::Confirm);
    REQUIRE(s.step() == Step::Receipt);
    CHECK(s.can_print_declaration() == configured);
    apply(K::PrintDeclaration);
    apply(K::PrintDeclaration);  // "Thử gửi lại": the kiosk sends on each change
    CHECK(s.declaration_print_requests() == (configured ? 2u : 0u));
  }
}

TEST_CASE("a list names its items by the form's itemLabel, else 'Mục', in every language") {
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  Catalog catalog = Catalog::load(root + "/assets/forms");
  const forms::Element* members = nullptr;
  for (auto& step : catalog.form("thuong-tru")->steps)
    forms::for_each_repeat(step.elements, [&](const forms::Element& r) { if (r.scope == "/members") members = &r; });
  REQUIRE(members);
  CHECK(repeat_word(strings, "vi", *members, RepeatWord::Item, 2) == "Thành viên 2");  // upper case at the head of a line
  CHECK(repeat_word(strings, "vi", *members, RepeatWord::Add) == "+ Thêm thành viên");
  CHECK(repeat_word(strings, "vi", *members, RepeatWord::Remove) == "Xoá thành viên này");
  CHECK(repeat_word(strings, "en", *members, RepeatWord::Item, 1) == "Member 1");
  CHECK(repeat_word(strings, "en", *members, RepeatWord::Add) == "+ Add member");
  forms::Element unnamed = *members;
  unnamed.item_label = {};
  CHECK(repeat_word(strings, "vi", unnamed, RepeatWord::Item, 3) == "Mục 3");
  CHECK(repeat_word(strings, "vi", unnamed, RepeatWord::Add) == "+ Thêm một mục");
  CHECK(text::capitalized("đơn vị") == "Đơn vị");  // a Vietnamese letter utf8proc upper-cases
  CHECK(text::capitalized("") == "");
}
