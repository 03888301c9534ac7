// Receipts, tickets and the fee QR: rendered, encoded as ESC/POS, decoded back and read by zbar.
#include <doctest/doctest.h>

#include <chrono>
#include <sys/resource.h>
#include <cstdlib>
#include <set>
#include <sstream>
#include <thread>
#include <filesystem>
#include <fstream>

#include "devices/printer/codes.h"
#include "devices/printer/documents.h"
#include "devices/printer/escpos.h"
#include "devices/printer/layout.h"
#include "devices/printer/transport.h"
#include "devices/printer/vietqr.h"
#include "terminal/cli/cli_print.h"
#include "terminal/core/input.h"
#include "terminal/core/locale.h"
#include "terminal/services/queue_numbers.h"
#include "tests/support/barcode_reader.h"
#include "tests/support/escpos_decoder.h"
#include "tests/support/fake_printer.h"

using namespace motcua;
using namespace motcua::printer;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

json read(const std::string& path) { return read_json_file(path); }

json sample_dossier() {
  return json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm", "kioskId": "HN-HK-02",
    "procedureName": "Đăng ký khai sinh", "dossierCode": "HK-20261121-0042",
    "receivedAt": "2026-11-21T09:30:00+07:00", "appointmentAt": "2026-11-24T14:00:00+07:00",
    "resultDelivery": "Nhận trực tiếp tại quầy số 3", "idNumber": "001190012345", "fee": 50000, "feePaid": false,
    "hotline": "1900 1234", "payment": {"bankBin": "970436", "account": "0011004123456", "purpose": "HK-20261121-0042"}})");
}

struct Printed {
  std::vector<std::string> notes;
  std::vector<Part> parts;
  std::vector<uint8_t> job;
  Bitmap picture;
};

Printed render(const std::string& kind, const json& fields, const std::string& lang, const std::string& profile_name) {
  static TextRenderer renderer;
  Strings strings = Strings::load(root + "/locales", {lang});
  const Profile& profile = *find_profile(profile_name);
  Printed p;
  p.parts = lay_out(read(root + "/assets/print/" + kind + ".json"), fields,
                    [&](const std::string& k) { return strings.get(lang, k); }, profile, renderer, &p.notes);
  p.job = escpos_job(p.parts, profile);
  p.picture = picture(p.parts, profile.width_dots);
  return p;
}

using test::symbols_of;

}  // namespace

TEST_CASE("VietQR: NAPAS test vectors, CRC and a round trip through the parser") {
  CHECK(crc16_ccitt_false("123456789") == 0x29B1);
  CHECK(crc16_ccitt_false("00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304") == 0xF4E5);
  CHECK(crc16_ccitt_false("00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304") == 0x4F52);
  // The to-account vector's nested beneficiary says 12 characters but carries 13 (a quirk of the
  // published example); its CRC is what this test takes from it. The to-card vector is exact.
  VietQr to_card{"970403", "9704031101234567", true, std::nullopt, ""};
  CHECK(build_vietqr(to_card) == "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52");
  VietQr fee{"970436", "0011004123456", false, 50000, "HK-20261121-0042"};
  std::string payload = build_vietqr(fee);
  VietQr back = parse_vietqr(payload);
  CHECK(back.bank_bin == "970436");
  CHECK(back.account == "0011004123456");
  CHECK(back.amount == 50000);
  CHECK(back.purpose == "HK-20261121-0042");
  CHECK(payload.substr(0, 12) == "000201010212");  // dynamic: it carries an amount
  std::string tampered = payload;
  tampered[payload.find("50000")] = '9';
  CHECK_THROWS_WITH_AS(parse_vietqr(tampered), doctest::Contains("CRC"), VietQrError);
  CHECK_THROWS_AS(build_vietqr({"97043", "1", false, std::nullopt, ""}), VietQrError);
  CHECK_THROWS_WITH_AS(build_vietqr({"970436", "1", false, 1000, "Lệ phí"}), doctest::Contains("ASCII"), VietQrError);
}

namespace {
json sample_ticket(const std::string& number) {
  return json{{"centerName", "Trung tâm Phục vụ hành chính công"}, {"service", "Hộ tịch"}, {"number", number},
              {"counterGroup", "3"}, {"waiting", 7}, {"issuedAt", "2026-11-21T08:05:00+07:00"}, {"priority", number[0] == 'U'}};
}

json sample_apology() {
  return json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
      "dossierCode": "HK-20261101-0007", "procedureName": "Cấp Phiếu lý lịch tư pháp",
      "receivedAt": "2026-11-01T10:00:00+07:00", "oldAppointmentAt": "2026-11-15T14:00:00+07:00",
      "newAppointmentAt": "2026-11-22T14:00:00+07:00", "reason": "Cần xác minh thêm thông tin tại cơ quan công an"})");
}

// The decoded paper is the preview, dot for dot, followed only by the white tail feed.
void check_paper_is_preview(const test::Decoded& d, const Bitmap& preview) {
  REQUIRE(d.paper.width == preview.width);
  REQUIRE(d.paper.height >= preview.height);
  int differ = 0;
  for (int y = 0; y < d.paper.height; ++y)
    for (int x = 0; x < d.paper.width; ++x)
      differ += d.paper.at(x, y) != preview.at(x, y);
  CHECK(differ == 0);
}

// White rows directly above the first black row found in columns [x0, x1) at or below y.
int white_rows_above(const Bitmap& b, int y_from) {
  int top = y_from;
  while (top < b.height) {
    bool black = false;
    for (int x = 0; x < b.width && !black; ++x) black = b.at(x, top);
    if (black) break;
    ++top;
  }
  return top - y_from;
}
}  // namespace

