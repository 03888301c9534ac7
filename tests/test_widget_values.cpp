// The widgets that are not free text (issue 17): time of day, e-mail, a single yes/no tick and a
// money amount typed on the pad. One table per widget: what the citizen does → what the session
// keeps → what the dossier holds, on tests/fixtures/widgets-form.json.
#include <doctest/doctest.h>

#include <filesystem>

#include "forms/dossier_check.h"
#include "forms/model.h"
#include "forms/package.h"
#include "forms/widget_values.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/core/keyboard.h"
#include "terminal/core/session.h"
#include "tests/support/files.h"

using namespace motcua;
using K = Intent::Kind;
using nlohmann::json;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

std::string widget_forms_dir() {
  static test::TempDir dir;
  static const std::string path = test::copy_forms_with(dir, root, "widgets-form.json");
  return path;
}

struct Fixture {
  KioskConfig config;
  Catalog catalog = Catalog::load(widget_forms_dir());
  Session session{config, catalog, SessionServices{{}, {}, {}, validate_step}};
  TimePoint t = SteadyClock::now();
  Fixture(const std::string& lang = "vi") {
    for (Intent in : {Intent{K::Start}, Intent{K::ChooseLanguage, lang}, Intent{K::ChooseProcedure, "o-nhap-mau"}, Intent{K::Next}, Intent{K::TypeByHand}})
      apply(in.kind, in.arg, in.number);
    REQUIRE(session.step() == Step::Form);
  }
  void apply(K k, std::string arg = {}, int n = 0) {
    session.apply({k, std::move(arg), n}, t);
    session.tick(t);
  }
  std::string field(const std::string& scope) {
    const auto* v = session.data().find(scope);
    return v ? std::string(*v) : "";
  }
  json data() {
    forms::FormModel model(*session.form(), "2026-11-22");
    load_answers(model, session.data());
    json d = model.data();
    model.wipe();
    return d;
  }
  std::vector<std::string> errors(const std::string& scope) {
    std::vector<std::string> out;
    for (auto& e : session.step_errors())
      if (e.scope == scope) out.push_back(e.message);
    return out;
  }
  const forms::Element& control(const std::string& scope) { return *session.control_at(scope); }
};

std::string typed(const std::vector<std::string>& keys, KeyboardState state) {
  std::pmr::string text;
  for (auto& k : keys) press_key(text, k, state, TonePlacement::Modern);
  return std::string(text);
}
}  // namespace

TEST_CASE("time widget: every tap on the steppers keeps a real time, stored as the schema wants it") {
  json pattern = {{"type", "string"}, {"pattern", "^([01][0-9]|2[0-3]):[0-5][0-9]$"}};
  json rfc = {{"type", "string"}, {"format", "time"}};
  struct Row { const char* from; int change; const json* schema; const char* offset; const char* stored; };
  const Row rows[] = {
      {"", 60, &pattern, "+0700", "09:00"},            // unset starts at 08:00, then the tap
      {"", -60, &pattern, "+0700", "07:00"},
      {"", 1, &pattern, "+0700", "08:01"},
      {"23:30", 60, &pattern, "+0700", "00:30"},       // the hour wraps inside the day
      {"00:15", -60, &pattern, "+0700", "23:15"},
      {"08:55", 10, &pattern, "+0700", "08:05"},       // the minute wraps inside the hour
      {"08:00", -1, &pattern, "+0700", "08:59"},
      {"08:05", -10, &pattern, "+0700", "08:55"},
      {"14:30", 1, &rfc, "+0700", "14:31:00+07:00"},   // format "time" is RFC 3339: seconds and offset
      {"14:31:00+07:00", 60, &rfc, "+0700", "15:31:00+07:00"},
      {"", 60, &rfc, "+0000", "09:00:00Z"},
      {"", 60, &rfc, "-0330", "09:00:00-03:30"},
      {"nonsense", 1, &pattern, "+0700", "08:01"},      // not a time: from the start again
  };
  for (auto& r : rows) {
    CAPTURE(r.from);
    CAPTURE(r.change);
    auto t = forms::step_time(forms::parse_time_of_day(r.from), r.change);
    std::string stored = forms::time_value(t, r.schema, r.offset);
    CHECK(stored == r.stored);
    CHECK(forms::time_shown(stored) == std::string(r.stored).substr(0, 5));
  }
  for (const char* bad : {"24:00", "8:30", "08:60", "08:30x", "08:30:00", "", "ab:cd"}) {
    CAPTURE(bad);
    CHECK_FALSE(forms::parse_time_of_day(bad));
    CHECK(forms::time_shown(bad).empty());
  }
  // What the kiosk refuses, in the citizen's language (a forged or card value: the steppers cannot make one).
  forms::Element c;
  c.widget = "time";
  CHECK_FALSE(forms::format_error(c, &pattern, "08:30", "vi"));
  CHECK(forms::format_error(c, &pattern, "8:30", "vi").value_or("").find("Giờ chưa đúng") == 0);
  CHECK(forms::format_error(c, &rfc, "08:30", "en").value_or("").find("not a time") != std::string::npos);
  CHECK_FALSE(forms::format_error(c, &rfc, "08:30:00+07:00", "vi"));
}

