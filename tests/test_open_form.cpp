// A kiosk opened straight on a form (`motcua --form`) and the single-procedure kiosk (singleForm):
// the start state and the return after each visit, in the session core without a window.
#include <doctest/doctest.h>

#include <vector>

#include "terminal/core/session.h"

using namespace motcua;
using K = Intent::Kind;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

struct Desk {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::vector<SessionRecord> records;
  std::unique_ptr<Session> session;
  TimePoint t = SteadyClock::now();

  explicit Desk(std::string single_form = "") {
    config.single_form = std::move(single_form);
    SessionServices services{[](const forms::FormPackage& f, const std::string&, const PersonalData&, bool) {
      return SubmitReceipt{f.id + "-1", "2026-12-01", true};
    }};
    services.record = [this](const SessionRecord& r) { records.push_back(r); };
    session = std::make_unique<Session>(config, catalog, services);
  }
  void apply(K k, std::string arg = {}, int n = 0) { session->apply({k, std::move(arg), n}, t); session->tick(t); }
  void wait(int secs) {
    t += std::chrono::seconds(secs);
    session->tick(t);
  }
};

}  // namespace

TEST_CASE("--form: the form opens on its first step in the chosen language and rests, no timer, no visit counted") {
  Desk k;
  CHECK_FALSE(k.session->open_form("khai-sin", "en", k.t));  // unknown: nothing changes
  CHECK(k.session->step() == Step::Attract);

  REQUIRE(k.session->open_form("khai-sinh", "en", k.t));
  Session& s = *k.session;
  CHECK(s.step() == Step::Form);
  CHECK(s.form()->id == "khai-sinh");
  CHECK(s.form_step() == 0);
  CHECK(s.language() == "en");
  CHECK(s.resting());
  CHECK_FALSE(s.next_deadline(k.t).has_value());  // nobody there: nothing to time out
  k.wait(k.config.idle_seconds + k.config.more_time_seconds + 60);
  CHECK(s.step() == Step::Form);
  CHECK_FALSE(s.asking_more_time());
  CHECK(k.records.empty());

  // The first tap starts the visit: the idle timer runs from it.
  k.apply(K::FocusField, "/declarant/fullName");
  CHECK_FALSE(s.resting());
  REQUIRE(s.next_deadline(k.t).has_value());
  CHECK(*s.next_deadline(k.t) == k.t + std::chrono::seconds(k.config.idle_seconds));
  CHECK_FALSE(s.open_form("khai-tu", "vi", k.t));  // never over a visit in progress
  CHECK(s.form()->id == "khai-sinh");

  // The card step is still there: Back from the first step, and Back from it returns to the form.
  k.apply(K::Back);
  CHECK(s.step() == Step::Identify);
  k.apply(K::UseCard);
  CHECK(s.waiting_for_card());
  k.apply(K::Back);  // leaves the card path
  k.apply(K::Back);
  CHECK(s.step() == Step::Form);  // not the catalog: there is none behind a form opened directly
  CHECK(s.form_step() == 0);

  // An ordinary kiosk started with --form goes to the attract screen after the visit.
  k.apply(K::EndSession);
  CHECK(s.step() == Step::Attract);
  REQUIRE(k.records.size() == 1);
  CHECK(k.records[0].furthest_step == "form:1");
  CHECK(k.records[0].language == "en");
  CHECK(k.records[0].outcome == "abandoned");
}

TEST_CASE("--form: Kết thúc on an untouched form goes to the attract screen without asking") {
  Desk k;
  REQUIRE(k.session->open_form("khai-sinh", "vi", k.t));
  k.apply(K::AskEnd);
  CHECK_FALSE(k.session->asking().has_value());
  CHECK(k.session->step() == Step::Attract);
  CHECK(k.records.empty());
}

TEST_CASE("singleForm: after a submitted visit and after a timeout the kiosk returns to its form, wiped") {
  Desk k("khai-sinh");
  Session& s = *k.session;
  REQUIRE(s.open_form("khai-sinh", "vi", k.t));  // what the kiosk does at start

  // A whole visit, in English.
  k.apply(K::SwitchLanguage, "en");
  CHECK_FALSE(s.resting());
  s.data().field("/declarant/fullName") = "Trần Văn Bình";
  for (int i = 0; i < 10 && s.step() == Step::Form; ++i) k.apply(K::Next);  // every step of the birth form
  REQUIRE(s.step() == Step::Review);
  k.apply(K::ToggleConsent);
  k.apply(K::Confirm);
  REQUIRE(s.step() == Step::Receipt);
  k.apply(K::Next);
  k.apply(K::SkipEvaluation);
  REQUIRE(s.step() == Step::ThankYou);
  unsigned gen = s.generation();
  k.wait(k.config.thank_you_seconds);
  CHECK(s.generation() == gen + 1);  // the visit ended (the screens drop their state)...
  CHECK(s.last_end_reason() == EndReason::Finished);
  CHECK(s.step() == Step::Form);     // ...and the next one starts on the form, not the attract screen
  CHECK(s.form()->id == "khai-sinh");
  CHECK(s.form_step() == 0);
  CHECK(s.resting());
  CHECK(s.language() == "vi");       // the kiosk's first language again
  CHECK(s.data().find("/declarant/fullName") == nullptr);
  CHECK(s.reference().empty());
  REQUIRE(k.records.size() == 1);
  CHECK(k.records[0].outcome == "submitted");

  // Resting, the kiosk waits for ever; Kết thúc has nothing to end.
  k.wait(k.config.idle_seconds + k.config.more_time_seconds + 60);
  k.apply(K::AskEnd);
  CHECK(s.step() == Step::Form);
  CHECK(s.resting());
  CHECK(k.records.size() == 1);

  // A citizen who walks away: "more time?", then the countdown, then the form again, wiped.
  k.apply(K::FocusField, "/declarant/fullName");
  s.data().field("/declarant/fullName") = "Lê Thị Hoa";
  k.apply(K::Next);
  CHECK(s.form_step() == 1);
  k.wait(k.config.idle_seconds);
  CHECK(s.asking_more_time());
  k.wait(k.config.more_time_seconds);
  CHECK(s.last_end_reason() == EndReason::Timeout);
  CHECK(s.step() == Step::Form);
  CHECK(s.form_step() == 0);
  CHECK(s.resting());
  CHECK_FALSE(s.asking_more_time());
  CHECK(s.data().find("/declarant/fullName") == nullptr);
  REQUIRE(k.records.size() == 2);
  CHECK(k.records[1].outcome == "timeout");
  CHECK(k.records[1].furthest_step == "form:2");
}

TEST_CASE("singleForm: a catalog replaced under the resting form opens it again from the new catalog") {
  Desk k("khai-sinh");
  Session& s = *k.session;
  REQUIRE(s.open_form("khai-sinh", "vi", k.t));
  k.catalog = Catalog::load(root + "/assets/forms");  // the old form objects are gone
  s.catalog_replaced();
  CHECK(s.step() == Step::Form);
  CHECK(s.resting());
  CHECK(s.form() == k.catalog.form("khai-sinh"));

  // A new catalog without the form: the attract screen, not a dangling form.
  Catalog without;
  for (auto* f : k.catalog.find("", ""))
    if (f->id != "khai-sinh") without.add(*f);
  k.catalog = std::move(without);
  s.catalog_replaced();
  CHECK(s.step() == Step::Attract);
  CHECK(s.form() == nullptr);
}