TEST_CASE("every profile: receipt, ticket and apology decode to their preview, end past the tear bar, and scan") {
  auto out = std::filesystem::temp_directory_path() / "motcua-paper-profiles";
  std::filesystem::create_directories(out);
  for (const Profile& profile : profiles()) {
    for (std::string lang : {"vi", "en"}) {
      for (auto& [named, fields] : {std::pair{std::string("receipt"), receipt_fields(sample_dossier(), lang)},
                                    std::pair{std::string("ticket"), ticket_fields(sample_ticket("UA012"), lang)},
                                    std::pair{std::string("apology"), apology_fields(sample_apology(), lang)}}) {
        const std::string& kind = named;  // clang 14 (scripts/sanitize) cannot capture a structured binding
        CAPTURE(profile.name);
        CAPTURE(kind);
        CAPTURE(lang);
        Printed p = render(kind, fields, lang, profile.name);
        test::Decoded d = test::decode_escpos(p.job, profile.width_dots);
        check_paper_is_preview(d, p.picture);
        CHECK(d.commands.front().name == "ESC @");
        CHECK(d.commands[1].name == "FS .");
        for (auto& c : d.commands) {
          if (c.name == "GS v 0") CHECK(c.args[2] <= 128);  // bands, never one huge image
          CHECK(c.name != "ESC d");                         // feeds are in dots, never in lines
        }
        // The last line clears the tear bar (a feed of tail_dots after it), or the cutter cuts below it.
        CHECK(d.feed_after_last_print >= profile.tail_dots);
        if (profile.cutter) CHECK(d.commands.back().name == "GS V");
        else CHECK(d.commands.back().name == "ESC J");
        CHECK(write_png(d.paper, (out / (kind + "-" + lang + "-" + profile.name + ".png")).string()));
        if (kind != "receipt") continue;
        // Every code on the receipt reads back at its printed size.
        auto qrs = symbols_of(d.paper, "QR-Code");
        REQUIRE(qrs.size() == 2);
        CHECK(std::find(qrs.begin(), qrs.end(), "HK-20261121-0042") != qrs.end());
        auto pay = std::find_if(qrs.begin(), qrs.end(), [](auto& s) { return s.rfind("000201", 0) == 0; });
        REQUIRE(pay != qrs.end());
        CHECK(parse_vietqr(*pay).amount == 50000);
        // The barcode when it fits at a readable width (80 mm); else left out with a note (58 mm).
        if (p.notes.empty()) CHECK(symbols_of(d.paper, "CODE-128") == std::vector<std::string>{"HK-20261121-0042"});
        else CHECK(symbols_of(d.paper, "CODE-128").empty());
        CHECK(p.notes.empty() == (profile.width_dots >= 512));
        if (profile.native_qr) CHECK(d.qr_printed.size() == 2);
      }
    }
  }
}

TEST_CASE("native QR codes get their four-module quiet zone on paper, as in the preview") {
  json layout = json::parse(R"({"blocks": [{"rule": 3}, {"qr": "{dossierCode}", "module": 6}, {"rule": 3}]})");
  json fields = {{"dossierCode", "HK-20261121-0042"}};
  TextRenderer r;
  for (const char* name : {"80mm", "80mm-512", "80mm-raster"}) {
    CAPTURE(name);
    const Profile& profile = *find_profile(name);
    auto parts = lay_out(layout, fields, [](const std::string&) { return ""; }, profile, r);
    test::Decoded d = test::decode_escpos(escpos_job(parts, profile), profile.width_dots);
    check_paper_is_preview(d, picture(parts, profile.width_dots));
    // Under the first rule (12 rows), the QR's first black row comes 4 modules (24 dots) later at least.
    CHECK(white_rows_above(d.paper, 12) >= 4 * 6);
    CHECK(symbols_of(d.paper, "QR-Code") == std::vector<std::string>{"HK-20261121-0042"});
  }
}

TEST_CASE("ticket numbers and codes never break: they shrink to one line on every paper") {
  TextRenderer r;
  json layout = read(root + "/assets/print/ticket.json");
  for (const Profile& profile : profiles()) {
    for (std::string number : {"UC002", "UABC012", "A001"}) {
      CAPTURE(profile.name);
      CAPTURE(number);
      json one = {{"blocks", json::array({json{{"text", "{number}"}, {"size", 150}, {"bold", true}, {"align", "center"}, {"fit", "shrink"}}})}};
      auto parts = lay_out(one, {{"number", number}}, [](const std::string&) { return ""; }, profile, r);
      int px = r.fit_size(number, 150, Weight::Bold, profile.width_dots - 16, 8);
      REQUIRE(px > 40);  // still big enough to read from across the hall
      CHECK(std::get<Bitmap>(parts[0]).height == r.line_height(px, Weight::Bold));  // one line
      CHECK(r.wrap(number, px, Weight::Bold, profile.width_dots - 16).size() == 1);
    }
  }
  // The shipped layouts ask for it.
  bool number_shrinks = false;
  for (auto& b : layout["blocks"]) number_shrinks |= b.value("text", "") == "{number}" && b.value("fit", "") == "shrink";
  CHECK(number_shrinks);
  // A 40-character code on 58 mm: whole on one line, never clipped, the QR still carries it.
  json dossier = sample_dossier();
  dossier["dossierCode"] = "000.00.19.H12-261203-0001-ABCDEFGHIJKLMN";
  REQUIRE(dossier["dossierCode"].get<std::string>().size() == 40);
  dossier["statusUrl"] = dossier["dossierCode"];
  std::vector<std::string> notes;
  Strings strings = Strings::load(root + "/locales", {"vi"});
  auto parts = lay_out(read(root + "/assets/print/receipt.json"), receipt_fields(dossier, "vi"),
                       [&](const std::string& k) { return strings.get("vi", k); }, *find_profile("58mm"), r, &notes);
  Bitmap paper = picture(parts, 384);
  CHECK(paper.width == 384);
  auto qrs = symbols_of(paper, "QR-Code");
  CHECK(std::find(qrs.begin(), qrs.end(), dossier["dossierCode"].get<std::string>()) != qrs.end());
  REQUIRE(notes.size() == 1);  // the barcode would need 1-dot bars: left out, and said so
  CHECK(notes[0].find("Code128") != std::string::npos);
  CHECK(symbols_of(paper, "CODE-128").empty());
}

