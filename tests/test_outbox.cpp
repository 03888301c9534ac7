// The outbox's parts without a network: envelopes, working days, the verdict on each answer,
// backoff, and the store's write order and crash recovery on real SQLite files.
#include <doctest/doctest.h>

#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/intake/credentials.h"
#include "tests/intake/intake_server.h"
#include "tests/support/files.h"
#include "terminal/services/outbox/control.h"
#include "terminal/services/outbox/envelope.h"
#include "terminal/services/outbox/owner.h"
#include "terminal/services/outbox/store.h"
#include "terminal/services/outbox/verdict.h"
#include "terminal/core/input.h"
#include "terminal/core/working_days.h"

using namespace motcua;
using namespace motcua::outbox;

namespace {

using test::slurp;

const std::string root = MOTCUA_SOURCE_ROOT;


// Generated once for the whole run: RSA-3072 takes a moment.
const intake::CredentialFiles& credentials() {
  static test::TempDir dir;
  static intake::CredentialFiles files = intake::make_demo_credentials(dir / "keys");
  return files;
}

HttpResponse answer(long status, std::string body = "{}", bool portal = true) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (portal) r.headers.emplace("motcua-protocol", "1");
  return r;
}

Item item(const std::string& uuid, const std::string& ref) {
  Item it;
  it.uuid = uuid;
  it.kind = "dossier";
  it.kiosk_reference = ref;
  it.procedure = "1.001193";
  it.created_at = 1000;
  return it;
}

}  // namespace

TEST_CASE("envelope: only the portal's private key opens it, and only under its own dossier UUID") {
  auto& c = credentials();
  std::string pub = slurp(c.envelope_public), priv = slurp(c.envelope_private);
  std::string secret = R"({"fullName":"Trần Thị Bình","idNumber":"001203004567"})";
  nlohmann::json env = seal(secret, pub, "uuid-1");
  std::string text = env.dump();
  CHECK(text.find("Bình") == std::string::npos);
  CHECK(text.find("001203004567") == std::string::npos);
  CHECK(env["kid"] == key_id(pub));
  CHECK(open(env, priv, "uuid-1") == secret);
  CHECK_THROWS_AS(open(env, priv, "uuid-2"), EnvelopeError);  // replayed under another key
  nlohmann::json tampered = env;
  std::string data = unbase64(env["data"].get<std::string>());
  data[3] ^= 1;
  tampered["data"] = base64(data);
  CHECK_THROWS_AS(open(tampered, priv, "uuid-1"), EnvelopeError);
  // Two seals of the same dossier share nothing: a fresh key and IV each time.
  nlohmann::json again = seal(secret, pub, "uuid-1");
  CHECK(again["key"] != env["key"]);
  CHECK(again["data"] != env["data"]);
  CHECK_THROWS_AS(seal(secret, "not a key", "uuid-1"), EnvelopeError);
}

TEST_CASE("base64 round-trips every length") {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    CHECK(unbase64(base64(bytes)) == bytes);
    bytes.push_back(static_cast<char>(n * 37));
  }
  CHECK_THROWS_AS(unbase64("abc"), EnvelopeError);
}

TEST_CASE("appointment dates skip weekends, Tết and the other public holidays, and work swapped Saturdays") {
  WorkingCalendar cal = WorkingCalendar::load(root + "/assets/holidays/vn.json");
  CHECK(cal.knows_year(2026));
  CHECK_FALSE(cal.knows_year(2031));
  CHECK(cal.add_working_days("2026-11-20", 1) == "2026-11-23");  // Friday -> Monday
  CHECK(cal.add_working_days("2026-02-13", 1) == "2026-02-23");  // Tết Bính Ngọ: 16-20 Feb off
  CHECK(cal.add_working_days("2026-04-29", 2) == "2026-05-05");  // 30/4 and 1/5, then the weekend
  CHECK(cal.add_working_days("2026-08-31", 1) == "2026-09-03");  // National Day, two days
  CHECK(cal.is_working_day("2025-04-26"));                         // a Saturday worked in exchange
  CHECK_FALSE(cal.is_working_day("2025-05-02"));
  CHECK(cal.add_working_days("2031-01-03", 1) == "2031-01-06");  // unknown year: weekends
  CHECK(cal.add_working_days("2030-12-31", 1) == "2031-01-02");  // and the Labour Code's fixed days
  CHECK(cal.add_working_days("2031-04-29", 2) == "2031-05-05");
  CHECK_FALSE(cal.is_working_day("2031-09-02"));
  CHECK(cal.is_working_day("2031-02-03"));  // Tết falls on no fixed solar date: only the file knows it
  CHECK(cal.add_working_days("2026-11-23", 0) == "2026-11-23");
  WorkingCalendar weekends_only;
  CHECK(weekends_only.add_working_days("2026-02-13", 1) == "2026-02-16");
  CHECK(weekends_only.add_working_days("2026-04-29", 1) == "2026-05-04");  // 30/4, 1/5, the weekend
}

