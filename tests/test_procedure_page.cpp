// The procedure page before a form and the receipt's "where to go after", on the real kiosk under
// Xvfb: what is drawn is checked against each bundled package as written (its JSON), not
// against the code that draws it.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "devices/printer/documents.h"
#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "terminal/ui/ui.h"
#include "tests/support/escpos_decoder.h"
#include "tests/support/fake_printer.h"
#include "tests/support/screen_kiosk.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

std::string temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua-procedure-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

std::unique_ptr<Kiosk> open_kiosk(KioskConfig config, bool check_steps = true) {
  if (config.data_dir.empty() || config.data_dir == KioskConfig{}.data_dir) config.data_dir = temp_dir();
  return test::open_screen_kiosk(config, check_steps);
}

// A kiosk whose card reader is connected (no card on it): what the card fills is promised.
std::unique_ptr<Kiosk> open_kiosk_with_reader(KioskConfig config) {
  if (config.data_dir.empty() || config.data_dir == KioskConfig{}.data_dir) config.data_dir = temp_dir();
  CardPort reader;
  reader.presence = [] { return CardPresence{true, false}; };
  reader.start = [](std::string_view, std::string_view, std::string_view) {};
  reader.poll = [] { return std::optional<CardReadResult>(); };
  reader.progress = [] { return 0.0f; };
  reader.cancel = [] {};
  return test::open_screen_kiosk(config, true, 1080, 1920, reader);
}


json package(const std::string& id) {
  std::ifstream in(root + "/assets/forms/" + id + ".json");
  return json::parse(in);
}

std::string label(Kiosk& k, const std::string& id) {
  auto it = k.widgets().find(id);
  return it == k.widgets().end() ? std::string("(not drawn)") : it->second.label;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The labels of every control bound to the chip card, read from the package as written.
void card_labels(const json& v, const std::string& lang, std::vector<std::string>& out) {
  if (v.is_object()) {
    if (v.contains("prefill") && v["prefill"].is_string() && v["prefill"].get<std::string>().rfind("card.", 0) == 0 &&
        v.contains("label"))
      out.push_back(v["label"].value(lang, v["label"].value("vi", "")));
    for (auto& [_, child] : v.items()) card_labels(child, lang, out);
  } else if (v.is_array()) {
    for (auto& child : v) card_labels(child, lang, out);
  }
}

void to_procedure_page(Kiosk& k, const std::string& lang, const std::string& form_id) {
  Session& s = k.session();
  s.apply({Intent::Kind::EndSession}, k.now());
  for (Intent in : {Intent{Intent::Kind::Start}, Intent{Intent::Kind::ChooseLanguage, lang},
                    Intent{Intent::Kind::ChooseProcedure, form_id}})
    s.apply(in, k.now());
  k.settle();
}

void wait_for_printer(Kiosk& k) {
  for (int i = 0; i < 300 && k.paper_printer().state() == PaperPrinter::State::Printing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    k.frame();
  }
  k.frame();
}

}  // namespace