TEST_CASE("a receipt the portal has not taken never says tiep nhan, and a refused one promises neither sending nor a date") {
  TextRenderer r;
  Strings strings = Strings::load(root + "/locales", {"vi"});
  // The wording keys a receipt prints: blocks left out by when/unless ask for none.
  auto printed_keys = [&](const json& dossier) {
    std::set<std::string> keys;
    lay_out(read(root + "/assets/print/receipt.json"), receipt_fields(dossier, "vi"),
            [&](const std::string& k) { keys.insert(k); return strings.get("vi", k); }, *find_profile("80mm"), r);
    return keys;
  };
  std::set<std::string> accepted = printed_keys(sample_dossier());
  CHECK(accepted.count("print.receipt.title"));
  CHECK(accepted.count("print.receipt.appointment"));
  CHECK_FALSE(accepted.count("print.receipt.appointment_estimated"));
  CHECK_FALSE(accepted.count("print.receipt.title_kept"));

  // Accepted, but the portal gave no date: the kiosk's own count is printed as an estimate.
  json undated = sample_dossier();
  undated["appointmentEstimated"] = true;
  std::set<std::string> estimate = printed_keys(undated);
  CHECK(estimate.count("print.receipt.title"));
  CHECK(estimate.count("print.receipt.appointment_estimated"));
  CHECK(estimate.count("print.receipt.appointment_note"));  // why, and to look it up before coming
  CHECK_FALSE(estimate.count("print.receipt.appointment"));
  undated["appointmentEstimated"] = "yes";
  CHECK_THROWS_WITH_AS(receipt_fields(undated, "vi"), doctest::Contains("\"appointmentEstimated\""), DocumentError);

  json pending = sample_dossier();
  pending["portalPending"] = true;
  std::set<std::string> kept = printed_keys(pending);
  CHECK_FALSE(kept.count("print.receipt.title"));
  CHECK(kept.count("print.receipt.title_kept"));
  CHECK(kept.count("print.receipt.pending"));  // "sẽ tự động gửi lên hệ thống sau": true while it waits
  // Nobody has received it: the date is the kiosk's count, never printed as the portal's.
  CHECK(kept.count("print.receipt.appointment_estimated"));
  CHECK(kept.count("print.receipt.appointment_note"));
  CHECK_FALSE(kept.count("print.receipt.appointment"));

  json refused = sample_dossier();
  refused["portalRefused"] = true;
  refused["portalPending"] = true;  // both set: the refusal wins
  std::set<std::string> no = printed_keys(refused);
  CHECK_FALSE(no.count("print.receipt.title"));
  CHECK(no.count("print.receipt.title_kept"));
  CHECK(no.count("print.receipt.refused"));
  CHECK_FALSE(no.count("print.receipt.pending"));      // it will not be sent on its own
  CHECK_FALSE(no.count("print.receipt.appointment"));  // no result to collect
  CHECK_FALSE(no.count("print.receipt.appointment_estimated"));
  refused["portalRefused"] = "yes";
  CHECK_THROWS_WITH_AS(receipt_fields(refused, "vi"), doctest::Contains("\"portalRefused\""), DocumentError);

  // The kiosk's queue is paused (the portal refused the kiosk): it goes only after staff act.
  json paused = sample_dossier();
  paused["portalPaused"] = true;
  std::set<std::string> held = printed_keys(paused);
  CHECK_FALSE(held.count("print.receipt.title"));
  CHECK(held.count("print.receipt.title_kept"));
  CHECK(held.count("print.receipt.paused"));
  CHECK_FALSE(held.count("print.receipt.pending"));      // not "automatically"
  CHECK_FALSE(held.count("print.receipt.appointment"));  // nor a date nobody keeps
  CHECK_FALSE(held.count("print.receipt.appointment_estimated"));
  paused["portalRefused"] = true;  // both: the refusal wins
  std::set<std::string> both = printed_keys(paused);
  CHECK(both.count("print.receipt.refused"));
  CHECK_FALSE(both.count("print.receipt.paused"));
  paused["portalPaused"] = 1;
  CHECK_THROWS_WITH_AS(receipt_fields(paused, "vi"), doctest::Contains("\"portalPaused\""), DocumentError);
}

TEST_CASE("a queue ticket says how many people wait only when someone counted them") {
  TextRenderer r;
  Strings strings = Strings::load(root + "/locales", {"vi"});
  auto printed_keys = [&](const json& ticket) {
    std::set<std::string> keys;
    lay_out(read(root + "/assets/print/ticket.json"), ticket_fields(ticket, "vi"),
            [&](const std::string& k) { keys.insert(k); return strings.get("vi", k); }, *find_profile("80mm"), r);
    return keys;
  };
  json ticket = json::parse(R"({"centerName": "Trung tâm", "service": "Hộ tịch", "number": "A012",
      "counterGroup": "3", "issuedAt": "2026-11-21T08:05:00+07:00"})");
  CHECK(printed_keys(ticket).count("print.ticket.counter"));
  CHECK_FALSE(printed_keys(ticket).count("print.ticket.waiting"));  // the kiosk's own tickets: no count, no "0"
  ticket["waiting"] = 0;  // a queue system that says nobody waits
  CHECK(printed_keys(ticket).count("print.ticket.waiting"));
  ticket["waiting"] = 7;
  CHECK(printed_keys(ticket).count("print.ticket.waiting"));
}

TEST_CASE("Code128 prints at a width scanners read, or not at all") {
  TextRenderer r;
  json layout = json::parse(R"({"blocks": [{"code128": "{c}", "module": 2, "height": 64}]})");
  for (const Profile& profile : profiles()) {
    for (std::string code : {"HK-20261121-0042", "000.00.19.H12-261203-0001", "G01.99.01-261121-0001"}) {
      CAPTURE(profile.name);
      CAPTURE(code);
      std::vector<std::string> notes;
      auto parts = lay_out(layout, {{"c", code}}, [](const std::string&) { return ""; }, profile, r, &notes);
      Bitmap paper = picture(parts, profile.width_dots);
      if (notes.empty()) {
        CHECK(symbols_of(paper, "CODE-128") == std::vector<std::string>{code});
        // Narrowest bar: 2 dots or more.
        int narrowest = 1 << 20;
        for (int x = 0, run = 0; x <= paper.width; ++x) {
          if (x < paper.width && paper.at(x, 0)) ++run;
          else if (run) { narrowest = std::min(narrowest, run); run = 0; }
        }
        CHECK(narrowest >= kMinCode128Module);
      } else {
        CHECK(paper.black_dots() == 0);
        CHECK(notes[0].find(code) != std::string::npos);
      }
    }
  }
}