TEST_CASE("time widget on the session: AdjustTime intents give the dossier HH:MM and an RFC 3339 time") {
  Fixture f;
  f.apply(K::AdjustTime, "/appointment/time", 60);
  f.apply(K::AdjustTime, "/appointment/time", 10);
  f.apply(K::AdjustTime, "/appointment/time", 10);
  f.apply(K::AdjustTime, "/appointment/time", 10);
  f.apply(K::AdjustTime, "/appointment/time", -1);
  CHECK(f.field("/appointment/time") == "09:29");
  f.apply(K::AdjustTime, "/appointment/exact", -60);
  std::string exact = f.field("/appointment/exact");
  REQUIRE(exact.size() > 5);
  CHECK(exact.substr(0, 8) == "07:00:00");
  CHECK(f.errors("/appointment/exact").empty());  // valid RFC 3339 with this machine's offset
  json d = f.data();
  CHECK(d["appointment"]["time"] == "09:29");
  CHECK(d["appointment"]["exact"] == exact);
  // Not a time widget, or a steps change that is not one: nothing changes.
  f.apply(K::AdjustTime, "/email", 60);
  CHECK(f.field("/email").empty());
  f.apply(K::AdjustTime, "/appointment/time", 7);
  CHECK(f.field("/appointment/time") == "09:29");
  // A forged value typed into the session (not by the steppers) is an error on Next, in Vietnamese.
  f.session.data().field("/appointment/time") = "9:29";
  f.apply(K::Next);
  CHECK(f.session.form_step() == 0);
  auto errs = f.errors("/appointment/time");
  REQUIRE_FALSE(errs.empty());
}

