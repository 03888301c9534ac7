// The fleet-health file: Prometheus text format, atomic replacement, start and crash counts.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "terminal/services/metrics.h"

using namespace motcua;

namespace {

std::string temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua-metrics-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("metrics: every figure has HELP and TYPE, one printer state is 1, label values are escaped") {
  KioskHealth h;
  h.kiosk_id = "HN \"A\"\\1";
  h.version = "0.1.0";
  h.outbox_waiting = 3;
  h.oldest_waiting_age_s = 4000;
  h.printer_state = "paper_near_end";
  h.card_reader_present = true;
  h.help_calls_today = 2;
  std::string t = prometheus_text(h);
  CHECK(t.find("motcua_outbox_waiting{kiosk=\"HN \\\"A\\\"\\\\1\"} 3\n") != std::string::npos);
  CHECK(t.find("motcua_outbox_oldest_waiting_seconds{kiosk=\"HN \\\"A\\\"\\\\1\"} 4000\n") != std::string::npos);
  CHECK(t.find("state=\"paper_near_end\"} 1\n") != std::string::npos);
  CHECK(t.find("state=\"ok\"} 0\n") != std::string::npos);
  CHECK(t.find("motcua_card_reader_present{kiosk=\"HN \\\"A\\\"\\\\1\"} 1\n") != std::string::npos);
  CHECK(t.find("version=\"0.1.0\"} 1\n") != std::string::npos);
  // Every sample's name was declared with HELP and TYPE first.
  std::istringstream in(t);
  std::set<std::string> typed;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) typed.insert(line.substr(7, line.find(' ', 7) - 7));
    else if (!line.empty() && line[0] != '#') CHECK_MESSAGE(typed.count(line.substr(0, line.find('{'))) == 1, line);
  }
  CHECK(typed.size() == 11);
  h.card_reader_present.reset();  // card reading off: no figure, so no "no reader" alert
  CHECK(prometheus_text(h).find("motcua_card_reader_present") == std::string::npos);
}

TEST_CASE("metrics: the file is replaced whole and readable by the collector, and a missing folder is a reason, not a crash") {
  std::string dir = temp_dir();
  std::string error;
  REQUIRE(write_textfile(dir, "a 1\n", error));
  REQUIRE(write_textfile(dir, "a 2\n", error));
  CHECK(slurp(dir + "/motcua.prom") == "a 2\n");
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}) == 1);
  struct stat st{};
  REQUIRE(stat((dir + "/motcua.prom").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  CHECK_FALSE(write_textfile(dir + "/missing", "a 1\n", error));
  CHECK(error.find(dir + "/missing") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("metrics: starts are counted, and a run without a clean exit counts as unclean at the next start") {
  std::string dir = temp_dir();
  CHECK(count_start(dir).starts == 1);
  clean_exit(dir);
  StartCount second = count_start(dir);  // ... and this run is killed
  CHECK(second.starts == 2);
  CHECK(second.unclean_exits == 0);
  StartCount third = count_start(dir);
  CHECK(third.starts == 3);
  CHECK(third.unclean_exits == 1);
  std::ofstream(dir + "/starts.json") << "{\"starts\": \"many\"";  // damaged: counting starts again
  CHECK(count_start(dir).starts == 1);
  std::filesystem::remove_all(dir);
}