TEST_CASE("a layout that cannot fit is an error naming the block, never clipped paper") {
  TextRenderer r;
  json layout = json::parse(R"({"blocks": [{"space": 4}, {"qr": "{u}", "module": 6}]})");
  std::string url(1500, 'A');
  CHECK_THROWS_WITH_AS(lay_out(layout, {{"u", url}}, [](const std::string&) { return ""; }, *find_profile("58mm"), r),
                       doctest::Contains("block 1"), LayoutError);
  json tall = json::parse(R"({"blocks": [{"space": 1000}]})");
  for (int i = 0; i < 20; ++i) tall["blocks"].push_back(json{{"space", 1000}});
  CHECK_THROWS_WITH_AS(lay_out(tall, json::object(), [](const std::string&) { return ""; }, *find_profile("80mm"), r),
                       doctest::Contains("long"), LayoutError);
  // A long QR shrinks its modules before it would clip.
  auto parts = lay_out(layout, {{"u", std::string(120, 'B')}}, [](const std::string&) { return ""; }, *find_profile("58mm"), r);
  Bitmap paper = picture(parts, 384);
  CHECK(symbols_of(paper, "QR-Code") == std::vector<std::string>{std::string(120, 'B')});
}

TEST_CASE("a profile with native QR sends GS ( k instead of raster, with the right length field") {
  json fields = receipt_fields(sample_dossier(), "en");
  Printed p = render("receipt", fields, "en", "80mm");
  test::Decoded d = test::decode_escpos(p.job, 576);
  REQUIRE(d.qr_printed.size() == 2);
  CHECK(d.qr_printed[1] == "HK-20261121-0042");
  CHECK(parse_vietqr(d.qr_printed[0]).account == "0011004123456");
}

TEST_CASE("the decoder refuses unknown or truncated commands") {
  CHECK_THROWS_WITH_AS(test::decode_escpos({0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x05, 0x00, 0xFF}, 576),
                       doctest::Contains("cut short"), test::DecodeError);
  CHECK_THROWS_AS(test::decode_escpos({0x1B, 0x99}, 576), test::DecodeError);
  CHECK_THROWS_WITH_AS(test::decode_escpos({'H', 'i'}, 576), doctest::Contains("text is never sent raw"), test::DecodeError);
}

TEST_CASE("receipt, ticket and apology in vi and en: fields checked, every document fits its paper") {
  std::string out = (std::filesystem::temp_directory_path() / "motcua-paper").string();
  std::filesystem::create_directories(out);
  json ticket = json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công", "service": "Hộ tịch",
      "number": "A012", "counterGroup": "3", "waiting": 7, "issuedAt": "2026-11-21T08:05:00+07:00", "priority": false})");
  json apology = json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
      "dossierCode": "HK-20261101-0007", "procedureName": "Cấp Phiếu lý lịch tư pháp",
      "receivedAt": "2026-11-01T10:00:00+07:00", "oldAppointmentAt": "2026-11-15T14:00:00+07:00",
      "newAppointmentAt": "2026-11-22T14:00:00+07:00", "reason": "Cần xác minh thêm thông tin tại cơ quan công an"})");
  for (std::string lang : {"vi", "en"}) {
    for (auto& [kind, fields] : {std::pair{std::string("receipt"), receipt_fields(sample_dossier(), lang)},
                                 std::pair{std::string("ticket"), ticket_fields(ticket, lang)},
                                 std::pair{std::string("apology"), apology_fields(apology, lang)}}) {
      Printed p = render(kind, fields, lang, "80mm-raster");
      CHECK(p.picture.width == 576);
      CHECK(p.picture.height > 200);
      CHECK(p.picture.black_dots() > 5000);
      CHECK(write_png(p.picture, out + "/" + kind + "-" + lang + ".png"));
    }
  }
  CHECK_THROWS_WITH_AS(receipt_fields(json::object(), "vi"), doctest::Contains("\"centerName\""), DocumentError);
  json bad = sample_dossier();
  bad["appointmentAt"] = "next Tuesday";
  CHECK_THROWS_WITH_AS(receipt_fields(bad, "vi"), doctest::Contains("\"appointmentAt\""), DocumentError);
  bad = sample_dossier();
  bad["payment"]["bankBin"] = "12";
  CHECK_THROWS_WITH_AS(receipt_fields(bad, "vi"), doctest::Contains("\"payment\""), DocumentError);
  CHECK(mask_id("001190012345") == "001******345");
  CHECK(format_money(1250000, "vi") == "1.250.000 đồng");
  CHECK(format_money(1250000, "en") == "VND 1,250,000");
  CHECK(format_time("2026-11-24T14:00:00+07:00") == "14:00 24/11/2026");
}

TEST_CASE("the answers sheet: one line per answer, repeat items indented, every line on the paper, bad lines named") {
  json sheet = json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
      "procedureName": "Đăng ký khai sinh", "printedAt": "2026-11-21T09:30:00+07:00", "answers": [
      {"label": "Thông tin người được khai sinh", "depth": 0},
      {"label": "Họ, chữ đệm, tên", "value": "Nguyễn Thị Hương", "depth": 0},
      {"label": "Ngày sinh", "value": "01/02/2026", "depth": 0},
      {"label": "Anh chị em", "depth": 0},
      {"label": "Mục 1", "depth": 1},
      {"label": "Họ, chữ đệm, tên", "value": "Nguyễn Văn An", "depth": 1}]})");
  Printed p = render("answers", answers_fields(sheet, "vi"), "vi", "80mm-raster");
  std::filesystem::create_directories(std::filesystem::temp_directory_path() / "motcua-paper");
  CHECK(write_png(p.picture, (std::filesystem::temp_directory_path() / "motcua-paper" / "answers-vi.png").string()));
  test::Decoded d = test::decode_escpos(p.job, 576);
  check_paper_is_preview(d, p.picture);
  // Each further answer lengthens the paper: nothing is dropped or drawn over another line.
  json longer = sheet;
  for (int i = 0; i < 5; ++i) longer["answers"].push_back({{"label", "Ghi chú"}, {"value", "Dòng " + std::to_string(i)}});
  Printed q = render("answers", answers_fields(longer, "vi"), "vi", "80mm-raster");
  CHECK(q.picture.height > p.picture.height + 5 * 40);
  // An item's answers start further right than the top-level ones.
  auto first_ink = [](const Bitmap& b, int y0, int y1) {
    int left = b.width;
    for (int y = y0; y < y1; ++y)
      for (int x = 0; x < b.width; ++x)
        if (b.at(x, y)) { left = std::min(left, x); break; }
    return left;
  };
  TextRenderer r;
  json only_list = {{"blocks", json::array({json{{"list", "answers"}}})}};
  auto list_picture = [&](int depth) {
    json fields = {{"answers", json::array({json{{"label", "Họ, chữ đệm, tên"}, {"value", "Nguyễn Văn An"}, {"depth", depth}}})}};
    return picture(lay_out(only_list, fields, [](const std::string&) { return ""; }, *find_profile("80mm"), r), 576);
  };
  Bitmap top = list_picture(0), item = list_picture(2);
  CHECK(first_ink(item, 0, item.height) >= first_ink(top, 0, top.height) + 40);
  CHECK_THROWS_WITH_AS(lay_out(only_list, json::object(), [](const std::string&) { return ""; }, *find_profile("80mm"), r),
                       doctest::Contains("the list \"answers\" is missing"), LayoutError);
  json bad = sheet;
  bad["answers"][2]["value"] = 5;
  CHECK_THROWS_WITH_AS(answers_fields(bad, "vi"), doctest::Contains("answers/2"), DocumentError);
  bad = sheet;
  bad["answers"][1]["depth"] = 1e9;
  CHECK_THROWS_WITH_AS(answers_fields(bad, "vi"), doctest::Contains("answers/1/depth"), DocumentError);
  bad = sheet;
  bad.erase("answers");
  CHECK_THROWS_WITH_AS(answers_fields(bad, "vi"), doctest::Contains("answers"), DocumentError);
  bad = sheet;
  bad["answers"] = json::array();
  for (int i = 0; i < 2001; ++i) bad["answers"].push_back({{"label", "x"}});
  CHECK_THROWS_WITH_AS(answers_fields(bad, "vi"), doctest::Contains("2,000"), DocumentError);
}