TEST_CASE("a holidays file with a bad date is refused with the file and the entry named") {
  test::TempDir dir;
  std::ofstream(dir / "h.json") << R"({"years": {"2026": {"holidays": ["2026-02-30"]}}})";
  try {
    WorkingCalendar::load(dir / "h.json");
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("h.json: years.2026.holidays: \"2026-02-30\"") != std::string::npos);
  }
}

TEST_CASE("verdicts: what each answer means for a queued dossier") {
  using K = Verdict::Kind;
  const Expected mine{"dossier", "KIOSK-01-20261122-0007"};
  const std::string named = R"("kioskReference":"KIOSK-01-20261122-0007")";
  HttpResponse down;
  down.transport_error = "Couldn't connect to server";
  CHECK(judge(down, mine).kind == K::Retry);
  CHECK(judge(down, mine).network);

  Verdict ok = judge(answer(201, R"({"dossierCode":"000.00.00.H00-261122-0001","appointmentAt":"2026-11-27",)" + named + "}"), mine);
  CHECK(ok.kind == K::Sent);
  CHECK(ok.code == "000.00.00.H00-261122-0001");
  CHECK(ok.appointment == "2026-11-27");
  CHECK(judge(answer(202, R"({"dossierCode":"X",)" + named + "}"), mine).kind == K::Sent);

  HttpResponse replay = answer(200, R"({"dossierCode":"X",)" + named + "}");
  replay.headers["idempotent-replayed"] = "true";
  CHECK(judge(replay, mine).kind == K::Sent);
  CHECK(judge(answer(200, R"({"dossierCode":"X",)" + named + "}"), mine).kind == K::Retry);  // not a confirmed duplicate

  // Captive portals and proxies answer 200 (or 201!) without our header: never success.
  CHECK(judge(answer(200, "<html>login</html>", false), mine).kind == K::Retry);
  CHECK(judge(answer(201, R"({"dossierCode":"X",)" + named + "}", false), mine).kind == K::Retry);
  CHECK(judge(answer(201, "not json"), mine).kind == K::Retry);

  CHECK(judge(answer(401), mine).kind == K::Pause);
  CHECK(judge(answer(403), mine).kind == K::Pause);
  for (long s : {400L, 404L, 413L, 422L}) CHECK(judge(answer(s, R"({"error":"too-large"})"), mine).kind == K::Reject);
  CHECK(judge(answer(413, R"({"error":"too-large"})"), mine).error.find("413 too-large") != std::string::npos);
  for (long s : {408L, 409L, 429L, 500L, 502L, 503L}) CHECK(judge(answer(s), mine).kind == K::Retry);
  HttpResponse busy = answer(429);
  busy.headers["retry-after"] = "30";
  CHECK(judge(busy, mine).retry_after_s == 30);
  // The error text never carries the body (it could echo personal data).
  CHECK(judge(answer(400, R"({"error":"bad","message":"Trần Thị Bình"})"), mine).error.find("Bình") == std::string::npos);
}

