// The filled declaration on A4 (`motcua form print`): written as PDF, read back with poppler's
// pdftotext (the Vietnamese must come back exactly, NFC), rasterised with pdftoppm and looked at
// (ink, margins, the QR read by zbar).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sys/wait.h>
#include <unistd.h>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "forms/text.h"
#include "forms/package.h"
#include "terminal/cli/cli_form.h"
#include "terminal/services/declaration_job.h"
#include "tests/support/barcode_reader.h"
#include "tests/support/files.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

struct Run {
  int status;
  std::string out, err;
};

Run form(std::vector<std::string> args) {
  std::ostringstream out, err;
  int status = form_command(args, root, out, err);
  return {status, out.str(), err.str()};
}

json birth_data() {
  return json::parse(R"({"declarant": {"fullName": "Nguyễn Thị Hương", "idNumber": "001190012345", "relationship": "Mẹ"},
    "child": {"fullName": "Trần Minh Khuê", "dateOfBirth": "2026-11-20", "placeOfBirth": "Bệnh viện Phụ sản Hà Nội",
              "sex": "Nữ", "ethnicity": "Kinh", "nationality": "Việt Nam", "hometown": "Xã Tân Phong, Tỉnh Lai Châu"},
    "mother": {"fullName": "Nguyễn Thị Hương", "birthYear": 1990, "ethnicity": "Kinh", "nationality": "Việt Nam",
               "placeOfResidence": "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"}})");
}

// Ten members and ten long activities: more than one page.
json business_data() {
  json d = json::parse(R"({"owner": {"fullName": "Lê Văn Đức", "idNumber": "001085009876", "dateOfBirth": "1985-04-17", "sex": "Nam",
      "ethnicity": "Kinh", "nationality": "Việt Nam", "placeOfResidence": "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
      "phone": "0912345678"},
    "business": {"name": "Quán phở Đức Hương", "capital": 150000000, "employees": 4,
      "premises": {"province": "Thành phố Hà Nội", "provinceCode": "01", "commune": "Phường Hoàn Kiếm", "communeCode": "00070",
                   "street": "Số 12 phố Hàng Bạc"}},
    "activities": [], "members": []})");
  for (int i = 1; i <= 10; ++i) {
    d["activities"].push_back({{"description", "Hoạt động số " + std::to_string(i) +
                                                   ": bán phở bò, phở gà, bún chả và đồ uống không cồn tại chỗ và mang đi"}});
    d["members"].push_back({{"fullName", "Thành viên Ngô Thị Ánh " + std::to_string(i)}, {"idNumber", "0011900100" + std::to_string(10 + i)}});
  }
  d["signature"] = std::string(200, 'A');
  return d;
}

std::string pdftotext(const std::string& pdf, int page = 0) {
  std::string range = page ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  auto [status, text] = test::run_capture("pdftotext -enc UTF-8" + range + " '" + pdf + "' -");
  const std::string& said = text;  // clang 14 (scripts/sanitize) cannot capture a structured binding
  REQUIRE_MESSAGE(status == 0, said);
  return text;
}

// pdftoppm's PNG of one page at `dpi`.
std::string pdftoppm(const std::string& pdf, int page, int dpi, const std::string& stem) {
  auto [status, text] = test::run_capture("pdftoppm -png -r " + std::to_string(dpi) + " -f " + std::to_string(page) + " -l " +
                                          std::to_string(page) + " -singlefile '" + pdf + "' '" + stem + "'");
  const std::string& said = text;  // clang 14 (scripts/sanitize) cannot capture a structured binding
  REQUIRE_MESSAGE(status == 0, said);
  return stem + ".png";
}

double ink_share(const printer::Bitmap& b, int x0, int y0, int x1, int y1) {
  size_t ink = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) ink += b.at(x, y);
  return double(ink) / double(std::max(1, (x1 - x0) * (y1 - y0)));
}

}  // namespace