TEST_CASE("hostile documents: wrong types, absurd numbers and oversized texts are named, never cast or printed") {
  auto fails = [](json d, const char* kind) -> std::string {
    try {
      if (std::string(kind) == "receipt") receipt_fields(d, "vi");
      else ticket_fields(d, "vi");
    } catch (const DocumentError& e) {
      return e.what();
    }
    return "";
  };
  json d = sample_dossier();
  for (json fee : {json("75000"), json(1e300), json(-1), json(1.5), json(1e13), json(true)}) {
    d["fee"] = fee;
    CAPTURE(fee.dump());
    CHECK(fails(d, "receipt").find("field \"fee\"") == 0);
  }
  d["fee"] = "75000";
  CHECK(fails(d, "receipt").find("got text \"75000\"") != std::string::npos);
  d["fee"] = 75000.0;  // a whole number written as a float is fine
  CHECK(receipt_fields(d, "vi")["feeText"] == "75.000 đồng");
  d = sample_dossier();
  d["demo"] = true;
  d["feePaid"] = true;  // a demo dossier is never said to be paid, nor asked to pay
  CHECK(receipt_fields(d, "vi")["feePaid"] == false);
  CHECK(receipt_fields(d, "vi")["feeDemo"] == true);
  CHECK_FALSE(receipt_fields(d, "vi").contains("feeQr"));
  d = sample_dossier();
  d["feePaid"] = "no";
  CHECK(fails(d, "receipt").find("field \"feePaid\"") == 0);
  d = sample_dossier();
  d["payment"] = "970436";
  CHECK(fails(d, "receipt").find("field \"payment\"") == 0);
  d = sample_dossier();
  d["payment"]["account"] = 11004123456;
  CHECK(fails(d, "receipt").find("\"account\"") != std::string::npos);
  d = sample_dossier();
  d["centerName"] = std::string(5000, 'x');
  CHECK(fails(d, "receipt").find("field \"centerName\": too long") == 0);
  d = sample_dossier();
  d["resultDelivery"] = 3;
  CHECK(fails(d, "receipt").find("field \"resultDelivery\": expected text") == 0);
  json t = sample_ticket("A012");
  t["waiting"] = 1e300;
  CHECK(fails(t, "ticket").find("field \"waiting\"") == 0);
  t["waiting"] = "7";
  CHECK(fails(t, "ticket").find("field \"waiting\"") == 0);
  t = sample_ticket("A012");
  t["priority"] = "yes";
  CHECK(fails(t, "ticket").find("field \"priority\"") == 0);
  t = sample_ticket(std::string(100, '9'));
  CHECK(fails(t, "ticket").find("field \"number\": too long") == 0);
}

TEST_CASE("a word wider than the paper wraps in linear time, after its punctuation when it has some") {
  TextRenderer r;
  std::string word(1000, 'W');
  auto lines = r.wrap(word, 24, Weight::Regular, 300);
  std::string joined;
  for (auto& l : lines) {
    CHECK(r.width(l, 24, Weight::Regular) <= 300);
    joined += l;
  }
  CHECK(joined == word);
  CHECK(lines.size() > 30);
  // A long code breaks after a separator, not inside a group of digits.
  std::string code = "000.00.19.H12-261203-0001-000.00.19.H12-261203-0001";
  lines = r.wrap(code, 30, Weight::Bold, 200);
  REQUIRE(lines.size() > 1);
  joined.clear();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i + 1 < lines.size()) CHECK(std::string("-./").find(lines[i].back()) != std::string::npos);
    joined += lines[i];
  }
  CHECK(joined == code);
  // Between words first: a short word is never split while a break between words exists.
  lines = r.wrap("Số thứ tự UC002 của ông bà", 40, Weight::Bold, 200);
  for (auto& l : lines) CHECK((l.find("UC0") == std::string::npos || l.find("UC002") != std::string::npos));
}

TEST_CASE("line wrapping keeps every Vietnamese syllable whole") {
  TextRenderer r;
  std::string text = "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm thành phố Hà Nội xin lỗi ông bà vì sự chậm trễ";
  for (int width : {150, 240, 400}) {
    auto lines = r.wrap(text, 24, Weight::Regular, width);
    std::string joined;
    for (auto& l : lines) {
      CHECK(r.width(l, 24, Weight::Regular) <= width);
      CHECK(l.front() != ' ');
      joined += (joined.empty() ? "" : " ") + l;
    }
    CHECK(joined == text);  // only spaces were turned into line breaks
  }
}