TEST_CASE("verdicts: an answer counts only for the dossier it names, another's answer is a protocol error") {
  using K = Verdict::Kind;
  const Expected mine{"dossier", "KIOSK-01-20261122-0007"};
  // A doubled or reordered answer: well-formed, 201, but about the previous dossier.
  Verdict other = judge(answer(201, R"({"dossierCode":"C-1","kioskReference":"KIOSK-01-20261122-0006"})"), mine);
  CHECK(other.kind == K::Retry);
  CHECK(other.protocol);
  CHECK(other.code.empty());
  CHECK(other.error.find("kioskReference") != std::string::npos);
  CHECK(judge(answer(201, R"({"dossierCode":"C-1"})"), mine).protocol);  // names nobody
  // Evaluations are named by the dossier code they evaluate.
  Expected eval{"evaluation", "C-9"};
  CHECK(judge(answer(201, R"({"dossierCode":"C-9","receivedAt":"2026-11-22T09:00:00+07:00"})"), eval).kind == K::Sent);
  CHECK(judge(answer(201, R"({"dossierCode":"C-8"})"), eval).protocol);
}

TEST_CASE("verdicts: every malformed answer is a bounded retry naming the field, never an exception") {
  using K = Verdict::Kind;
  const Expected mine{"dossier", "K-1"};
  struct Case {
    long status;
    std::string body, field;
  };
  std::string deep(100000, '[');
  std::vector<Case> cases = {
      {201, R"({"dossierCode":5,"kioskReference":"K-1"})", "dossierCode"},
      {201, R"({"dossierCode":"C","kioskReference":"K-1","receivedAt":5})", "receivedAt"},
      {201, R"({"dossierCode":"C","kioskReference":"K-1","appointmentAt":["x"]})", "appointmentAt"},
      {201, R"({"dossierCode":"C","kioskReference":7})", "kioskReference"},
      {201, R"({"dossierCode":"C\u0000<script>","kioskReference":"K-1"})", "dossierCode"},
      {201, R"({"dossierCode":")" + std::string(5000, 'A') + R"(","kioskReference":"K-1"})", "dossierCode"},
      {201, "[1,2,3]", "object"},
      {201, deep + "1", "object"},
      {201, R"({"dossierCode":"C","kioskReference":"K-1","x":)" + deep + "]}", "object"},
      {201, "", "object"},
  };
  for (auto& c : cases) {
    CAPTURE(c.body.substr(0, 80));
    Verdict v;
    CHECK_NOTHROW(v = judge(answer(c.status, c.body), mine));
    CHECK(v.kind == K::Retry);
    CHECK(v.protocol);
    CHECK(v.error.find(c.field) != std::string::npos);
  }
  // A rejection whose error code has the wrong type is still a rejection, with no code.
  Verdict rejected = judge(answer(400, R"({"error":5})"), mine);
  CHECK(rejected.kind == K::Reject);
  CHECK(rejected.error == "HTTP 400: rejected, needs staff");
  // An oversized answer (cut off by the client) is a protocol error, not a network one.
  HttpResponse big;
  big.oversized = true;
  big.transport_error = "Failed writing received data";
  CHECK(judge(big, mine).protocol);
  CHECK_FALSE(judge(big, mine).network);
}

