#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <set>

#include "devices/printer/documents.h"
#include "devices/printer/layout.h"
#include "terminal/core/catalog.h"
#include "terminal/core/input.h"
#include "terminal/core/locale.h"
#include "terminal/services/paper_printer.h"
#include "terminal/services/receipt_request.h"
#include "tests/support/fake_printer.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

json ticket(const std::string& number) {
  return {{"centerName", "Trung tâm Phục vụ hành chính công"}, {"service", "Hộ tịch"}, {"number", number},
          {"counterGroup", "Quầy 1-3"}, {"issuedAt", "2026-11-30T09:00:00+07:00"}};
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

template <class F> bool wait_for(F done, double seconds) {
  auto t0 = std::chrono::steady_clock::now();
  while (!done()) {
    if (seconds_since(t0) > seconds) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

// A printer that takes the job and never confirms keeps its job for seconds (the wait grows with
// the job). The screen's thread starts jobs and ends sessions: neither may wait for paper.
TEST_CASE("paper printer: a printer that never confirms holds no screen: start and session end return at once") {
  test::FakePrinter silent({.no_confirm = true});
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:" + std::to_string(silent.port());
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  std::atomic<int> wakes{0};
  PaperPrinter printer(config, strings, root, [&] { ++wakes; });

  auto t0 = std::chrono::steady_clock::now();
  unsigned first = printer.start("ticket", ticket("A001"), "vi");
  unsigned second = printer.start("ticket", ticket("A002"), "vi");  // the first still waits for its confirmation
  CHECK(printer.state() == PaperPrinter::State::Printing);
  CHECK(second != first);
  CHECK(printer.latest() == second);  // the state follows the second
  printer.reset();  // the citizen walks away
  CHECK(printer.latest() != second);
  CHECK(seconds_since(t0) < 0.5);
  CHECK(printer.state() == PaperPrinter::State::Idle);

  // Both tickets still go to paper, one after the other; the new session's screen stays Idle.
  CHECK(wait_for([&] { return wakes == 2; }, 30));
  CHECK(printer.state() == PaperPrinter::State::Idle);
  CHECK(printer.problem().empty());

  // The next citizen's job is the one the screen follows: not confirmed, and why.
  printer.start("ticket", ticket("A003"), "vi");
  CHECK(wait_for([&] { return printer.state() != PaperPrinter::State::Printing; }, 30));
  CHECK(printer.state() == PaperPrinter::State::NotConfirmed);
  CHECK(printer.problem().find("did not confirm") != std::string::npos);
}

// Receipts and tickets left when a session ends still print; the citizen's answers sheet waiting
// behind them does not, or it would come out into the next citizen's hands.
TEST_CASE("paper printer: an answers sheet not started when the session ends is not printed") {
  test::FakePrinter slow({.bytes_per_second = 20000});  // confirms each job once it has drained
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:" + std::to_string(slow.port());
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  std::atomic<int> wakes{0};
  PaperPrinter printer(config, strings, root, [&] { ++wakes; });
  printer.start("ticket", ticket("A001"), "vi");
  json answers = {{"centerName", "Trung tâm Phục vụ hành chính công"}, {"procedureName", "Đăng ký khai sinh"},
                  {"printedAt", "2026-11-30T09:00:00+07:00"},
                  {"answers", json::array({{{"label", "Họ và tên"}, {"value", "Nguyễn Văn A"}}})}};
  printer.start("answers", answers, "vi");
  printer.reset();
  printer.start("ticket", ticket("A002"), "vi");  // the next citizen's: jobs print in order
  CHECK(wait_for([&] { return printer.state() != PaperPrinter::State::Printing; }, 30));
  CHECK(printer.state() == PaperPrinter::State::Printed);
  CHECK(slow.confirmations() == 2);  // the two tickets, and no answers sheet between them
}

// The receipt's screen follows the receipt, not the queue ticket started after it: each job keeps
// its own state, from waiting to how it ended, whatever the printer did next.
TEST_CASE("paper printer: each job keeps its own state, whatever started after it") {
  test::FakePrinter slow({.bytes_per_second = 20000});
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:" + std::to_string(slow.port());
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  std::atomic<int> wakes{0};
  PaperPrinter printer(config, strings, root, [&] { ++wakes; });
  CHECK(printer.state_of(0) == PaperPrinter::State::Idle);

  unsigned bad = printer.start("ticket", json::object(), "vi");  // no number: refused by the layout
  unsigned first = printer.start("ticket", ticket("A001"), "vi");
  unsigned second = printer.start("ticket", ticket("A002"), "vi");
  CHECK(printer.state_of(second) == PaperPrinter::State::Printing);  // waiting counts as printing
  CHECK(printer.state_of(second + 1) == PaperPrinter::State::Idle);  // never started
  REQUIRE(wait_for([&] { return printer.state_of(first) != PaperPrinter::State::Printing; }, 30));
  CHECK(printer.state_of(bad) == PaperPrinter::State::Failed);
  CHECK(printer.state_of(first) == PaperPrinter::State::Printed);
  REQUIRE(wait_for([&] { return printer.state_of(second) != PaperPrinter::State::Printing; }, 30));
  CHECK(printer.state_of(first) == PaperPrinter::State::Printed);  // the later job's end leaves it alone
  CHECK(printer.state_of(second) == PaperPrinter::State::Printed);
  CHECK(printer.state_of(bad) == PaperPrinter::State::Failed);      // the printed ones after it too

  // An answers sheet the session's end dropped ended too: not printed.
  printer.start("ticket", ticket("A003"), "vi");
  unsigned dropped = printer.start("answers", json{{"answers", json::array()}}, "vi");
  printer.reset();
  CHECK(printer.state_of(dropped) == PaperPrinter::State::Failed);

  // Ends are kept for the last 16 jobs: older ones read Idle, never another job's state.
  unsigned last = 0;
  for (int i = 0; i < 17; ++i) last = printer.start("ticket", json::object(), "vi");
  REQUIRE(wait_for([&] { return printer.state_of(last) != PaperPrinter::State::Printing; }, 30));
  CHECK(printer.state_of(last) == PaperPrinter::State::Failed);
  CHECK(printer.state_of(first) == PaperPrinter::State::Idle);
  CHECK(printer.state_of(second) == PaperPrinter::State::Idle);
}

// The slip is printed from what the kiosk asks (receipt_request), through the real layout: its
// wording keys for each answer the portal can give must match what the screen says.
TEST_CASE("the receipt's slip says what the screen says: accepted, kept, refused, paused or demo, and a VietQR only on the way") {
  Catalog catalog = Catalog::load(root + "/assets/forms");
  const forms::FormPackage* form = catalog.form("ho-kinh-doanh");  // a procedure with a fee
  REQUIRE(form);
  KioskConfig config;
  config.endpoint = "https://portal.example";
  config.payment_bank_bin = "970436";
  config.payment_account = "0011001234567";
  Strings strings = Strings::load(root + "/locales", {"vi"});
  printer::TextRenderer renderer;
  const json layout = read_json_file(root + "/assets/print/receipt.json");
  struct Slip {
    std::set<std::string> keys;
    bool qr = false;
  };
  auto slip = [&](SubmitReceipt r) {
    r.appointment = "2026-12-03";
    json in = receipt_request(*form, r, "KIOSK-01-20261130-0001", "vi", config, catalog, "2026-11-30T09:00:00");
    json fields = printer::receipt_fields(in, "vi");
    Slip s;
    s.qr = fields.contains("feeQr");
    printer::lay_out(layout, fields, [&](const std::string& k) { s.keys.insert(k); return strings.get("vi", k); },
                     *printer::find_profile("80mm"), renderer);
    return s;
  };

  Slip accepted = slip({.from_portal = true});
  CHECK(accepted.keys.count("print.receipt.title"));
  CHECK(accepted.keys.count("print.receipt.received"));  // "Thời gian nhận hồ sơ": the portal has it
  CHECK_FALSE(accepted.keys.count("print.receipt.kept_at"));
  CHECK(accepted.keys.count("print.receipt.appointment"));
  CHECK_FALSE(accepted.keys.count("print.receipt.appointment_estimated"));
  CHECK(accepted.keys.count("print.receipt.fee_unpaid"));
  CHECK(accepted.qr);

  Slip pending = slip({});
  CHECK(pending.keys.count("print.receipt.title_kept"));
  CHECK(pending.keys.count("print.receipt.pending"));
  CHECK(pending.keys.count("print.receipt.kept_at"));  // nobody has received it yet
  CHECK_FALSE(pending.keys.count("print.receipt.received"));
  CHECK(pending.keys.count("print.receipt.appointment_estimated"));  // the kiosk's count, not the portal's
  CHECK(pending.keys.count("print.receipt.appointment_note"));
  CHECK_FALSE(pending.keys.count("print.receipt.appointment"));
  // Accepted without a date of the portal's own: the kiosk's count stays an estimate.
  Slip undated = slip({.from_portal = true, .estimated = true});
  CHECK(undated.keys.count("print.receipt.title"));
  CHECK(undated.keys.count("print.receipt.appointment_estimated"));
  CHECK_FALSE(undated.keys.count("print.receipt.appointment"));
  CHECK(pending.qr);  // on its way: the fee may be paid now

  for (bool refused : {true, false}) {
    CAPTURE(refused);
    SubmitReceipt r;
    (refused ? r.refused : r.paused) = true;
    Slip held = slip(r);
    CHECK_FALSE(held.keys.count("print.receipt.title"));
    CHECK(held.keys.count("print.receipt.title_kept"));
    CHECK(held.keys.count(refused ? "print.receipt.refused" : "print.receipt.paused"));
    CHECK_FALSE(held.keys.count("print.receipt.pending"));      // not "sent automatically later"
    CHECK_FALSE(held.keys.count("print.receipt.appointment"));  // nor a date
    CHECK_FALSE(held.keys.count("print.receipt.appointment_estimated"));
    CHECK_FALSE(held.qr);                                        // nor a payment for it now
    CHECK_FALSE(held.keys.count("print.receipt.fee_unpaid"));   // "quét mã VietQR dưới đây" with no code below
    CHECK(held.keys.count("print.receipt.fee_at_counter"));
    CHECK(held.keys.count("print.receipt.kept_at"));
    CHECK_FALSE(held.keys.count("print.receipt.received"));
  }

  // A demo kiosk's dossier goes nowhere: its fee is shown, and nobody is asked to pay it.
  config.endpoint = "demo";
  Slip demo = slip({});
  CHECK(demo.keys.count("print.receipt.title_demo"));
  CHECK(demo.keys.count("print.receipt.fee"));  // the amount, as the procedure's
  CHECK_FALSE(demo.qr);
  CHECK_FALSE(demo.keys.count("print.receipt.fee_unpaid"));
  CHECK_FALSE(demo.keys.count("print.receipt.fee_at_counter"));
  CHECK(demo.keys.count("print.receipt.fee_demo"));
  config.endpoint = "https://portal.example";

  config.payment_account.clear();  // no account configured: the fee is paid at the counter
  Slip no_account = slip({.from_portal = true});
  CHECK_FALSE(no_account.qr);
  CHECK_FALSE(no_account.keys.count("print.receipt.fee_unpaid"));
  CHECK(no_account.keys.count("print.receipt.fee_at_counter"));
}
