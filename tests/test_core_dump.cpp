// The real kiosk program under Xvfb, looked at from outside: a core dump of the running process
// (gdb's gcore) after a citizen's visit, and the modes of what it leaves in its data folder.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/text.h"
#include "terminal/services/volunteers.h"
#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

// The kiosk program playing a scenario, its standard input and output on pipes: a `pause` step
// announces itself on stdout and waits for a line on stdin.
struct KioskProcess {
  pid_t pid = -1;
  int to_kiosk = -1, from_kiosk = -1;
  std::string stdout_text;

  KioskProcess(const std::string& config, const std::string& scenario, const std::string& shots, const std::string& log) {
    test::ensure_xvfb();
    int in[2], out[2];
    REQUIRE(pipe(in) == 0);
    REQUIRE(pipe(out) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(err, 2);
      close(in[1]);
      close(out[0]);
      execl(MOTCUA_BINARY, "motcua", "--config", config.c_str(), "--data-root", root.c_str(), "--script", scenario.c_str(),
            "--shots", shots.c_str(), "--windowed", "1080x1920", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_kiosk = in[1];
    from_kiosk = out[0];
  }
  ~KioskProcess() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (to_kiosk >= 0) close(to_kiosk);
    if (from_kiosk >= 0) close(from_kiosk);
  }

  // Waits for the pause step named `name`; false when the kiosk ended or the time ran out.
  bool wait_for_pause(const std::string& name, int seconds = 180) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::string want = json{{"paused", name}, {"pid", static_cast<long>(pid)}}.dump();
    while (std::chrono::steady_clock::now() < deadline) {
      if (stdout_text.find(want) != std::string::npos) return true;
      pollfd p{from_kiosk, POLLIN, 0};
      if (poll(&p, 1, 500) <= 0) continue;
      char buf[4096];
      ssize_t n = read(from_kiosk, buf, sizeof buf);
      if (n <= 0) return false;
      stdout_text.append(buf, static_cast<size_t>(n));
    }
    return false;
  }
  void resume() { REQUIRE(write(to_kiosk, "\n", 1) == 1); }
  int wait_exit() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

// The whole memory of a live process as gdb's gcore writes it, mapped for searching.
struct CoreDump {
  std::string path;
  const char* data = nullptr;
  size_t size = 0;

  CoreDump(pid_t pid, const std::string& prefix) {
    std::string cmd = "gcore -o " + prefix + " " + std::to_string(pid) + " >" + prefix + ".gcore.log 2>&1";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, test::slurp(prefix + ".gcore.log"));
    path = prefix + "." + std::to_string(pid);
    int fd = open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    struct stat st {};
    fstat(fd, &st);
    size = static_cast<size_t>(st.st_size);
    void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    REQUIRE(m != MAP_FAILED);
    data = static_cast<const char*>(m);
  }
  ~CoreDump() {
    if (data) munmap(const_cast<char*>(data), size);
    std::filesystem::remove(path);
  }
  bool holds(const std::string& needle) const { return memmem(data, size, needle.data(), needle.size()) != nullptr; }
};

std::string nfd(const std::string& s) {
  utf8proc_uint8_t* out = utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  std::string r(reinterpret_cast<char*>(out));
  std::free(out);
  return r;
}

std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> cps;
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    REQUIRE(n > 0);
    cps.push_back(static_cast<char32_t>(cp));
    p += n;
    left -= n;
  }
  return cps;
}

std::string utf16le(const std::string& s) {
  std::string out;
  for (char32_t c : code_points(s)) {  // Vietnamese is all in the BMP
    out.push_back(static_cast<char>(c & 0xFF));
    out.push_back(static_cast<char>(c >> 8));
  }
  return out;
}

std::string utf32le(const std::string& s) {
  std::string out;
  for (char32_t c : code_points(s))
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((c >> (8 * i)) & 0xFF));
  return out;
}

// Every form a citizen's text could sit in: as typed (NFC), decomposed, ImGui's UTF-16 and
// utf8proc's UTF-32 work buffers, and the diacritic-blind search form.
std::map<std::string, std::string> encodings(const std::string& text) {
  return {{"UTF-8", text},
          {"UTF-8 NFD", nfd(text)},
          {"UTF-16LE", utf16le(text)},
          {"UTF-32LE", utf32le(text)},
          {"UTF-16LE NFD", utf16le(nfd(text))},
          {"UTF-32LE NFD", utf32le(nfd(text))},
          {"search form", text::search_key(text)}};
}