TEST_CASE("Retry-After: whole seconds only, clamped, and 1e20, 400 digits, dates and negatives are ignored") {
  CHECK(retry_after_seconds("30") == 30);
  CHECK(retry_after_seconds("0") == 0);
  CHECK(retry_after_seconds("999999999999") == 86400);
  CHECK_FALSE(retry_after_seconds("1e20"));
  CHECK_FALSE(retry_after_seconds(std::string(400, '9')));
  CHECK_FALSE(retry_after_seconds("-5"));
  CHECK_FALSE(retry_after_seconds("1.5"));
  CHECK_FALSE(retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT"));
  CHECK_FALSE(retry_after_seconds(""));
  HttpResponse r = answer(503);
  r.headers["retry-after"] = "1e20";
  Verdict v = judge(r, {"dossier", "K-1"});
  CHECK(v.retry_after_s == 0);
  CHECK(v.error.find("Retry-After") != std::string::npos);
  // The next attempt is clamped before it becomes an integer: no overflow, never below the floor.
  const std::int64_t now = 1'800'000'000;
  CHECK(next_attempt(now, 1e20, 10, 600) == now + 600);
  CHECK(next_attempt(now, std::numeric_limits<double>::infinity(), 10, 600) == now + 600);
  CHECK(next_attempt(now, std::nan(""), 10, 600) == now + 600);
  CHECK(next_attempt(now, -1e300, 10, 600) == now + 10);
  CHECK(next_attempt(now, 0.2, 10, 600) == now + 10);
  CHECK(next_attempt(now, 42.5, 10, 600) == now + 43);
}

TEST_CASE("portal answers are parsed with a depth limit inside the parser") {
  CHECK(parse_answer(R"({"a":{"b":[1,2]}})").is_object());
  CHECK(parse_answer(std::string(18, '[') + std::string(18, ']')).is_discarded());
  CHECK_FALSE(parse_answer(std::string(17, '[') + std::string(17, ']')).is_discarded());
  CHECK(parse_answer(std::string(1'000'000, '[')).is_discarded());
  CHECK(parse_answer("1e400").is_discarded());
}

TEST_CASE("backoff: full jitter within doubling bounds up to the cap, seeded, and it never gives up") {
  Backoff a(42, 2, 600), b(42, 2, 600), c(43, 2, 600);
  std::vector<double> da, db, dc;
  for (int attempt = 1; attempt <= 60; ++attempt) {
    da.push_back(a.delay_s(attempt));
    db.push_back(b.delay_s(attempt));
    dc.push_back(c.delay_s(attempt));
    CHECK(da.back() >= 0);
    CHECK(da.back() <= a.ceiling_s(attempt));
  }
  CHECK(da == db);  // same seed, same schedule
  CHECK(da != dc);
  CHECK(a.ceiling_s(1) == 2);
  CHECK(a.ceiling_s(4) == 16);
  CHECK(a.ceiling_s(9) == 512);
  CHECK(a.ceiling_s(10) == 600);
  CHECK(a.ceiling_s(100000) == 600);
  // Jitter spreads the retries: early attempts stay short, late ones use the whole window.
  double late_max = 0;
  for (int i = 0; i < 200; ++i) late_max = std::max(late_max, a.delay_s(50));
  CHECK(late_max > 500);
  CHECK(late_max <= 600);
}

TEST_CASE("store: a committed dossier is due oldest first, and references never repeat across restarts") {
  test::TempDir dir;
  std::string r1, r2, r3;
  {
    Store s(dir / "outbox");
    r1 = s.next_reference("KIOSK-07", "2026-11-22");
    r2 = s.next_reference("KIOSK-07", "2026-11-22");
    Item a = item("a", r1), b = item("b", r2);
    b.created_at = 999;  // older
    s.enqueue(a, "body-a");
    s.enqueue(b, "body-b");
    CHECK(s.next_due(2000)->uuid == "b");
    CHECK(s.body("a") == "body-a");
    CHECK(s.bodies_kept() == 2);
  }
  CHECK(r1 == "KIOSK-07-20261122-0001");
  CHECK(r2 == "KIOSK-07-20261122-0002");
  Store s(dir / "outbox");
  r3 = s.next_reference("KIOSK-07", "2026-11-22");
  CHECK(r3 == "KIOSK-07-20261122-0003");
  CHECK(s.next_reference("KIOSK-07", "2026-11-23") == "KIOSK-07-20261123-0001");
  CHECK(s.summary().waiting == 2);
  s.mark_retry("b", "HTTP 503", 5000);
  CHECK(s.next_due(2000)->uuid == "a");  // b waits out its backoff
  CHECK(*s.next_attempt_at() == 0);
  s.mark_sent("a", "CODE-A", "2026-11-22T09:00:00+07:00", "2026-11-27", 2000);
  CHECK(s.bodies_kept() == 1);  // the portal has a; the kiosk keeps no copy
  CHECK_THROWS_AS(s.body("a"), StoreError);
  CHECK(s.find("CODE-A")->kiosk_reference == r1);
  CHECK(s.find(r1)->portal_code == "CODE-A");
  CHECK(*s.next_attempt_at() == 5000);
  CHECK(s.retry_now() == 1);
  CHECK(s.next_due(2000)->uuid == "b");
}

TEST_CASE("store recovery: interrupted sends are due at once, uncommitted and half-written bodies are removed") {
  test::TempDir dir;
  {
    Store s(dir / "outbox");
    s.enqueue(item("sending", "K-1"), "x");
    s.enqueue(item("done", "K-2"), "y");
    s.mark_retry("sending", "network: timeout", 999999, 1000);  // backing off when the power went
    s.mark_sent("done", "C", "", "", 1);
  }
  // What a crash of an older kiosk (bodies as files) left: a body whose row never committed, a
  // half-written file, a sent body not yet deleted.
  std::filesystem::create_directories(dir / "outbox/bodies");
  std::ofstream(dir / "outbox/bodies/orphan.json") << "z";
  std::ofstream(dir / "outbox/bodies/half.json.tmp") << "z";
  std::ofstream(dir / "outbox/bodies/done.json") << "y";
  Store s(dir / "outbox");
  CHECK(s.recovery().pending == 1);
  CHECK(s.recovery().leftovers_removed == 3);
  CHECK(s.find("sending")->state == "waiting");
  CHECK(s.next_due(1)->uuid == "sending");
  CHECK(s.body("sending") == "x");
  CHECK_FALSE(std::filesystem::exists(dir / "outbox/bodies/orphan.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "outbox/bodies/half.json.tmp"));
  CHECK_FALSE(std::filesystem::exists(dir / "outbox/bodies/done.json"));
}

TEST_CASE("store: a pause holds until staff retry, and the summary names no citizen") {
  test::TempDir dir;
  Store s(dir / "outbox");
  s.enqueue(item("u1", "K-1"), "body");
  s.pause("HTTP 401: the portal refused this kiosk");
  Summary sum = s.summary();
  CHECK(sum.paused.find("401") != std::string::npos);
  CHECK(sum.waiting == 1);
  CHECK(sum.oldest_waiting_created_at == 1000);
  s.mark_rejected("u1", "HTTP 413 too-large: rejected, needs staff");
  CHECK(s.summary().rejected == 1);
  CHECK(s.retry_now("K-1") == 1);  // staff queue the rejected dossier again by its reference
  CHECK(s.summary().waiting == 1);
  CHECK(s.paused().empty());
}

TEST_CASE("the reference server's fault specs: every kind parses, a typo is named") {
  using F = intake::Fault;
  CHECK(F::parse("delay=250").millis == 250);
  CHECK(F::parse("status=503:2").status == 503);
  CHECK(F::parse("status=503:2").count == 2);
  CHECK(F::parse("trickle").millis == 200);
  CHECK(F::parse("captive").kind == F::Kind::CaptivePortal);
  CHECK(F::parse("drop:1").kind == F::Kind::DropAfterBody);
  try {
    F::parse("delay=fast");
    FAIL("accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "fault \"delay=fast\": \"fast\" is not a whole number");
  }
  CHECK_THROWS_AS(F::parse("explode"), std::invalid_argument);
}

TEST_CASE("one owner: a second writable store on the same folder is refused, naming the folder and the holder") {
  test::TempDir dir;
  Store owner(dir / "outbox");
  auto t0 = std::chrono::steady_clock::now();
  try {
    Store second(dir / "outbox");
    FAIL("a second owner was let in");
  } catch (const OwnerBusy& e) {
    std::string what = e.what();
    CHECK(what.find(dir / "outbox") != std::string::npos);
    CHECK(what.find("pid " + std::to_string(::getpid())) != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(1500));  // waited for a restart race first
}

TEST_CASE("one owner: the lock goes with the process, even killed with SIGKILL") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "outbox");
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t child = ::fork();
  if (child == 0) {
    FolderLock held(dir / "outbox", FolderLock::Mode::Exclusive);
    if (::write(ready[1], "x", 1) < 0) _exit(1);
    ::pause();
    _exit(0);
  }
  char c;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  CHECK_THROWS_AS(FolderLock(dir / "outbox", FolderLock::Mode::Exclusive, std::chrono::milliseconds(0)), OwnerBusy);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK_NOTHROW(Store(dir / "outbox"));
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST_CASE("a read-only store changes nothing: no recovery, no due times moved, every write refused") {
  test::TempDir dir;
  std::string body_path;
  {
    Store s(dir / "outbox");
    s.enqueue(item("u1", "K-1"), "body");
    s.mark_retry("u1", "HTTP 503", 999999, 1000);
  }
  // Files a reader must leave alone, whatever they are.
  std::filesystem::create_directories(dir / "outbox/bodies");
  std::ofstream(dir / "outbox/bodies/being-written.json.tmp") << "half";
  std::ofstream(dir / "outbox/bodies/being-renamed.json") << "whole";
  auto mtime = std::filesystem::last_write_time(dir / "outbox/outbox.sqlite");
  {
    Store reader(dir / "outbox", ReadOnly{});
    CHECK(reader.read_only());
    CHECK(reader.summary().waiting == 1);
    CHECK(reader.find("K-1")->next_attempt_at == 999999);  // status never makes everything due
    CHECK(reader.list().size() == 1);
    CHECK_THROWS_AS(reader.retry_now(), StoreError);
    CHECK_THROWS_AS(reader.enqueue(item("u2", "K-2"), "x"), StoreError);
    CHECK_THROWS_AS(reader.mark_sent("u1", "C", "", "", 1), StoreError);
  }
  CHECK(std::filesystem::exists(dir / "outbox/bodies/being-written.json.tmp"));
  CHECK(std::filesystem::exists(dir / "outbox/bodies/being-renamed.json"));
  CHECK(std::filesystem::last_write_time(dir / "outbox/outbox.sqlite") == mtime);
  CHECK_FALSE(std::filesystem::exists(dir / "outbox/outbox.sqlite-shm"));  // no owner ran: read as it lies
  CHECK_THROWS_AS(Store(dir / "nothing-here", ReadOnly{}), StoreError);
}

TEST_CASE("make_due: the portal is back, but no dossier goes sooner than its own minimum gap") {
  test::TempDir dir;
  Store s(dir / "outbox");
  s.enqueue(item("old", "K-1"), "a");
  s.enqueue(item("fresh", "K-2"), "b");
  s.mark_retry("old", "HTTP 503", 5000, 1000);    // tried at 1000, backing off to 5000
  s.mark_retry("fresh", "HTTP 503", 5000, 1095);  // tried at 1095
  s.make_due(10);
  CHECK(s.find("old")->next_attempt_at == 1010);
  CHECK(s.find("fresh")->next_attempt_at == 1105);
  CHECK(s.next_due(1100)->uuid == "old");
}

TEST_CASE("a failed enqueue leaves nothing behind (one transaction), and what was kept before is untouched") {
  test::TempDir dir;
  Store s(dir / "outbox");
  s.enqueue(item("kept", "K-1"), "body-1");
  CHECK_THROWS_AS(s.enqueue(item("dup", "K-1"), "body-2"), StoreError);  // the row cannot commit (same reference)
  CHECK(s.bodies_kept() == 1);
  CHECK_THROWS_AS(s.body("dup"), StoreError);
  // A body that cannot be made (the seal failed) keeps nothing either, not even the reference.
  CHECK_THROWS_AS(s.enqueue_new(item("x", ""), "K", "2026-11-22", [](const std::string&) -> std::string { throw StoreError("seal"); }),
                  StoreError);
  CHECK(s.enqueue_new(item("y", ""), "K", "2026-11-22", [](const std::string& ref) { return "body of " + ref; }) == "K-20261122-0001");
  CHECK(s.body("y") == "body of K-20261122-0001");
  CHECK(s.body("kept") == "body-1");
  CHECK(s.summary().waiting == 2);  // kept and y; never dup or x
}

namespace {

// Asks the control socket as another account (a forked child that drops to uid/gid), and
// returns the answer line, "" when none came.
std::string ask_as(const std::string& socket, uid_t uid, gid_t gid, const std::vector<gid_t>& groups) {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(p[0]);
    if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(3);
    std::string answer = control_request(socket, "retry").value_or("");
    if (::write(p[1], answer.data(), answer.size()) < 0) ::_exit(4);
    ::_exit(0);
  }
  ::close(p[1]);
  std::string out;
  char buf[256];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return out;
}

}  // namespace

TEST_CASE("control socket: root, the kiosk's account and the staff group only, checked on every connection") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root to connect as another account (setuid in a child)");
    return;
  }
  group* users = ::getgrnam("users");  // stands in for the staff group: present on every Debian system
  if (!users) {
    MESSAGE("skipped: no group \"users\" on this system");
    return;
  }
  gid_t staff = users->gr_gid;
  test::TempDir dir;
  std::string folder = dir / "outbox";
  std::filesystem::create_directories(folder);
  ::chmod(folder.c_str(), 0700);
  int asked = 0;
  std::string socket = folder + "/control.sock";
  ControlServer server(socket, [&](const std::string&) { ++asked; return std::string("ok 0"); }, "users");

  struct stat st {};
  REQUIRE(::stat(socket.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0660);
  CHECK(st.st_gid == staff);  // the socket belongs to the staff group
  REQUIRE(::stat(folder.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0710);  // members may reach it by name, not list the folder
  CHECK(st.st_gid == staff);

  // The file's mode is the first gate; loosen it by hand to reach the second: the peer check.
  ::chmod(folder.c_str(), 0711);
  ::chmod(socket.c_str(), 0666);
  ::chmod(dir.path.c_str(), 0711);
  CHECK(control_request(socket, "retry").value_or("") == "ok 0");  // root
  CHECK(asked == 1);
  const uid_t nobody = 65534;
  CHECK(ask_as(socket, nobody, 65534, {}).rfind("error not allowed", 0) == 0);  // another account
  CHECK(asked == 1);  // the handler never saw its request
  CHECK(ask_as(socket, nobody, staff, {}) == "ok 0");              // staff as the primary group
  CHECK(ask_as(socket, nobody, 65534, {staff}) == "ok 0");         // staff as a supplementary group
  CHECK(asked == 3);
}

TEST_CASE("control socket: with no staff group on the system, only root and the kiosk's account") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root to connect as another account (setuid in a child)");
    return;
  }
  test::TempDir dir;
  std::string socket = dir / "control.sock";
  int asked = 0;
  ControlServer server(socket, [&](const std::string&) { ++asked; return std::string("ok 0"); }, "no-such-group-motcua");
  ::chmod(socket.c_str(), 0666);
  ::chmod(dir.path.c_str(), 0711);
  CHECK(control_request(socket, "retry").value_or("") == "ok 0");
  group* users = ::getgrnam("users");
  CHECK(ask_as(socket, 65534, users ? users->gr_gid : 100, {}).rfind("error not allowed", 0) == 0);
  CHECK(asked == 1);
}

// One client at a time, each bounded: a client that trickles its line a byte at a time (slower
// than a person types, faster than the old per-byte timeout) is cut off after the line's 2 s, and
// the next one is served.
TEST_CASE("control socket: a client that trickles its request is cut off after 2 s, and the next is served") {
  test::TempDir dir;
  std::string socket = dir / "control.sock";
  int asked = 0;
  ControlServer server(socket, [&](const std::string&) { ++asked; return std::string("ok 0"); }, "");
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  auto t0 = std::chrono::steady_clock::now();
  double cut_off = -1;
  for (char c : std::string("statusstatusstatus")) {  // 18 bytes, one each 400 ms: 7 s in all
    if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 400) > 0) {  // the server answered or hung up
      char buf[64];
      if (::read(fd, buf, sizeof buf) <= 0) {
        cut_off = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        break;
      }
    }
  }
  ::close(fd);
  CHECK(cut_off > 1.5);
  CHECK(cut_off < 3.5);
  CHECK(asked == 0);
  CHECK(control_request(socket, "retry").value_or("") == "ok 0");
}