TEST_CASE("email widget: the letter keyboard types an address as written, with @ and the dot") {
  KeyboardState email;
  email.email = true;
  KeyboardState letters;
  email.method = letters.method = "telex";
  struct Row { std::vector<std::string> keys; const char* stored; };
  const Row rows[] = {
      {{"n", "g", "u", "y", "e", "n", "@gmail.com"}, "nguyen@gmail.com"},
      {{"a", "a", "n", "@", "m", "o", "j", ".", "g", "o", "v", ".", "v", "n"}, "aan@moj.gov.vn"},  // no telex: "aa" stays
      {{"l", "e", "_", "h", "o", "a", "-", "1", "9", "6", "1", "@", "y", "a", "h", "o", "o", ".", "c", "o", "m"}, "le_hoa-1961@yahoo.com"},
      {{"a", "space", "b", "tone:acute", "shape:breve", "shift", "c"}, "abc"},  // no space, no marks, no capitals
      {{"a", "b", "backspace", "c"}, "ac"},
  };
  for (auto& r : rows) CHECK(typed(r.keys, email) == r.stored);
  // The ordinary keyboard has no "@" key: an address field needs the email widget.
  CHECK(typed({"a", "@", "."}, letters) == "a");

  forms::Element c;
  c.widget = "email";
  json schema = {{"type", "string"}, {"format", "email"}};
  for (const char* good : {"nguyen@gmail.com", "aan@moj.gov.vn", "le_hoa-1961@yahoo.com"}) CHECK_FALSE(forms::format_error(c, &schema, good, "vi"));
  for (const char* bad : {"nguyen", "nguyen@", "@gmail.com", "a@@b.com", "an..b@gmail.com", "an@gmail..com", "an@gmail", "an@gmail."}) {
    CAPTURE(bad);
    auto m = forms::format_error(c, &schema, bad, "vi");
    REQUIRE(m);
    CHECK(m->find("thư điện tử") != std::string::npos);
  }
  CHECK(forms::format_error(c, &schema, "x", "en").value_or("").find("e-mail") != std::string::npos);
  c.messages = {{"format", {{"vi", "Thư điện tử sai."}, {"en", "Wrong e-mail."}}}};  // the form's own words win
  CHECK(forms::format_error(c, &schema, "x", "vi") == std::optional<std::string>("Thư điện tử sai."));
}

TEST_CASE("email and yes-no on the session: the tick shows the address, the keyboard types it, format is checked") {
  Fixture f;
  const forms::Element& wants = f.control("/wantsEmail");
  CHECK_FALSE(f.session.shown(f.control("/email")));
  CHECK(f.data()["wantsEmail"] == false);  // unticked is an answer: false
  f.apply(K::ToggleOption, "/wantsEmail");
  CHECK(f.field("/wantsEmail") == "true");
  CHECK(f.data()["wantsEmail"] == true);
  CHECK(f.session.shown(f.control("/email")));
  f.apply(K::FocusField, "/email");
  CHECK(f.session.keyboard().email);
  CHECK(f.session.keyboard().layout == KeyboardLayout::Letters);
  for (const char* k : {"a", "n", "@", "g", "m", "a", "i", "l"}) f.apply(K::KeyPress, k);
  f.apply(K::KeyPress, "done");
  CHECK(f.field("/email") == "an@gmail");
  REQUIRE(f.errors("/email").size() == 1);
  CHECK(f.errors("/email")[0].find("thư điện tử") != std::string::npos);
  f.apply(K::FocusField, "/email");
  for (const char* k : {".", "c", "o", "m"}) f.apply(K::KeyPress, k);
  f.apply(K::KeyPress, "done");
  CHECK(f.errors("/email").empty());
  CHECK(f.data()["email"] == "an@gmail.com");
  // Unticked again: the address hides and (clearOnHide) is wiped at once.
  f.apply(K::ToggleOption, "/wantsEmail");
  CHECK(f.field("/wantsEmail").empty());
  CHECK(f.field("/email").empty());
  CHECK_FALSE(f.data().contains("email"));
  (void)wants;
  // The same check in `form validate PACKAGE`: a bad address in a dossier is refused there too.
  forms::FormPackage pkg = forms::load_package(root + "/tests/fixtures/widgets-form.json");
  json bad = {{"wantsEmail", true}, {"email", "an@gmail"}, {"appointment", {{"time", "09:00"}}}, {"amount", 5000}, {"declaration", true}};
  auto errs = forms::check_dossier(pkg, bad, "2026-11-22", "vi");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].keyword == "format");
  CHECK(errs[0].instance_location == "/email");
  bad["email"] = "an@gmail.com";
  CHECK(forms::check_dossier(pkg, bad, "2026-11-22", "vi").empty());
}

