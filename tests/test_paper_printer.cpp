#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "terminal/services/paper_printer.h"
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