// A reference portal on 127.0.0.1 and a kiosk configuration file that uses it.
struct Portal {
  std::string dir;
  intake::CredentialFiles keys = intake::make_demo_credentials(dir + "/keys");
  intake::IntakeConfig server_config = [this] {
    intake::IntakeConfig c = intake::demo_intake_config(keys, dir + "/intake.sqlite");
    c.holidays_file = root + "/assets/holidays/vn.json";
    return c;
  }();
  intake::IntakeServer server{server_config};
  int port = server.start();

  std::string write_kiosk_config(json extra = json::object()) const {
    json c = {{"printer", "file:" + dir + "/paper"},
              {"dataDir", dir + "/kiosk-data"},
              {"endpoint", server.url()},
              {"portalToken", server_config.kiosks.at("KIOSK-01")},
              {"portalCaFile", keys.ca_cert},
              {"envelopeKeyFile", keys.envelope_public}};
    c.update(extra);
    std::string path = dir + "/kiosk.json";
    std::ofstream(path) << c.dump(2);
    return path;
  }
};

json type_into(const std::string& field, const std::string& text) {
  return json::array({{{"tap", "field" + field}}, {{"type", text}}, {{"tap", "key.done"}}});
}

// The birth registration after the child's date of birth: on the same step the child's sex, ethnic
// group, place of birth and of origin, then the mother, no father, ending on the last step.
json birth_rest(const std::string& place, const std::string& mother) {
  json s = json::array({{{"tap", "option/child/sex.0"}}, {{"tap", "search/child/ethnicity"}},
                        {{"type", "kinh"}}, {{"tap", "option/child/ethnicity.0"}}, {{"scroll", -10}}});
  for (auto& x : type_into("/child/placeOfBirth", place)) s.push_back(x);
  for (auto& x : type_into("/child/hometown", "Xã Tân Phong, Tỉnh Lai Châu")) s.push_back(x);
  s.push_back({{"tap", "nav.next"}});
  for (auto& x : type_into("/mother/fullName", mother)) s.push_back(x);
  for (auto& x : type_into("/mother/birthYear", "1995")) s.push_back(x);
  for (json x : {json{{"tap", "search/mother/ethnicity"}}, json{{"type", "kinh"}}, json{{"tap", "option/mother/ethnicity.0"}},
                 json{{"scroll", -5}}})
    s.push_back(x);
  for (auto& x : type_into("/mother/placeOfResidence", "Số 12 phố Hàng Bạc, Hà Nội")) s.push_back(x);
  s.push_back({{"tap", "nav.next"}});
  s.push_back({{"tap", "nav.next"}});
  return s;
}

std::string write_scenario(const std::string& path, const json& steps) {
  std::ofstream(path) << json{{"steps", steps}}.dump(2);
  return path;
}

}  // namespace

TEST_CASE("after a dossier is submitted and the kiosk is back at attract, a core dump of it holds none of the citizen's text") {
  test::TempDir dir;
  Portal portal{dir.path};
  // Distinctive, and long enough that no unrelated bytes match by chance.
  const std::map<std::string, std::string> citizen = {
      {"/declarant/fullName", "Hoàng Thị Xuyến Khuê"},
      {"/declarant/idNumber", "079304017718"},
      {"/child/fullName", "Lưu Gia Bảo Ngọc Vy"},
      {"/child/placeOfBirth", "Bệnh viện Từ Dũ, phường Cầu Ông Lãnh"},
      {"/mother/fullName", "Đinh Thị Huyền Trang Mỹ"},
  };
  json steps = {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                {{"tap", "identify.manual"}}};
  auto add = [&](const json& more) {
    for (auto& s : more) steps.push_back(s);
  };
  add(type_into("/declarant/fullName", citizen.at("/declarant/fullName")));
  add(type_into("/declarant/idNumber", citizen.at("/declarant/idNumber")));
  add({{{"tap", "option/declarant/relationship.1"}}});  // Mẹ
  add({{{"tap", "nav.next"}}});
  add(type_into("/child/fullName", citizen.at("/child/fullName")));
  add({{{"tap", "date/child/dateOfBirth.year.minus"}}});
  add(birth_rest(citizen.at("/child/placeOfBirth"), citizen.at("/mother/fullName")));
  add({{{"tap", "nav.next"}}, {{"expect", {{"step", "review"}}}},
       {{"pause", "review"}},  // the citizen's data is on screen: the dump must find it
       {{"tap", "review.consent"}}, {{"tap", "review.confirm"}}, {{"expect", {{"step", "receipt"}}}},
       {{"tap", "receipt.next"}}, {{"tap", "evaluation.skip"}}, {{"tap", "thank_you.finish"}},
       {{"expect", {{"step", "attract"}, {"personalDataEmpty", true}}}}, {{"idle", 1}},
       {{"pause", "attract"}}});
  KioskProcess kiosk(portal.write_kiosk_config(), write_scenario(dir / "visit.json", steps), dir / "shots", dir / "kiosk.log");

  // Control: while the citizen is at the review, the method finds every string.
  REQUIRE_MESSAGE(kiosk.wait_for_pause("review"), test::slurp(dir / "kiosk.log"));
  {
    CoreDump during(kiosk.pid, dir / "during");
    for (auto& [field, text] : citizen) {
      CAPTURE(field);
      CHECK(during.holds(text));
    }
  }
  kiosk.resume();

  REQUIRE_MESSAGE(kiosk.wait_for_pause("attract"), test::slurp(dir / "kiosk.log"));
  {
    CoreDump after(kiosk.pid, dir / "after");
    MESSAGE("core dump after the visit: " << after.size / (1024 * 1024) << " MiB");
    for (auto& [field, text] : citizen)
      for (auto& [encoding, bytes] : encodings(text)) {
        CAPTURE(field);
        CAPTURE(encoding);
        CHECK_FALSE(after.holds(bytes));
      }
  }
  kiosk.resume();
  CHECK(kiosk.wait_exit() == 0);
  CHECK(portal.server.stats().dossiers == 1);  // the dossier really went, sealed
}