TEST_CASE("yes-no widget: one tick per tap, true or false in the dossier, a const true refused unticked") {
  struct Row { int taps; const char* stored; bool value; };
  for (const Row& r : {Row{0, "", false}, Row{1, "true", true}, Row{2, "", false}, Row{3, "true", true}}) {
    CAPTURE(r.taps);
    Fixture f;
    for (int i = 0; i < r.taps; ++i) f.apply(K::ToggleOption, "/wantsEmail");
    CHECK(f.field("/wantsEmail") == r.stored);
    CHECK(f.data()["wantsEmail"] == r.value);
  }
  CHECK(forms::tick_value("true"));
  CHECK_FALSE(forms::tick_value("false"));  // a "default": false arrives as the text "false"
  CHECK_FALSE(forms::tick_value(""));
  // The declaration must be ticked: refused with the form's own message, accepted once ticked.
  Fixture f;
  f.apply(K::AdjustTime, "/appointment/time", 60);
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  f.apply(K::FocusField, "/amount");
  for (const char* k : {"5", "0", "0", "0"}) f.apply(K::KeyPress, k);
  f.apply(K::KeyPress, "done");
  f.apply(K::Next);
  CHECK(f.session.form_step() == 1);
  CHECK(f.errors("/declaration") == std::vector<std::string>{"Cần đánh dấu vào ô cam đoan để nộp hồ sơ."});
  f.apply(K::ToggleOption, "/declaration");
  CHECK(f.errors("/declaration").empty());
  f.apply(K::Next);
  CHECK(f.session.step() == Step::Review);
}

TEST_CASE("money widget: digits on the pad, read with thousands separators and đ while typing") {
  KeyboardState money;
  money.money = true;
  money.digits_only = true;
  money.layout = KeyboardLayout::Digits;
  struct Row { std::vector<std::string> keys; const char* stored; const char* vi; const char* en; };
  const Row rows[] = {
      {{"1", "2", "5", "0", "0", "0", "0"}, "1250000", "1.250.000 đ", "1,250,000 đ"},
      {{"0", "0", "5", "0", "0", "0"}, "5000", "5.000 đ", "5,000 đ"},      // no leading zeros
      {{"0"}, "0", "0 đ", "0 đ"},
      {{"9", "9", "9", "backspace"}, "99", "99 đ", "99 đ"},
      {{"1", "a", "space", "tone:acute", "layout", "0"}, "10", "10 đ", "10 đ"},  // nothing but digits
      {{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "2", "3", "4", "5"}, "1234567890123", "1.234.567.890.123 đ",
       "1,234,567,890,123 đ"},                                                // at most 13 digits
      {{}, "", "", ""},
  };
  for (auto& r : rows) {
    std::string stored = typed(r.keys, money);
    CHECK(stored == r.stored);
    CHECK(forms::money_shown(stored, "vi") == r.vi);
    CHECK(forms::money_shown(stored, "en") == r.en);
  }
  // On the session: the pad opens without letters, and the dossier holds the integer.
  Fixture f("en");
  f.apply(K::AdjustTime, "/appointment/time", 60);
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  f.apply(K::FocusField, "/amount");
  CHECK(f.session.keyboard().money);
  CHECK(f.session.keyboard().digits_only);
  CHECK(f.session.keyboard().layout == KeyboardLayout::Digits);
  for (const char* k : {"0", "2", "5", "0", "x", "0", "0", "0"}) f.apply(K::KeyPress, k);
  f.apply(K::KeyPress, "done");
  CHECK(f.field("/amount") == "250000");
  json d = f.data();
  CHECK(d["amount"] == 250000);
  CHECK(d["amount"].is_number());
  // Too little: the form's own message with its limit.
  f.apply(K::FocusField, "/amount");
  for (int i = 0; i < 4; ++i) f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "done");
  CHECK(f.field("/amount") == "25");
  CHECK(f.errors("/amount") == std::vector<std::string>{"At least 1000 đồng."});
}