namespace {
// Short waits so the suite stays quick; the budget still scales with the job.
const PrintTiming kFast{.status_ms = 300, .stall_ms = 1000, .base_ms = 800, .bytes_per_second = 16000};

PrintOutcome print_to(test::FakePrinter& p, const std::vector<uint8_t>& job, Confirm confirm = Confirm::ProcessId,
                      const PrintTiming& timing = kFast) {
  auto t = open_transport("tcp:127.0.0.1:" + std::to_string(p.port()), 500);
  return print_job(*t, job, confirm, timing);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

TEST_CASE("printed means printed: only a printer that confirms the whole job counts as printed") {
  std::vector<uint8_t> job = EscPos().init().raster(Bitmap(576, 400)).cut().bytes();
  SUBCASE("a working printer confirms by process ID (GS ( H) and by GS r 1") {
    for (Confirm c : {Confirm::ProcessId, Confirm::TransmitStatus}) {
      test::FakePrinter fine({});
      PrintOutcome o = print_to(fine, job, c);
      CHECK(o.delivery == Delivery::Printed);
      CHECK(o.printed());
      CHECK(o.problem.empty());
      CHECK_FALSE(o.paper_near_end);
      CHECK(fine.confirmations() == 1);
      CHECK(fine.received() == job);  // the job whole, requests aside
    }
  }
  SUBCASE("paper out before the job: nothing is sent") {
    test::FakePrinter empty({.paper_out = true});
    PrintOutcome o = print_to(empty, job);
    CHECK(o.delivery == Delivery::Failed);
    CHECK(o.problem == "out of paper");
    CHECK(o.nothing_sent);
    CHECK(empty.received().empty());
  }
  SUBCASE("paper out during the job: failed with the reason, without waiting out the budget") {
    test::FakePrinter runs_out({.paper_out_after_bytes = 1000});
    auto t0 = std::chrono::steady_clock::now();
    PrintOutcome o = print_to(runs_out, job, Confirm::ProcessId, {.status_ms = 300, .stall_ms = 1000, .base_ms = 20000});
    CHECK(o.delivery == Delivery::Failed);
    CHECK(o.problem == "paper ran out during printing");
    CHECK_FALSE(o.nothing_sent);
    CHECK(seconds_since(t0) < 10);  // real-time status ended the 20 s wait
    CHECK(runs_out.confirmations() == 0);
  }
  SUBCASE("cover open: refused before sending") {
    test::FakePrinter cover({.cover_open = true});
    PrintOutcome o = print_to(cover, job);
    CHECK(o.problem == "cover open");
    CHECK(o.nothing_sent);
  }
  SUBCASE("a mute printer (no status, no confirmation) is not confirmed, never printed") {
    test::FakePrinter mute({.mute = true});
    PrintOutcome o = print_to(mute, job);
    CHECK(o.delivery == Delivery::NotConfirmed);
    CHECK(o.problem.find("did not confirm") != std::string::npos);
    CHECK_FALSE(o.nothing_sent);
  }
  SUBCASE("a printer that answers status but never confirms is not confirmed") {
    test::FakePrinter clone({.no_confirm = true});
    CHECK(print_to(clone, job).delivery == Delivery::NotConfirmed);
    CHECK(print_to(clone, job, Confirm::TransmitStatus).delivery == Delivery::NotConfirmed);
  }
  SUBCASE("a printer that stops reading after N bytes: the kernel takes a small job, still not printed") {
    test::FakePrinter jam({.stall_after_bytes = 5000});
    PrintOutcome o = print_to(jam, job);
    CHECK_FALSE(o.printed());
    CHECK(o.delivery == Delivery::NotConfirmed);
    // A job bigger than every buffer on the way stops the write itself.
    std::vector<uint8_t> big(32 << 20, 0x00);
    test::FakePrinter jam2({.stall_after_bytes = 5000});
    o = print_to(jam2, big);
    CHECK(o.delivery == Delivery::Failed);
    CHECK(o.problem.find("stopped accepting data after") != std::string::npos);
  }
  SUBCASE("a printer switched off mid-job: failed or not confirmed, and the kiosk lives on (no SIGPIPE)") {
    std::vector<uint8_t> big(8 << 20, 0x00);
    test::FakePrinter off({.hang_up_after_bytes = 3000});
    PrintOutcome o = print_to(off, big);
    CHECK_FALSE(o.printed());
    CHECK(o.delivery == Delivery::Failed);
    CHECK(o.problem.find("closed the connection") != std::string::npos);
  }
  SUBCASE("a printer switched off after the whole job: not confirmed, and the wait sleeps instead of spinning") {
    test::FakePrinter off({.hang_up_when_asked = true});
    rusage before{}, after{};
    getrusage(RUSAGE_THREAD, &before);
    auto t0 = std::chrono::steady_clock::now();
    PrintOutcome o = print_to(off, job);
    double wall = seconds_since(t0);
    getrusage(RUSAGE_THREAD, &after);
    auto cpu_s = [](const rusage& r) { return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6; };
    CHECK_FALSE(o.printed());
    CHECK(o.delivery == Delivery::NotConfirmed);  // the job went out whole: it may be on paper
    CHECK(wall >= 0.5);
    CHECK(cpu_s(after) - cpu_s(before) < 0.25 * wall);  // a spin on the closed socket took all of it
  }
  SUBCASE("paper near its end: printed, and staff are told") {
    for (Confirm c : {Confirm::ProcessId, Confirm::TransmitStatus}) {
      test::FakePrinter low({.paper_near_end = true});
      PrintOutcome o = print_to(low, job, c);
      CHECK(o.printed());
      CHECK(o.paper_near_end);
    }
  }
  SUBCASE("a slow printer: the wait for confirmation grows with the job") {
    std::vector<uint8_t> long_job = EscPos().init().raster(Bitmap(576, 800)).cut().bytes();  // about 58 KB
    test::FakePrinter slow({.bytes_per_second = 25000});                                      // about 2.3 s to drain
    CHECK(print_to(slow, long_job).printed());                // 0.8 s + 58 KB at 16 KB/s
    test::FakePrinter slow2({.bytes_per_second = 25000});
    PrintTiming fixed = kFast;
    fixed.bytes_per_second = 1 << 30;                         // a budget that ignores the job's size
    CHECK(print_to(slow2, long_job, Confirm::ProcessId, fixed).delivery == Delivery::NotConfirmed);
  }
  SUBCASE("targets without a status channel say sent") {
    auto dir = std::filesystem::temp_directory_path() / "motcua-sent";
    std::filesystem::create_directories(dir);
    auto t = open_transport("file:" + (dir / "job.bin").string());
    PrintOutcome o = print_job(*t, job, Confirm::ProcessId);
    CHECK(o.delivery == Delivery::Sent);
    CHECK_FALSE(o.printed());
    CHECK(std::string(delivery_name(o.delivery)) == "sent");
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("a dead printer never makes the kiosk wait for long") {
  test::FakePrinter jammed({.mute = true, .stop_reading = true});
  auto t = open_transport("tcp:127.0.0.1:" + std::to_string(jammed.port()), 300);
  std::vector<uint8_t> huge(64 << 20, 0x00);
  auto start = std::chrono::steady_clock::now();
  PrintOutcome o = print_job(*t, huge, Confirm::ProcessId, {.status_ms = 300, .stall_ms = 300});
  CHECK_FALSE(o.printed());
  CHECK(o.problem.find("timeout") != std::string::npos);
  CHECK(seconds_since(start) < 5.0);
  CHECK_THROWS_WITH_AS(open_transport("tcp:127.0.0.1:1", 300), doctest::Contains("not reachable"), PrintError);
  CHECK_THROWS_WITH_AS(open_transport("usb:/dev/usb/lp9"), doctest::Contains("usb:/dev/usb/lp9"), PrintError);
  CHECK_THROWS_WITH_AS(open_transport("serial:/dev/ttyS0"), doctest::Contains("unknown kind"), PrintError);
}

TEST_CASE("file targets write the exact job, and a folder gets one file per job") {
  auto dir = std::filesystem::temp_directory_path() / "motcua-file-target";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<uint8_t> job = EscPos().init().feed(2).bytes();
  CHECK(print_job(*open_transport("file:" + (dir / "one.bin").string()), job, Confirm::ProcessId).delivery == Delivery::Sent);
  std::ifstream in(dir / "one.bin", std::ios::binary);
  std::vector<uint8_t> back((std::istreambuf_iterator<char>(in)), {});
  CHECK(back == job);
  CHECK(print_job(*open_transport("file:" + (dir / "jobs").string()), job, Confirm::None).delivery == Delivery::Sent);  // plain file
  std::filesystem::create_directories(dir / "folder");
  print_job(*open_transport("file:" + (dir / "folder").string()), job, Confirm::None);
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "folder"), {}) == 1);
  std::filesystem::remove_all(dir);
}

// cups: targets hand the job to lp. An lp that goes before reading it (no such queue, cupsd down)
// must give a reason, not a SIGPIPE that ends the kiosk (this test process would die with it), and
// a queue's name is an argument, never shell text. These lp stand-ins sit first on PATH.
TEST_CASE("cups targets: lp gets the exact job and the queue as one argument, and an lp that goes early is a reason") {
  auto dir = std::filesystem::temp_directory_path() / "motcua-cups-target";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "bin");
  auto write_lp = [&](const std::string& body) {
    std::ofstream(dir / "bin" / "lp") << "#!/bin/sh\n" << body;
    std::filesystem::permissions(dir / "bin" / "lp", std::filesystem::perms::owner_all);
  };
  const std::string path = std::getenv("PATH");
  setenv("PATH", ((dir / "bin").string() + ":" + path).c_str(), 1);
  std::vector<uint8_t> job(300000);  // more than a pipe holds: the write waits for lp
  for (size_t i = 0; i < job.size(); ++i) job[i] = static_cast<uint8_t>(i * 7);