TEST_CASE("form print: the birth declaration's Vietnamese comes back from the PDF exactly, with its QR") {
  test::TempDir dir;
  std::string data = dir.write("birth.json", birth_data().dump());
  Run r = form({"print", root + "/assets/forms/khai-sinh.json", "--data", data, "--out", dir / "tk.pdf", "--code",
                "HS-2026-000123", "--today", "2026-11-29"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(json::parse(r.out) == json{{"pages", 1}, {"files", {dir / "tk.pdf"}}});
  CHECK(test::slurp(dir / "tk.pdf").rfind("%PDF-", 0) == 0);

  std::string text = pdftotext(dir / "tk.pdf");
  CHECK(text == text::nfc(text));  // precomposed, as typed: no decomposed tones from the font's glyphs
  for (std::string expected : {"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "TỜ KHAI ĐĂNG KÝ KHAI SINH",
                               "Kính gửi: Ủy ban nhân dân xã, phường, đặc khu nơi đăng ký khai sinh",
                               "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hương", "Số định danh cá nhân: 001190012345",
                               "Quan hệ với người được khai sinh: Mẹ", "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
                               "Họ, chữ đệm, tên: Trần Minh Khuê", "Ngày, tháng, năm sinh: 20/11/2026",
                               "Nơi sinh: Bệnh viện Phụ sản Hà Nội", "ngày 29 tháng 11 năm 2026", "Người yêu cầu",
                               "(Ký, ghi rõ họ, chữ đệm, tên)", "Mã hồ sơ: HS-2026-000123"}) {
    REQUIRE(expected == text::nfc(expected));
    CHECK_MESSAGE(text.find(expected) != std::string::npos, expected, " not in:\n", text);
  }
  CHECK(text.find("Trang 1/") == std::string::npos);  // one page: no page numbers
  CHECK(text.find("Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hương") != std::string::npos);
  CHECK(text.find("người cha") == std::string::npos);  // "answeredOnly": no father declared, no dotted lines for one

  // The page as pdftoppm draws it: ink where text is, the QR in the top left corner reads back.
  std::string png = pdftoppm(dir / "tk.pdf", 1, 150, dir / "page");
  printer::Bitmap page = test::screen_as_paper(png);
  REQUIRE(std::abs(page.width - 1240) <= 1);  // A4 at 150 dpi
  REQUIRE(std::abs(page.height - 1754) <= 1);
  double mm = 150 / 25.4;
  double all = ink_share(page, 0, 0, page.width, page.height);
  CHECK(all > 0.01);
  CHECK(all < 0.2);
  CHECK(ink_share(page, int(10 * mm), int(8 * mm), int(30 * mm), int(28 * mm)) > 0.2);  // the QR's modules
  CHECK(ink_share(page, int(193 * mm), 0, page.width, page.height) == 0);             // the right margin is clear
  CHECK(test::symbols_of(page, "QR-Code") == std::vector<std::string>{"HS-2026-000123"});
  if (test::run_capture("command -v zbarimg").first == 0) {
    auto [status, decoded] = test::run_capture("(zbarimg --raw -q '" + png + "' 2>/dev/null)");  // its D-Bus complaints aside
    CHECK(status == 0);
    CHECK(decoded == "HS-2026-000123\n");
  } else {
    MESSAGE("zbarimg not installed (zbar-tools): the QR was read by libzbar only");
  }
  // The signature block stands in the right half, under the pledge.
  auto where = [&](const std::string& words) {
    auto [status, bbox] = test::run_capture("pdftotext -bbox -enc UTF-8 '" + dir / "tk.pdf" + "' - | grep -m1 '>" + words + "<'");
    double xmin = 0, ymin = 0;
    std::sscanf(bbox.c_str(), " <word xMin=\"%lf\" yMin=\"%lf\"", &xmin, &ymin);
    return std::pair(xmin, ymin);
  };
  auto [sign_x, sign_y] = where("(Ký,");
  auto [pledge_x, pledge_y] = where("cam");
  CHECK(sign_x > 595.0 / 2);
  CHECK(sign_y > pledge_y);
  CHECK(where("HẠNH").first == 0);  // not a word of the page: the lookup itself can fail
}

TEST_CASE("form print: --lang en, and a PNG preview per page") {
  test::TempDir dir;
  json decomposed = birth_data();  // tones as combining marks, as some systems write them: printed NFC
  decomposed["declarant"]["fullName"] = "Nguye\u0302\u0303n Thi\u0323 Hu\u031bo\u031bng";
  REQUIRE(decomposed["declarant"]["fullName"] != birth_data()["declarant"]["fullName"]);
  std::string data = dir.write("birth.json", decomposed.dump());
  Run r = form({"print", root + "/assets/forms/khai-sinh.json", "--data", data, "--out", dir / "tk.png", "--lang", "en",
                "--code", "HS-2026-000123", "--today", "2026-11-29"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(json::parse(r.out)["files"] == json{dir / "tk.png"});
  printer::Bitmap page = test::screen_as_paper(dir / "tk.png");
  CHECK(page.width == 1240);
  CHECK(ink_share(page, 0, 0, page.width, page.height) > 0.01);
  CHECK(test::symbols_of(page, "QR-Code") == std::vector<std::string>{"HS-2026-000123"});
  r = form({"print", root + "/assets/forms/khai-sinh.json", "--data", data, "--out", dir / "tk.pdf", "--lang", "en", "--today",
            "2026-11-29"});
  REQUIRE(r.status == 0);
  std::string text = pdftotext(dir / "tk.pdf");
  for (std::string expected : {"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIRTH REGISTRATION DECLARATION",
                               "Full name of the person making the request: Nguyễn Thị Hương", "Date of birth: 20/11/2026",
                               "Date: 29/11/2026", "(Signature and full name)"})
    CHECK_MESSAGE(text.find(expected) != std::string::npos, expected, " not in:\n", text);
  CHECK(text.find("Dossier code") == std::string::npos);  // no --code: no code, no QR
}

TEST_CASE("form print: without a print section every answered field is printed in step order") {
  test::TempDir dir;
  std::string data = dir.write("lltp.json", R"({"applicant": {"fullName": "Phạm Thị Thuỷ", "idNumber": "079190001234",
                                                              "sex": "Nữ", "dateOfBirth": "1990-05-20",
                                                              "placeOfBirth": "Xã Tân Phong, Tỉnh Lai Châu",
                                                              "nationality": "Việt Nam"},
                                                "residenceHistory": [{"from": "2004-05-20", "place": "Xã Tân Phong, Tỉnh Lai Châu"}],
                                                "certificateType": "1", "copies": 1,
                                                "purpose": "Bổ sung hồ sơ xin việc"})");
  Run r = form({"print", root + "/assets/forms/ly-lich-tu-phap.json", "--data", data, "--out", dir / "d.pdf"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::string text = pdftotext(dir / "d.pdf");
  for (std::string expected : {"Độc lập - Tự do - Hạnh phúc", "CẤP PHIẾU LÝ LỊCH TƯ PHÁP", "Phạm Thị Thuỷ", "079190001234",
                               "Bổ sung hồ sơ xin việc", "Tôi cam đoan những nội dung khai trên đây là đúng sự thật",
                               "(Ký, ghi rõ họ tên)"})
    CHECK_MESSAGE(text.find(expected) != std::string::npos, expected, " not in:\n", text);
  CHECK(text.find("Phạm Thị Thuỷ") < text.find("Bổ sung hồ sơ xin việc"));  // step order
  CHECK(text.find("Nơi cư trú") == std::string::npos);  // unanswered, so not printed
}

TEST_CASE("form print: many repeat items run onto a second page without cutting a line") {
  test::TempDir dir;
  std::string data = dir.write("hkd.json", business_data().dump());
  Run r = form({"print", root + "/assets/forms/ho-kinh-doanh.json", "--data", data, "--out", dir / "hkd.pdf", "--code",
                "HS-2026-000777"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  int pages = json::parse(r.out)["pages"];
  REQUIRE(pages >= 2);
  std::string all = pdftotext(dir / "hkd.pdf");
  for (int i = 1; i <= 10; ++i) {  // each member's line whole, on one page or the other
    std::string line = "Thành viên Ngô Thị Ánh " + std::to_string(i);
    int on = 0;
    for (int p = 1; p <= pages; ++p) on += pdftotext(dir / "hkd.pdf", p).find(line + "\n") != std::string::npos;
    CHECK_MESSAGE(on == 1, line);
  }
  std::string flowing = all;  // long answers wrap onto the next line
  std::replace(flowing.begin(), flowing.end(), '\n', ' ');
  CHECK(flowing.find("Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội") != std::string::npos);  // the address, street first
  CHECK(all.find("150.000.000") != std::string::npos);
  for (int p = 1; p <= pages; ++p) {
    std::string text = pdftotext(dir / "hkd.pdf", p);
    CHECK(text.find("Trang " + std::to_string(p) + "/" + std::to_string(pages)) != std::string::npos);
    printer::Bitmap page = test::screen_as_paper(pdftoppm(dir / "hkd.pdf", p, 100, dir / std::string("p").append(std::to_string(p))));
    double mm = 100 / 25.4;
    // Nothing between the bottom margin (277 mm) and the page number (285 mm): no line ran past it.
    CHECK(ink_share(page, 0, int(277.5 * mm), page.width, int(284.5 * mm)) == 0);
    CHECK(ink_share(page, 0, int(284.5 * mm), page.width, int(290 * mm)) > 0);  // the page number
    CHECK(test::symbols_of(page, "QR-Code") == std::vector<std::string>{"HS-2026-000777"});  // on every page
  }
  std::string last = pdftotext(dir / "hkd.pdf", pages);  // the signature block stays whole
  CHECK(last.find("Người yêu cầu") != std::string::npos);
  CHECK(last.find("Lê Văn Đức\n") != std::string::npos);
}

TEST_CASE("form print: bad input is refused with the file named, exit 2") {
  test::TempDir dir;
  std::string good = dir.write("birth.json", birth_data().dump());
  std::string pkg = root + "/assets/forms/khai-sinh.json";
  auto refused = [&](std::vector<std::string> args, const std::string& words) {
    Run r = form(args);
    CHECK_MESSAGE(r.status == 2, r.err);
    CHECK_MESSAGE(r.err.find(words) != std::string::npos, r.err);
    CHECK(r.out.empty());
  };
  refused({"print", dir / "none.json", "--data", good, "--out", dir / "x.pdf"}, dir / "none.json");
  refused({"print", pkg, "--data", dir / "missing.json", "--out", dir / "x.pdf"}, dir / "missing.json");
  refused({"print", pkg, "--data", dir.write("bad.json", "{\"declarant\": "), "--out", dir / "x.pdf"}, dir / "bad.json");
  json wrong = birth_data();
  wrong["declarant"]["idNumber"] = "12";
  refused({"print", pkg, "--data", dir.write("wrong.json", wrong.dump()), "--out", dir / "x.pdf"},
          dir / "wrong.json" + ": /declarant/idNumber: ");
  json other = {{"formId", "khai-tu"}, {"formVersion", "0.1.0"}, {"data", birth_data()}};
  refused({"print", pkg, "--data", dir.write("other.json", other.dump()), "--out", dir / "x.pdf"}, dir / "other.json");
  refused({"print", pkg, "--data", good, "--out", dir / "x.docx"}, "x.docx");
  refused({"print", pkg, "--data", good, "--out", dir / "no-such-folder/x.pdf"}, dir / "no-such-folder/x.pdf");
  refused({"print", pkg, "--data", good}, "--out");
  refused({"print", pkg, "--data", good, "--out", dir / "x.pdf", "--lang", "fr"}, "--lang");
  CHECK_FALSE(std::filesystem::exists(dir / "x.pdf"));
}

namespace {

// A private cupsd: its own folder, socket and configuration, and one raw queue "a4" whose backend
// writes each job to a file: a real CUPS round trip (lp, IPP, the spool, a backend), no paper.
struct PrivateCups {
  std::string dir, socket;
  pid_t pid = -1;

  static bool available() { return test::run_capture("command -v cupsd && command -v lpadmin && command -v lp").first == 0; }

  explicit PrivateCups(const std::string& folder) : dir(folder), socket(folder + "/cups.sock") {
    for (const char* d : {"spool", "tmp", "cache", "state", "ppd", "bin/backend", "out"}) std::filesystem::create_directories(dir + "/" + d);
    // The backend runs as the lp user: it must reach its folder (through the test's private one) and write the jobs.
    std::filesystem::permissions(std::filesystem::path(dir).parent_path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                          std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                          std::filesystem::perms::others_exec);
    std::filesystem::permissions(dir + "/out", std::filesystem::perms::all);
    std::filesystem::permissions(dir + "/tmp", std::filesystem::perms::all);
    std::filesystem::create_directory_symlink("/usr/lib/cups/daemon", dir + "/bin/daemon");
    std::ofstream(dir + "/bin/backend/capture") << "#!/bin/sh\n[ $# -eq 0 ] && { echo 'direct capture \"Unknown\" \"test\"'; exit 0; }\n"
                                                   "if [ -n \"$6\" ]; then cat \"$6\"; else cat; fi > \"${DEVICE_URI#capture:}/job-$1.pdf\"\n";
    std::filesystem::permissions(dir + "/bin/backend/capture", std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                                   std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                                                   std::filesystem::perms::others_exec);
    std::ofstream(dir + "/cupsd.conf") << "Listen " << socket << "\nLogLevel warn\nWebInterface No\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n";
    std::ofstream(dir + "/cups-files.conf") << "ServerRoot " << dir << "\nServerBin " << dir << "/bin\nRequestRoot " << dir << "/spool\nTempDir "
                                            << dir << "/tmp\nCacheDir " << dir << "/cache\nStateDir " << dir << "/state\nErrorLog " << dir
                                            << "/error_log\nAccessLog " << dir << "/access_log\nPageLog " << dir << "/page_log\nSandboxing Relaxed\n";
    pid = fork();
    if (pid == 0) {
      execlp("cupsd", "cupsd", "-f", "-c", (dir + "/cupsd.conf").c_str(), "-s", (dir + "/cups-files.conf").c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 100 && !std::filesystem::exists(socket); ++i) usleep(100000);
    auto [status, said] = test::run_capture("CUPS_SERVER=" + socket + " lpadmin -p a4 -E -v capture:" + dir + "/out -m raw");
    const std::string& answer = said;  // clang 14 (scripts/sanitize) cannot capture a structured binding
    REQUIRE_MESSAGE(status == 0, answer);
  }
  ~PrivateCups() { stop(); }
  void stop() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    pid = -1;
  }
  // The job's bytes as the backend received them, waiting up to 10 s for CUPS to get there.
  std::string job(const std::string& id) const {
    std::string file = dir + "/out/job-" + id.substr(id.rfind('-') + 1) + ".pdf";
    for (int i = 0; i < 100 && !std::filesystem::exists(file); ++i) usleep(100000);
    usleep(200000);  // the backend may still be writing
    return test::slurp(file);
  }
};

}  // namespace

TEST_CASE("form print --to: the PDF through a real cupsd to its queue, and what is said when it cannot go") {
  if (!PrivateCups::available()) {
    MESSAGE("skipped: cupsd, lpadmin or lp not installed (scripts/setup installs cups-daemon and cups-client)");
    return;
  }
  test::TempDir dir;
  std::string data = dir.write("birth.json", birth_data().dump());
  std::string pkg = root + "/assets/forms/khai-sinh.json";
  PrivateCups cups(dir / "cups");
  setenv("CUPS_SERVER", cups.socket.c_str(), 1);
  Run r = form({"print", pkg, "--data", data, "--out", dir / "tk.pdf", "--code", "HS-2026-000123", "--to", "cups:a4"});
  REQUIRE_MESSAGE(r.status == 0, r.err, r.out);
  json report = json::parse(r.out);
  CHECK(report["status"] == "sent");  // CUPS took it; nobody knows about the paper
  CHECK(report["target"] == "cups:a4");
  REQUIRE(report["request"].get<std::string>().rfind("a4-", 0) == 0);
  std::string pdf = test::slurp(dir / "tk.pdf");
  CHECK(cups.job(report["request"]) == pdf);  // the raw queue hands the backend the very bytes

  r = form({"print", pkg, "--data", data, "--out", dir / "tk2.pdf", "--to", "cups:no-such-queue"});
  CHECK(r.status == 1);
  CHECK(json::parse(r.out)["status"] == "failed");
  CHECK_MESSAGE(r.err.find("cups:no-such-queue: lp refused the job") != std::string::npos, r.err);
  CHECK(std::filesystem::exists(dir / "tk2.pdf"));  // the PDF is still there to print by hand

  cups.stop();  // CUPS gone: said so, quickly, never "sent"
  r = form({"print", pkg, "--data", data, "--out", dir / "tk3.pdf", "--to", "cups:a4"});
  CHECK(r.status == 1);
  CHECK(json::parse(r.out)["status"] == "failed");
  unsetenv("CUPS_SERVER");

  std::filesystem::create_directory(dir / "share");
  r = form({"print", pkg, "--data", data, "--out", dir / "tk4.pdf", "--to", "file:" + dir / "share"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(test::slurp(dir / "share/tk4.pdf") == test::slurp(dir / "tk4.pdf"));
  // Who may read the copy: the folder's group when the folder lets its group in, never everyone.
  namespace fs = std::filesystem;
  auto mode_of = [](const std::string& f) { return fs::status(f).permissions() & fs::perms::all; };
  fs::permissions(dir / "share", fs::perms::owner_all);  // 0700: a folder of the kiosk's own
  REQUIRE(form({"print", pkg, "--data", data, "--out", dir / "tk4.pdf", "--to", "file:" + dir / "share"}).status == 0);
  CHECK(mode_of(dir / "share/tk4.pdf") == (fs::perms::owner_read | fs::perms::owner_write));
  fs::permissions(dir / "share", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);  // 0750: a print group
  REQUIRE(form({"print", pkg, "--data", data, "--out", dir / "tk4.pdf", "--to", "file:" + dir / "share"}).status == 0);
  CHECK(mode_of(dir / "share/tk4.pdf") == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  fs::permissions(dir / "share", fs::perms::all);  // 0777: still never readable by everyone
  REQUIRE(form({"print", pkg, "--data", data, "--out", dir / "tk4.pdf", "--to", "file:" + dir / "share"}).status == 0);
  CHECK(mode_of(dir / "share/tk4.pdf") == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  r = form({"print", pkg, "--data", data, "--out", dir / "tk5.pdf", "--to", "file:" + dir / "nowhere"});
  CHECK(r.status == 1);
  CHECK(r.err.find(dir / "nowhere") != std::string::npos);
  CHECK(form({"print", pkg, "--data", data, "--out", dir / "tk.png", "--to", "cups:a4"}).status == 2);  // a preview is not sent
  CHECK(form({"print", pkg, "--data", data, "--out", dir / "tk.pdf", "--to", "tcp:1.2.3.4:9100"}).status == 2);
}

TEST_CASE("form print: every later page is headed by the declaration's title, (tiep theo) and its number, in vi and en") {
  test::TempDir dir;
  std::string data = dir.write("hkd.json", business_data().dump());
  forms::FormPackage package = forms::load_package(root + "/assets/forms/ho-kinh-doanh.json");
  for (const char* lang : {"vi", "en"}) {
    std::string pdf = dir / (std::string("hkd-") + lang + ".pdf");
    Run r = form({"print", root + "/assets/forms/ho-kinh-doanh.json", "--data", data, "--out", pdf, "--code",
                      "HS-2026-000778", "--lang", lang});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    int pages = json::parse(r.out)["pages"];
    REQUIRE(pages >= 2);
    forms::PrintLayout layout = forms::print_layout(package);
    std::string title = !layout.title.empty() ? layout.title[0].in(lang) : package.title.in(lang);
    REQUIRE_FALSE(title.empty());
    std::string first = pdftotext(pdf, 1);
    CHECK(first.find(std::string(lang) == "vi" ? "(tiếp theo)" : "(continued)") == std::string::npos);
    for (int p = 2; p <= pages; ++p) {
      std::string heading = std::string(lang) == "vi" ? title + " (tiếp theo), trang " + std::to_string(p)
                                                      : title + " (continued), page " + std::to_string(p);
      std::string text = pdftotext(pdf, p);
      std::replace(text.begin(), text.end(), '\n', ' ');  // a long title may wrap
      const std::string& where = heading;
      CHECK_MESSAGE(text.find(heading) != std::string::npos, where);
    }
  }
}

TEST_CASE("declaration job: a PDF a crash left mid-send in DATA_DIR/declarations is deleted when the kiosk starts") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "kiosk/declarations");
  std::string left = dir.write("kiosk/declarations/to-khai-HS-1.pdf", "%PDF-1.5 Nguyễn Thị Hương");
  Strings strings = Strings::load(root + "/locales", {"vi"});
  DeclarationJob job("file:" + (dir / "a4"), dir / "kiosk", strings, nullptr);
  CHECK_FALSE(std::filesystem::exists(left));
  CHECK(job.state() == DeclarationJob::State::Idle);
}

TEST_CASE("declaration job: sent to a folder, the filled PDF lands there and nothing stays in the private folder") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "a4");
  Strings strings = Strings::load(root + "/locales", {"vi"});
  forms::FormPackage form = forms::load_package(root + "/assets/forms/khai-sinh.json");
  DeclarationJob job("file:" + (dir / "a4"), dir / "kiosk", strings, nullptr);
  job.start(form, birth_data(), "HS-2026-000123", "vi", "2026-11-29");
  for (int i = 0; i < 400 && job.state() == DeclarationJob::State::Sending; ++i) usleep(25000);
  REQUIRE(job.state() == DeclarationJob::State::Sent);
  std::string text = pdftotext(dir / "a4/to-khai-HS-2026-000123.pdf");
  CHECK(text.find("Trần Minh Khuê") != std::string::npos);
  CHECK(text.find("HS-2026-000123") != std::string::npos);
  CHECK(std::filesystem::is_empty(job.folder()));
  CHECK((std::filesystem::status(job.folder()).permissions() & std::filesystem::perms::all) == std::filesystem::perms::owner_all);
  job.reset();
  CHECK(job.state() == DeclarationJob::State::Idle);
}

namespace {

// lp as CUPS's client runs it (the PDF is the last argument), held until the test releases it:
// it notes "start NAME MODE" in the log, waits for the file `go`, then notes "end NAME". Whether
// start() waits for it is then a matter of order, not of time. Released at the latest when it goes.
struct HeldLp {
  test::TempDir dir;
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  HeldLp() {
    std::filesystem::create_directories(dir / "bin");
    std::ofstream(dir / "bin/lp") << "#!/bin/sh\nfor a; do f=\"$a\"; done\nn=$(basename \"$f\")\n"
                                  << "echo \"start $n $(stat -c %a \"$f\")\" >> '" << (dir / "log") << "'\n"
                                  << "while [ ! -e '" << (dir / "go") << "' ]; do sleep 0.02; done\n"
                                  << "echo \"end $n\" >> '" << (dir / "log") << "'\n"
                                  << "echo 'request id is a4-1 (1 file(s))'\n";
    std::filesystem::permissions(dir / "bin/lp", std::filesystem::perms::owner_all);
    setenv("PATH", (dir / "bin:" + path).c_str(), 1);
  }
  ~HeldLp() {
    release();
    setenv("PATH", path.c_str(), 1);
  }
  void release() { std::ofstream(dir / "go") << ""; }
  std::string log() const { return test::slurp(dir / "log"); }
  // Waits (for an event, not a time: the deadline only ends a failing test) until the log holds `line`.
  bool reached(const std::string& line) const {
    for (int i = 0; i < 1500; ++i) {
      if (log().find(line + "\n") != std::string::npos) return true;
      usleep(20000);
    }
    return false;
  }
};

// Runs `call` on a thread of its own; true when it returned before `held` was released. A call
// still blocked after the watchdog's time fails the test instead of hanging it: `held` is
// released then, and the call joined.
bool returns_while_held(HeldLp& held, const std::function<void()>& call) {
  std::mutex m;
  std::condition_variable cv;
  bool returned = false;
  std::thread t([&] {
    call();
    std::lock_guard<std::mutex> l(m);
    returned = true;
    cv.notify_all();
  });
  bool in_time;
  {
    std::unique_lock<std::mutex> l(m);
    in_time = cv.wait_for(l, std::chrono::seconds(15), [&] { return returned; });
  }
  if (!in_time) held.release();
  t.join();
  return in_time;
}

bool wait_until_not_sending(const DeclarationJob& job) {
  for (int i = 0; i < 1500 && job.state() == DeclarationJob::State::Sending; ++i) usleep(20000);
  return job.state() != DeclarationJob::State::Sending;
}

}  // namespace

TEST_CASE("declaration job: the next citizen's In to khai returns at once while lp still holds the last one and both go in order") {
  test::TempDir dir;
  Strings strings = Strings::load(root + "/locales", {"vi"});
  forms::FormPackage form = forms::load_package(root + "/assets/forms/khai-sinh.json");
  DeclarationJob job("cups:a4", dir / "kiosk", strings, nullptr);
  HeldLp lp;  // released (and gone) before the job waits for its worker

  job.start(form, birth_data(), "HS-1", "vi", "2026-11-29");
  REQUIRE(lp.reached("start to-khai-HS-1.pdf 600"));  // in lp, owner-only
  job.reset();  // the first citizen's session ends
  CHECK(job.state() == DeclarationJob::State::Idle);

  // The next citizen presses "In tờ khai": the UI thread must not wait for the first lp.
  CHECK(returns_while_held(lp, [&] { job.start(form, birth_data(), "HS-2", "vi", "2026-11-29"); }));
  CHECK(lp.log() == "start to-khai-HS-1.pdf 600\n");  // still held: job 2 has not reached lp yet
  CHECK(job.state() == DeclarationJob::State::Sending);  // the screen shows the current session's job

  lp.release();
  REQUIRE(wait_until_not_sending(job));
  CHECK(job.state() == DeclarationJob::State::Sent);
  CHECK(job.problem().empty());
  REQUIRE(lp.reached("end to-khai-HS-2.pdf"));
  CHECK(lp.log() == "start to-khai-HS-1.pdf 600\nend to-khai-HS-1.pdf\nstart to-khai-HS-2.pdf 600\nend to-khai-HS-2.pdf\n");
  CHECK(std::filesystem::is_empty(job.folder()));  // both PDFs deleted once sent
}

TEST_CASE("declaration job: while lp holds one the queue keeps three more and a fifth is refused at once and nothing is left") {
  test::TempDir dir;
  Strings strings = Strings::load(root + "/locales", {"vi"});
  forms::FormPackage form = forms::load_package(root + "/assets/forms/khai-sinh.json");
  DeclarationJob job("cups:a4", dir / "kiosk", strings, nullptr);
  HeldLp lp;

  job.start(form, birth_data(), "HS-1", "vi", "2026-11-29");
  REQUIRE(lp.reached("start to-khai-HS-1.pdf 600"));
  for (const char* code : {"HS-2", "HS-3", "HS-4"}) {
    job.reset();
    CHECK(returns_while_held(lp, [&] { job.start(form, birth_data(), code, "vi", "2026-11-29"); }));
    CHECK(job.state() == DeclarationJob::State::Sending);
  }
  job.reset();
  CHECK(returns_while_held(lp, [&] { job.start(form, birth_data(), "HS-5", "vi", "2026-11-29"); }));
  CHECK(job.state() == DeclarationJob::State::Failed);  // said to this citizen now, not after minutes
  CHECK(job.problem().find("still busy") != std::string::npos);
  CHECK(lp.log() == "start to-khai-HS-1.pdf 600\n");

  job.reset();
  lp.release();
  REQUIRE(lp.reached("end to-khai-HS-4.pdf"));
  std::string expected;
  for (const char* code : {"HS-1", "HS-2", "HS-3", "HS-4"})
    expected += std::string("start to-khai-") + code + ".pdf 600\nend to-khai-" + code + ".pdf\n";
  CHECK(lp.log() == expected);
  for (int i = 0; i < 1500 && !std::filesystem::is_empty(job.folder()); ++i) usleep(20000);
  CHECK(std::filesystem::is_empty(job.folder()));
  CHECK(job.state() == DeclarationJob::State::Idle);  // ended sessions' outcomes show nowhere
}