TEST_CASE("the procedure page draws what each bundled package says: purpose, fee, time, agency, card, papers") {
  KioskConfig config;
  config.printer = "file:" + temp_dir() + "/paper";
  auto k = open_kiosk_with_reader(config);
  std::vector<std::pair<std::string, std::string>> card_pages;  // (form, language) where the card fills something
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  int forms_seen = 0, documents_seen = 0, card_forms = 0, free_forms = 0, unstated_fee = 0;
  for (const forms::FormPackage* form : k->catalog().find("", "")) {
    json meta = package(form->id)["meta"];
    for (std::string lang : {"vi", "en"}) {
      CAPTURE(form->id);
      CAPTURE(lang);
      to_procedure_page(*k, lang, form->id);
      REQUIRE(k->session().step() == Step::Procedure);
      CHECK(label(*k, "procedure.title") == meta["title"][lang].get<std::string>());
      if (meta.contains("purpose")) CHECK(label(*k, "procedure.purpose") == meta["purpose"][lang].get<std::string>());
      else CHECK(k->widgets().count("procedure.purpose") == 0);
      if (meta.contains("agency")) CHECK(label(*k, "procedure.agency") == meta["agency"][lang].get<std::string>());
      else CHECK(k->widgets().count("procedure.agency") == 0);  // nothing claimed the package does not say

      if (!meta.contains("fees")) {
        CHECK(label(*k, "procedure.fee") == strings.get(lang, "procedure.fee_ask"));
        ++unstated_fee;
      } else {
        long long sum = 0;
        for (auto& f : meta["fees"]) sum += f["amount"].get<long long>();
        if (sum == 0) ++free_forms;
        CHECK(label(*k, "procedure.fee") == (sum == 0 ? strings.get(lang, "procedure.fee_none") : printer::format_money(sum, lang)));
      }
      int days = meta["processingDays"].get<int>();
      CHECK(has(label(*k, "procedure.days"), days == 0 ? strings.get(lang, "procedure.days_same") : std::to_string(days)));

      std::vector<std::string> bound;
      card_labels(package(form->id), lang, bound);
      if (bound.empty()) {
        CHECK(label(*k, "procedure.card") == strings.get(lang, "procedure.card_none"));
      } else {
        for (auto& l : bound) CHECK_MESSAGE(has(label(*k, "procedure.card"), l), l);
        if (lang == "vi") ++card_forms;
        card_pages.push_back({form->id, lang});
      }

      const json documents = meta.value("documents", json::array());
      for (auto& d : documents) {
        std::string line = label(*k, "procedure.document." + d["id"].get<std::string>());
        CHECK(has(line, d["name"][lang].get<std::string>()));
        bool required = d.value("required", true), original = d.value("originalAtCounter", false);
        CHECK(has(line, strings.get(lang, "procedure.document_required")) == required);
        CHECK(has(line, strings.get(lang, "review.document_original")) == original);
        ++documents_seen;
      }
      size_t drawn = 0;
      for (auto& [id, _] : k->widgets()) drawn += id.rfind("procedure.document.", 0) == 0;
      CHECK(drawn == documents.size());  // no paper drawn that the package does not list
      CHECK(k->widgets().count("procedure.print") == (documents.empty() ? 0u : 1u));
      REQUIRE(k->widgets().count("procedure.start") == 1);
      CHECK(k->widgets().at("procedure.start").interactive);
      CHECK(label(*k, "procedure.start") == strings.get(lang, "procedure.start"));
    }
    ++forms_seen;
  }
  CHECK(forms_seen == 6);
  CHECK(documents_seen > 10);
  CHECK(card_forms >= 3);     // the chip fills several forms...
  CHECK(free_forms >= 1);     // ...some state no fee...
  CHECK(unstated_fee >= 1);   // ...and some say nothing about it: "ask at the counter"
  // Without a card reader no page promises what the card would fill: the answers are typed.
  k.reset();
  auto no_reader = open_kiosk(config);
  REQUIRE(card_pages.size() >= 6);
  for (auto& [id, lang] : card_pages) {
    CAPTURE(id);
    to_procedure_page(*no_reader, lang, id);
    CHECK(label(*no_reader, "procedure.card") == strings.get(lang, "procedure.card_no_reader"));
  }
}

TEST_CASE("the procedure page sits between the catalog and the card step, both ways, and --form skips it") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.printer = "file:" + dir + "/paper";
  auto k = open_kiosk(config);
  REQUIRE(test::play_scenario(*k, {{{"tap", "attract.start"}}, {{"tap", "language.vi"}}, {{"tap", "catalog.form.xac-nhan-hon-nhan"}},
                    {{"expect", {{"step", "procedure"}, {"widget", "procedure.start"}}}},
                    {{"tap", "procedure.start"}}, {{"expect", {{"step", "identify"}}}},
                    {{"tap", "nav.back"}}, {{"expect", {{"step", "procedure"}}}},
                    {{"tap", "nav.back"}}, {{"expect", {{"step", "catalog"}}}},
                    {{"tap", "catalog.form.khai-tu"}}, {{"expect", {{"label", {{"procedure.title", "Đăng ký khai tử"}}}}}}},
                   dir) == 0);
  // A form opened directly (motcua --form) opens on its first step, and Back from the card step
  // returns to the form, never to a procedure page.
  k.reset();  // one kiosk (one ImGui context) at a time
  auto direct = open_kiosk(config);
  REQUIRE(direct->session().open_form("khai-sinh", "vi", direct->now()));
  direct->settle();
  CHECK(direct->session().step() == Step::Form);
  CHECK(direct->session().form_step() == 0);
  CHECK(direct->widgets().count("procedure.start") == 0);
}

TEST_CASE("In danh sách giấy tờ prints the package's papers, said printed only when the printer confirms") {
  std::string dir = temp_dir();
  test::FakePrinter printer({});
  KioskConfig config;
  config.printer = "tcp:127.0.0.1:" + std::to_string(printer.port());
  auto k = open_kiosk(config);
  to_procedure_page(*k, "vi", "khai-sinh");
  REQUIRE(k->widgets().count("procedure.print") == 1);
  CHECK(k->widgets().count("procedure.print_status") == 0);  // nothing said before anything is asked
  REQUIRE(test::play_scenario(*k, {{{"tap", "procedure.print"}}}, dir) == 0);
  wait_for_printer(*k);
  CHECK(k->paper_printer().state() == PaperPrinter::State::Printed);
  CHECK(label(*k, "procedure.print_status") == "printed");
  auto paper = test::decode_escpos(printer.received(), 576).paper;
  CHECK(paper.height > 500);  // header, three papers, footer: a list, not a blank feed
  REQUIRE(test::play_scenario(*k, {{{"shot", "checklist-printed"}}}, dir) == 0);
  // Past the page, the printer's "printed" is forgotten: it was the checklist's, not a receipt's.
  REQUIRE(test::play_scenario(*k, {{{"tap", "procedure.start"}}, {{"expect", {{"step", "identify"}}}}}, dir) == 0);
  CHECK(k->paper_printer().state() == PaperPrinter::State::Idle);

  // A file target cannot confirm: "sent", never "printed".
  k.reset();
  KioskConfig file_config;
  file_config.printer = "file:" + dir + "/paper";
  auto f = open_kiosk(file_config);
  to_procedure_page(*f, "en", "xac-nhan-hon-nhan");
  REQUIRE(test::play_scenario(*f, {{{"tap", "procedure.print"}}}, dir) == 0);
  wait_for_printer(*f);
  CHECK(label(*f, "procedure.print_status") == "sent");
  // A procedure without papers has nothing to print and offers nothing.
  json no_papers = json::parse(R"({"centerName": "C", "procedureName": "P", "printedAt": "2026-11-21T09:30:00", "documents": []})");
  CHECK_THROWS_WITH(printer::checklist_fields(no_papers, "vi"), doctest::Contains("at least one paper"));
}