  SUBCASE("an lp that closes its input and refuses") {
    write_lp("exec 0<&-\necho 'lp: The printer or class does not exist.' >&2\nsleep 0.2\nexit 1\n");
    auto t = open_transport("cups:nosuchqueue");
    CHECK_THROWS_WITH_AS(t->write(job, 2000, 5000), doctest::Contains("The printer or class does not exist"), PrintError);
    CHECK(print_job(*t, job, Confirm::None).delivery == Delivery::Failed);
  }
  SUBCASE("an lp that takes the job") {
    write_lp("printf '%s\\n' \"$@\" > \"" + (dir / "args").string() + "\"\ncat > \"" + (dir / "job").string() + "\"\n");
    auto t = open_transport("cups:it's; touch " + (dir / "pwned").string());
    CHECK(print_job(*t, job, Confirm::None).delivery == Delivery::Sent);
    std::ifstream in(dir / "job", std::ios::binary);
    CHECK(std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {}) == job);
    std::ifstream args_file(dir / "args");
    std::stringstream args;
    args << args_file.rdbuf();
    CHECK(args.str() == "-s\n-d\nit's; touch " + (dir / "pwned").string() + "\n-o\nraw\n");
    CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
  }
  SUBCASE("an lp that stops reading: the job cut short never reaches CUPS") {
    write_lp("sleep 1\ncat > \"" + (dir / "partial").string() + "\"\ntouch \"" + (dir / "queued").string() + "\"\n");
    auto t = open_transport("cups:slow");
    CHECK_THROWS_AS(t->write(job, 300, 600), PrintError);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK_FALSE(std::filesystem::exists(dir / "queued"));  // lp was stopped, not handed an early end
  }
  setenv("PATH", path.c_str(), 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("queue numbers: per prefix, priority apart, survive a restart, restart each day") {
  auto path = (std::filesystem::temp_directory_path() / "motcua-queue" / "queue.json").string();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
  CHECK(QueueNumbers(path).next("A", false, "2026-11-21") == "A001");
  CHECK(QueueNumbers(path).next("A", false, "2026-11-21") == "A002");  // a new process continues
  CHECK(QueueNumbers(path).next("B", false, "2026-11-21") == "B001");
  CHECK(QueueNumbers(path).next("A", true, "2026-11-21") == "UA001");
  CHECK(QueueNumbers(path).next("A", false, "2026-11-22") == "A001");  // next day
  CHECK_THROWS_AS(QueueNumbers(path).next("u", false, "2026-11-22"), QueueStateError);
  std::ofstream(path) << "{broken";
  CHECK_THROWS_WITH_AS(QueueNumbers(path).next("A", false, "2026-11-22"), doctest::Contains("damaged"), QueueStateError);
  std::filesystem::remove(path);
  // A number given back is handed out again only while no later number was issued.
  CHECK(QueueNumbers(path).next("C", false, "2026-11-22") == "C001");
  CHECK(QueueNumbers(path).give_back("C001", "2026-11-22"));
  CHECK(QueueNumbers(path).next("C", false, "2026-11-22") == "C001");
  CHECK(QueueNumbers(path).next("C", false, "2026-11-22") == "C002");
  CHECK_FALSE(QueueNumbers(path).give_back("C001", "2026-11-22"));  // C002 is out: C001 stays used
  CHECK(QueueNumbers(path).next("C", false, "2026-11-22") == "C003");
}

namespace {
struct Cli {
  int status;
  std::string out, err;
};
Cli print_cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  int status = print_command(args, root, out, err);
  return {status, out.str(), err.str()};
}
std::string temp_json(const std::string& name, const json& j) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << j.dump();
  return path.string();
}
}  // namespace