TEST_CASE("the kiosk's data folder is 0700 and every file in it 0600, including what an older install left readable") {
  test::TempDir dir;
  Portal portal{dir.path};
  // An older kiosk's folder: world-readable history and queue numbers.
  std::string data = dir / "kiosk-data";
  std::filesystem::create_directories(data);
  chmod(data.c_str(), 0755);
  std::ofstream(data + "/queue.json") << R"({"date": "2000-01-01", "counters": {}})";
  chmod((data + "/queue.json").c_str(), 0644);
  json extra = {{"staff", json::array({{{"id", "CB-01"}, {"pin", hash_pin("2468", kOldestPinIterations)}}})}};
  json steps = {{{"tap", "attract.staff"}}, {{"tap", "volunteer.digit.1"}}, {{"tap", "volunteer.ok"}},  // a wrong PIN: kept
                {{"tap", "nav.back"}},
                {{"tap", "attract.ticket"}}, {{"tap", "ticket.service.ho_tich"}}, {{"tap", "ticket_done.finish"}},
                {{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.khai-sinh"}}, {{"tap", "procedure.start"}},
                {{"tap", "identify.manual"}}};
  for (auto& s : type_into("/declarant/fullName", "Nguyễn Thị Lan")) steps.push_back(s);
  for (auto& s : type_into("/declarant/idNumber", "001190012345")) steps.push_back(s);
  steps.push_back({{"tap", "option/declarant/relationship.1"}});  // Mẹ
  steps.push_back({{"tap", "nav.next"}});
  for (auto& s : type_into("/child/fullName", "Trần Minh An")) steps.push_back(s);
  steps.push_back({{"tap", "date/child/dateOfBirth.year.minus"}});
  for (auto& s : birth_rest("Bệnh viện Phụ sản Hà Nội", "Nguyễn Thị Lan")) steps.push_back(s);
  for (json s : {json{{"tap", "nav.next"}}, json{{"tap", "review.consent"}},
                 json{{"tap", "review.confirm"}}, json{{"expect", {{"step", "receipt"}}}}, json{{"idle", 1}}})
    steps.push_back(s);
  KioskProcess kiosk(portal.write_kiosk_config(extra), write_scenario(dir / "visit.json", steps), dir / "shots", dir / "kiosk.log");
  std::string log = dir / "kiosk.log";
  int status = kiosk.wait_exit();
  std::string output = kiosk.stdout_text + test::slurp(log);
  REQUIRE_MESSAGE(status == 0, output);

  std::map<std::string, unsigned> modes;
  for (auto& e : std::filesystem::recursive_directory_iterator(data)) {
    struct stat st {};
    REQUIRE(lstat(e.path().c_str(), &st) == 0);
    if (!S_ISLNK(st.st_mode)) modes[std::filesystem::relative(e.path(), data).string()] = st.st_mode & 07777;
  }
  struct stat top {};
  REQUIRE(stat(data.c_str(), &top) == 0);
  CHECK((top.st_mode & 07777) == 0700);
  for (const char* expected : {"history.sqlite", "queue.json", "staff-sign-in.json", "outbox/outbox.sqlite"}) {
    CAPTURE(expected);
    CHECK(modes.count(expected) == 1);
  }
  for (auto& [path, mode] : modes) {
    CAPTURE(path);
    bool folder = std::filesystem::is_directory(data + "/" + path);
    CHECK(mode == (folder ? 0700u : 0600u));
  }
}