TEST_CASE("the receipt says which counter, which originals to hand over and when to come back, and Xong skips the survey") {
  std::string dir = temp_dir();
  KioskConfig config;
  config.printer = "file:" + dir + "/paper";
  auto k = open_kiosk(config, false);  // Next walks the form whatever the answers: the receipt is tested
  Strings strings = Strings::load(root + "/locales", {"vi", "en"});
  std::ifstream categories_file(root + "/assets/forms/categories.json");
  json categories = json::parse(categories_file);
  for (std::string lang : {"vi", "en"})
    for (std::string id : {"khai-sinh", "ly-lich-tu-phap"}) {
      CAPTURE(id);
      CAPTURE(lang);
      json meta = package(id)["meta"];
      std::string counter;
      for (auto& c : categories["categories"])
        if (c["id"] == meta["category"]) counter = c.value("counter", "");
      REQUIRE(!counter.empty());
      to_procedure_page(*k, lang, id);
      Session& s = k->session();
      s.apply({Intent::Kind::Next}, k->now());
      s.apply({Intent::Kind::TypeByHand}, k->now());
      for (int i = 0; i < 30 && s.step() == Step::Form; ++i) s.apply({Intent::Kind::Next}, k->now());
      REQUIRE(s.step() == Step::Review);
      s.apply({Intent::Kind::ToggleConsent}, k->now());
      s.apply({Intent::Kind::Confirm}, k->now());
      for (int i = 0; i < 100 && s.step() != Step::Receipt; ++i) k->frame();
      REQUIRE(s.step() == Step::Receipt);
      k->settle();
      std::string either = either_of(strings, lang, counter);
      CHECK(label(*k, "receipt.counter") == strings.format(lang, "receipt.counter", {{"counter", either}}));
      if (id == "khai-sinh") CHECK(has(label(*k, "receipt.counter"), lang == "vi" ? "1 hoặc 2" : "1 or 2"));
      size_t originals = 0;
      for (auto& d : meta.value("documents", json::array())) {
        std::string drawn = label(*k, "receipt.original." + d["id"].get<std::string>());
        if (d.value("originalAtCounter", false)) {
          CHECK(has(drawn, d["name"][lang].get<std::string>()));
          ++originals;
        } else {
          CHECK(drawn == "(not drawn)");
        }
      }
      CHECK(originals > 0);
      CHECK(has(label(*k, "receipt.come_back"), display_date(s.receipt().appointment)));
      CHECK(has(label(*k, "receipt.come_back"), either));
      CHECK(k->widgets().count("receipt.next") == 1);  // the survey, one tap away
      REQUIRE(test::play_scenario(*k, {{{"shot", lang + "-receipt-" + id}}}, dir) == 0);
      if (id == "ly-lich-tu-phap") {
        REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.next"}}, {{"expect", {{"step", "evaluation"}}}}}, dir) == 0);
      } else {
        REQUIRE(test::play_scenario(*k, {{{"tap", "receipt.done"}}, {{"expect", {{"step", "attract"}, {"personalDataEmpty", true}}}}}, dir) == 0);
      }
    }
  // The paper receipt carries the same: the counter and the originals reach the printed fields.
  json input = {{"centerName", "C"}, {"procedureName", "P"}, {"dossierCode", "K-1"}, {"receivedAt", "2026-11-21T09:30:00"},
                {"appointmentAt", "2026-11-24"}, {"counter", "1, 2"}, {"originals", {"Giấy chứng sinh"}}};
  json fields = printer::receipt_fields(input, "vi");
  CHECK(fields["counter"] == "1, 2");
  CHECK(fields["originals"][0]["value"] == "• Giấy chứng sinh");
  input["originals"] = {1};
  CHECK_THROWS_WITH(printer::receipt_fields(input, "vi"), doctest::Contains("originals/0"));
}