TEST_CASE("motcua print: exit 1 with the reason unless printed, a failed ticket keeps no number, fields named, exit 2") {
  std::string dossier = temp_json("motcua-print-dossier.json", sample_dossier());
  {
    test::FakePrinter mute({.mute = true});
    auto t0 = std::chrono::steady_clock::now();
    Cli r = print_cli({"receipt", dossier, "--to", "tcp:127.0.0.1:" + std::to_string(mute.port()), "--profile", "58mm"});
    CHECK(r.status == 1);
    json summary = json::parse(r.out);
    CHECK(summary["status"] == "not confirmed");
    CHECK(summary["printed"] == false);
    CHECK(r.err.find("not confirmed") != std::string::npos);
    CHECK(r.err.find("did not confirm") != std::string::npos);
    CHECK(r.err.find("Code128") != std::string::npos);  // the left-out barcode is logged
    CHECK(seconds_since(t0) < 20);
  }
  {
    test::FakePrinter fine({});
    Cli r = print_cli({"receipt", dossier, "--to", "tcp:127.0.0.1:" + std::to_string(fine.port())});
    CHECK(r.status == 0);
    CHECK(json::parse(r.out)["status"] == "printed");
    CHECK(fine.confirmations() == 1);
  }
  auto file = std::filesystem::temp_directory_path() / "motcua-print-sent.bin";
  Cli sent = print_cli({"receipt", dossier, "--to", "file:" + file.string()});
  CHECK(sent.status == 0);
  CHECK(json::parse(sent.out)["status"] == "sent");
  CHECK(json::parse(sent.out)["printed"] == false);

  json bad = sample_dossier();
  bad["fee"] = "75000";
  Cli r = print_cli({"receipt", temp_json("motcua-print-bad.json", bad), "--to", "file:/dev/null"});
  CHECK(r.status == 2);
  CHECK(r.err.find("\"fee\"") != std::string::npos);
  CHECK(r.err.find("json.exception") == std::string::npos);

  // Tickets: a printer that refused the job gives the number back; an unconfirmed one keeps it.
  auto state = (std::filesystem::temp_directory_path() / "motcua-print-queue" / "queue.json").string();
  std::filesystem::remove_all(std::filesystem::path(state).parent_path());
  std::string ticket = temp_json("motcua-print-ticket.json", json{{"centerName", "Trung tâm"}, {"service", "Hộ tịch"},
                                                                  {"prefix", "B"}, {"counterGroup", "2"}});
  {
    test::FakePrinter empty({.paper_out = true});
    r = print_cli({"ticket", ticket, "--to", "tcp:127.0.0.1:" + std::to_string(empty.port()), "--state", state});
    CHECK(r.status == 1);
    CHECK(json::parse(r.out)["numberReturned"] == "B001");
    CHECK(r.err.find("out of paper") != std::string::npos);
  }
  r = print_cli({"ticket", ticket, "--to", "tcp:127.0.0.1:1", "--state", state});
  CHECK(r.status == 1);
  {
    test::FakePrinter fine({});
    r = print_cli({"ticket", ticket, "--to", "tcp:127.0.0.1:" + std::to_string(fine.port()), "--state", state});
    CHECK(r.status == 0);
    CHECK(json::parse(r.out)["number"] == "B001");  // the refused ones did not use it up
  }
  {
    test::FakePrinter mute({.mute = true});
    r = print_cli({"ticket", ticket, "--to", "tcp:127.0.0.1:" + std::to_string(mute.port()), "--state", state});
    CHECK(r.status == 1);
    CHECK(json::parse(r.out)["number"] == "B002");  // maybe on paper: never handed out twice
  }
  json bad_ticket = json::parse(R"({"centerName": "Trung tâm", "service": "Hộ tịch", "prefix": "B", "counterGroup": "2", "waiting": 1e300})");
  r = print_cli({"ticket", temp_json("motcua-print-bad-ticket.json", bad_ticket), "--to", "file:/dev/null", "--state", state});
  CHECK(r.status == 2);
  CHECK(r.err.find("\"waiting\"") != std::string::npos);
  r = print_cli({"ticket", ticket, "--to", "file:/dev/null", "--state", state});
  CHECK(json::parse(r.out)["number"] == "B003");  // the bad ticket took no number
}

namespace {
// A readable fingerprint of a decoded job: every command, then the paper's size and a hash of its dots.
std::string summary(const test::Decoded& d) {
  std::string out;
  for (auto& c : d.commands) {
    out += c.name;
    for (int a : c.args) out.append(" ").append(std::to_string(a));
    if (!c.data.empty()) out += " \"" + c.data + "\"";
    out += "\n";
  }
  uint32_t h = 2166136261u;  // FNV-1a over the dots
  for (uint8_t dot : d.paper.dots) h = (h ^ dot) * 16777619u;
  char tail[64];
  std::snprintf(tail, sizeof tail, "paper %dx%d fnv1a %08x\n", d.paper.width, d.paper.height, h);
  return out + tail;
}

void check_golden(const std::string& name, const std::string& actual) {
  std::string path = root + "/tests/fixtures/golden/" + name + ".txt";
  if (std::getenv("MOTCUA_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::ifstream in(path);
  std::stringstream expected;
  expected << in.rdbuf();
  CHECK_MESSAGE(expected.str() == actual, name, ": the printed job changed; if intended, rerun with MOTCUA_UPDATE_GOLDEN=1\n",
                "--- expected\n", expected.str(), "--- actual\n", actual);
}
}  // namespace

TEST_CASE("golden jobs: the receipt and the ticket decode to the recorded commands and paper") {
  Printed receipt = render("receipt", receipt_fields(sample_dossier(), "vi"), "vi", "80mm");
  check_golden("receipt-vi-80mm", summary(test::decode_escpos(receipt.job, 576)));
  json ticket = json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công", "service": "Hộ tịch",
      "number": "UA003", "counterGroup": "3", "waiting": 12, "issuedAt": "2026-11-21T08:05:00+07:00", "priority": true})");
  Printed t = render("ticket", ticket_fields(ticket, "en"), "en", "58mm");
  check_golden("ticket-en-58mm", summary(test::decode_escpos(t.job, 384)));
}
