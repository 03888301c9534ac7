// Form fidelity on the real screens (issue 17): for every bundled form (and the rules fixture),
// many generated answer sets, random and set on and beside each rule's condition. On every step
// the kiosk draws exactly the elements the model shows, disabled ones with no touch target,
// hidden answers are gone, only the steps that apply are visited, and the dossier passes the
// package's own validation (no hidden answer, no computed value out of step).
#include <doctest/doctest.h>

#include <filesystem>
#include <sys/wait.h>
#include <tuple>
#include <fstream>
#include <sstream>
#include <map>
#include <random>
#include <set>

#include "forms/dossier_check.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/core/input.h"
#include "terminal/ui/kiosk.h"
#include "terminal/ui/script.h"
#include "tests/support/files.h"
#include "tests/support/xvfb.h"

using namespace motcua;
using nlohmann::json;

namespace {

const std::string root = MOTCUA_SOURCE_ROOT;

std::string forms_dir() {
  std::string d = (std::filesystem::temp_directory_path() / "motcua-fidelity-forms").string();
  std::filesystem::create_directories(d);
  for (auto& e : std::filesystem::directory_iterator(root + "/assets/forms"))
    std::filesystem::copy_file(e.path(), d + "/" + e.path().filename().string(), std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(root + "/tests/fixtures/rules-form.json", d + "/rules-form.json", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(root + "/tests/fixtures/widgets-form.json", d + "/widgets-form.json", std::filesystem::copy_options::overwrite_existing);
  return d;
}

// Values a rule's condition schema names: the answers right on the condition.
void condition_values(const json& schema, std::vector<json>& out) {
  if (!schema.is_object()) return;
  if (schema.contains("const")) out.push_back(schema["const"]);
  if (schema.contains("enum") && schema["enum"].is_array())
    for (auto& v : schema["enum"]) out.push_back(v);
  if (schema.contains("not")) condition_values(schema["not"], out);
}

struct Generator {
  const forms::FormPackage& form;
  std::mt19937 rng;
  std::map<std::string, std::vector<json>> near;  // scope (relative inside repeats) → condition values
  std::string focus_scope;                         // adversarial: this scope gets `focus_value`
  json focus_value;

  Generator(const forms::FormPackage& f, unsigned seed) : form(f), rng(seed) {
    std::function<void(const std::vector<forms::Element>&)> walk = [&](const std::vector<forms::Element>& els) {
      for (auto& e : els) {
        if (e.rule) condition_values(e.rule->schema, near[e.rule->scope.rfind("./", 0) == 0 ? e.rule->scope.substr(1) : e.rule->scope]);
        walk(e.elements);
      }
    };
    for (auto& s : f.steps) {
      if (s.rule) condition_values(s.rule->schema, near[s.rule->scope]);
      walk(s.elements);
    }
  }
  bool coin(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; }
  template <class T> const T& pick(const std::vector<T>& v) { return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)]; }

  static std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

  std::string value_for(const forms::Element& c, const std::string& scope, const std::string& relative) {
    if (relative == focus_scope || scope == focus_scope) return text_of(focus_value);
    auto it = near.find(relative);
    if (it != near.end() && !it->second.empty() && coin(50)) {
      json v = pick(it->second);
      if (coin(20)) return v.is_string() ? text_of(v) + "x" : "";  // beside the condition
      return text_of(v);
    }
    if (coin(20)) return "";
    const std::string& w = c.widget;
    if (w == "radio" || w == "dropdown" || w == "searchable-list" || w == "checkboxes") {
      auto options = forms::choices(form, c, scope);
      if (options.empty()) return "";
      return text_of(pick(options).value);
    }
    if (w == "date") {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", std::uniform_int_distribution<int>(1900, 2030)(rng),
                    std::uniform_int_distribution<int>(1, 12)(rng), std::uniform_int_distribution<int>(1, 28)(rng));
      return buf;
    }
    if (w == "number" || w == "money") return std::to_string(std::uniform_int_distribution<int>(0, 12)(rng));
    if (w == "signature" || w == "address" || w == "value") return "";
    static const std::vector<std::string> words = {"An", "Nguyễn Văn An", "x", "12/2020/QĐST", "0912345678"};
    return pick(words);
  }

  void fill(PersonalData& data, const std::vector<forms::Element>& els, const std::string& item) {
    for (auto& e : els) {
      std::string scope = item + e.scope;
      if (e.kind == forms::Element::Kind::Group) fill(data, e.elements, item);
      if (e.kind == forms::Element::Kind::Repeat) {
        int n = std::uniform_int_distribution<int>(0, 3)(rng);
        data.field("repeat:" + scope) = std::to_string(n);
        for (int i = 0; i < n; ++i) fill(data, e.elements, scope + "/" + std::to_string(i));
      }
      if (e.kind == forms::Element::Kind::Control) {
        std::string v = value_for(e, scope, e.scope);
        if (!v.empty()) data.field(scope) = v;
      }
    }
  }
};

std::map<std::string, std::string> drawn_elements(const Kiosk& k) {
  std::map<std::string, std::string> out;
  for (auto& [id, w] : k.widgets())
    if (id.rfind("element", 0) == 0) out[id] = w.label;
  return out;
}

}  // namespace

TEST_CASE("every form, many answer sets: the step draws exactly what the model shows, and the dossier passes validate PACKAGE") {
  test::ensure_xvfb();
  KioskConfig config;
  config.printer = "file:" + (std::filesystem::temp_directory_path() / "motcua-test-receipts").string();
  test::TempDir data;  // its own folder: a second test process must not find it locked
  config.data_dir = data.path;
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  o.check_steps = false;  // Next walks every step whatever the answers: the rules are what is tested
  Catalog catalog = Catalog::load(forms_dir());
  REQUIRE(catalog.problems.empty());
  Kiosk k(config, Strings::load(root + "/locales", config.locales), std::move(catalog), o);
  std::string error;
  REQUIRE_MESSAGE(k.open(error), error);
  std::string today = local_time("%Y-%m-%d");
  int sets = 0, steps_checked = 0, hidden_seen = 0, disabled_seen = 0, skipped_seen = 0;

  for (const forms::FormPackage* form : k.catalog().find("", "")) {
    Generator probe(*form, 0);
    // Adversarial sets: every condition value (and one beside it) forced on its scope; then random ones.
    std::vector<std::pair<std::string, json>> forced = {{"", json()}};
    for (auto& [scope, values] : probe.near)
      for (auto& v : values) {
        forced.push_back({scope, v});
        if (v.is_string()) forced.push_back({scope, v.get<std::string>() + "x"});
      }
    size_t runs = probe.near.empty() ? 3 : forced.size() + 8;
    for (size_t run = 0; run < runs; ++run) {
      CAPTURE(form->id);
      CAPTURE(run);
      Session& s = k.session();
      s.apply({Intent::Kind::EndSession}, k.now());
      for (Intent in : {Intent{Intent::Kind::Start}, Intent{Intent::Kind::ChooseLanguage, "vi"},
                        Intent{Intent::Kind::ChooseProcedure, form->id}, Intent{Intent::Kind::Next}, Intent{Intent::Kind::TypeByHand}})
        s.apply(in, k.now());
      REQUIRE(s.step() == Step::Form);
      Generator gen(*form, static_cast<unsigned>(run * 7919 + 17));
      if (run < forced.size()) std::tie(gen.focus_scope, gen.focus_value) = forced[run];
      for (auto& step : form->steps) gen.fill(s.data(), step.elements, "");
      ++sets;
      k.settle();
      std::vector<int> visited;
      forms::FormModel model(*form, today);
      for (int guard = 0; s.step() == Step::Form && guard < 20; ++guard) {
        k.settle();
        size_t step = static_cast<size_t>(s.form_step());
        CAPTURE(step);
        model.wipe();
        load_answers(model, s.data());
        std::map<std::string, std::string> expected;
        std::set<std::pair<const forms::Element*, std::string>> shown;
        for (auto& x : model.shown(step)) {
          expected["element" + x.element->where + "@" + x.item] = x.enabled ? "enabled" : "disabled";
          shown.insert({x.element, x.item});
          if (!x.enabled) ++disabled_seen;
          // Disabled: every widget of the control is drawn without a touch target.
          if (!x.enabled && x.element->kind == forms::Element::Kind::Control)
            for (auto& [id, w] : k.widgets())
              if (id.find(x.item + x.element->scope) != std::string::npos && id.rfind("element", 0) != 0) CHECK_MESSAGE(!w.interactive, id);
        }
        CHECK(drawn_elements(k) == expected);
        // Hidden: no widget of the control anywhere on screen, and (clearOnHide) no answer kept.
        std::function<void(const std::vector<forms::Element>&, const std::string&)> hidden = [&](const std::vector<forms::Element>& els,
                                                                                                const std::string& item) {
          for (auto& e : els) {
            bool is_shown = shown.count({&e, item}) > 0;
            if (e.kind == forms::Element::Kind::Group) hidden(e.elements, item);
            if (e.kind == forms::Element::Kind::Repeat)
              for (int i = 0; i < s.item_count(item + e.scope); ++i) hidden(e.elements, item + e.scope + "/" + std::to_string(i));
            if (is_shown || e.kind != forms::Element::Kind::Control) continue;
            ++hidden_seen;
            std::string scope = item + e.scope;
            for (const char* prefix : {"field", "option", "search", "sign", "value", "date", "time", "email", "yes-no", "money"})
              for (auto& [id, w] : k.widgets())
                if (id.rfind(prefix + scope, 0) == 0) {
                  size_t end = std::string(prefix).size() + scope.size();
                  CHECK_MESSAGE(!(id.size() == end || id[end] == '.' || id[end] == '/'), id);
                }
            if (!model.is_computed(scope)) {
              const auto* v = s.data().find(scope);
              CHECK_MESSAGE((!v || v->empty()), scope);
            }
          }
        };
        hidden(form->steps[step].elements, "");
        ++steps_checked;
        visited.push_back(static_cast<int>(step));
        s.apply({Intent::Kind::Next}, k.now());
      }
      REQUIRE(s.step() == Step::Review);
      // Only the steps that apply were visited, in order; and the dossier passes the package's own check.
      model.wipe();
      load_answers(model, s.data());
      std::vector<int> applies;
      for (size_t i = 0; i < form->steps.size(); ++i)
        if (model.step_applies(i)) applies.push_back(static_cast<int>(i));
      skipped_seen += static_cast<int>(form->steps.size() - applies.size());
      CHECK(visited == applies);
      json dossier = model.dossier("3f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f");
      for (auto& e : forms::check_dossier(*form, dossier, today, "en"))
        CHECK_MESSAGE(e.keyword != "hidden", e.instance_location);
      for (auto& e : forms::check_dossier(*form, dossier, today, "en"))
        CHECK_MESSAGE(e.keyword != "computed", e.instance_location);
      model.wipe();
    }
  }
  MESSAGE(sets << " answer sets, " << steps_checked << " steps compared, " << hidden_seen << " hidden controls, "
                << disabled_seen << " disabled elements, " << skipped_seen << " skipped steps");
  CHECK(hidden_seen > 0);
  CHECK(disabled_seen > 0);
  CHECK(skipped_seen > 0);
  k.session().apply({Intent::Kind::EndSession}, k.now());
}

// The new widget states drawn for people to look at (MOTCUA_KEEP_SHOTS=DIR keeps them): a
// disabled field, a computed age, a money amount, the year grid, in vi and en at 100 % and 200 %.
// Checked here: each state draws, the disabled field takes no tap, and nothing leaves the screen.
TEST_CASE("new form widget states in vi and en at 100% and 200%: disabled, computed, money, year grid") {
  test::ensure_xvfb();
  KioskConfig config;
  config.printer = "file:" + (std::filesystem::temp_directory_path() / "motcua-test-receipts").string();
  test::TempDir data;  // its own folder: a second test process must not find it locked
  config.data_dir = data.path;
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  o.check_steps = false;
  Kiosk k(config, Strings::load(root + "/locales", config.locales), Catalog::load(forms_dir()), o);
  std::string error;
  REQUIRE_MESSAGE(k.open(error), error);
  const char* keep = std::getenv("MOTCUA_KEEP_SHOTS");
  std::string dir = keep ? keep : (std::filesystem::temp_directory_path() / "motcua-fidelity-shots").string();
  std::filesystem::create_directories(dir);
  for (const char* lang : {"vi", "en"})
    for (int percent : {100, 200}) {
      CAPTURE(lang);
      CAPTURE(percent);
      Session& s = k.session();
      s.apply({Intent::Kind::EndSession}, k.now());
      for (Intent in : {Intent{Intent::Kind::Start}, Intent{Intent::Kind::ChooseLanguage, lang},
                        Intent{Intent::Kind::ChooseProcedure, "quy-tac-mau"}, Intent{Intent::Kind::Next}, Intent{Intent::Kind::TypeByHand},
                        Intent{Intent::Kind::TextSize, {}, percent}})
        s.apply(in, k.now());
      s.data().field("/person/fullName") = "Nguyễn Văn An";
      s.data().field("/person/dateOfBirth") = "1961-05-02";
      s.data().field("/person/sex") = "nu";
      s.data().field("/person/hasPhone") = "no";
      s.apply({Intent::Kind::YearGrid, "/person/dateOfBirth", 1960}, k.now());
      k.settle();
      std::string name = dir + "/rules-" + std::string(lang) + "-" + std::to_string(percent);
      k.capture_next_frame(name + "-person.png");
      k.frame();
      CHECK(k.capture_error().empty());
      auto& w = k.widgets();
      REQUIRE(w.count("value/person/age"));
      CHECK(w.at("value/person/age").label == (std::string(lang) == "vi" ? "65 tuổi" : "65 years"));
      REQUIRE(w.count("field/person/phone"));
      CHECK_FALSE(w.at("field/person/phone").interactive);
      CHECK(w.count("unavailable/person/phone"));
      CHECK(w.count("date/person/dateOfBirth.year.1961"));
      for (auto& [id, r] : w) CHECK_MESSAGE(r.max.x <= k.width() + 1, id);
      s.apply({Intent::Kind::YearGrid, "/person/dateOfBirth", 0}, k.now());  // the decades
      k.settle();
      k.capture_next_frame(name + "-decades.png");
      k.frame();
      CHECK(k.widgets().count("date/person/dateOfBirth.decade.1900"));
      CHECK(k.widgets().count("date/person/dateOfBirth.decade.2020"));
      CHECK_FALSE(k.widgets().count("date/person/dateOfBirth.decade.2110"));
      for (auto& [id, r] : k.widgets()) CHECK_MESSAGE(r.max.x <= k.width() + 1, id);
      s.apply({Intent::Kind::YearGrid, "/person/dateOfBirth", 0}, k.now());  // the same button closes it
      k.settle();
      CHECK_FALSE(k.widgets().count("date/person/dateOfBirth.decade.1900"));
      // A tap on the disabled phone does not give it the keyboard.
      ImVec2 c = w.at("field/person/phone").center();
      k.inject({c, true});
      k.frame();
      k.inject({c, false});
      k.settle();
      CHECK(s.keyboard().target.empty());
      // The copies step: a money amount computed from the copies.
      s.data().field("/hasChildren") = "yes";
      s.data().field("/copies") = "3";
      s.apply({Intent::Kind::Next}, k.now());
      s.apply({Intent::Kind::Next}, k.now());
      k.settle();
      REQUIRE(s.form_step() == 3);
      k.capture_next_frame(name + "-fee.png");
      k.frame();
      REQUIRE(k.widgets().count("value/fee"));
      CHECK(k.widgets().at("value/fee").label == (std::string(lang) == "vi" ? "24.000 đ" : "24,000 đ"));
    }
  k.session().apply({Intent::Kind::EndSession}, k.now());
  if (!keep) std::filesystem::remove_all(dir);
}

// The dossier the kiosk builds after a citizen fills a bundled form on the real screens (the
// recorded runs, up to the confirm button) passes `form validate PACKAGE` without one error.
TEST_CASE("the dossier of each recorded run passes the package's own validation") {
  test::ensure_xvfb();
  KioskConfig config;
  config.printer = "file:" + (std::filesystem::temp_directory_path() / "motcua-test-receipts").string();
  test::TempDir data;  // its own folder: a second test process must not find it locked
  config.data_dir = data.path;
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  Kiosk k(config, Strings::load(root + "/locales", config.locales), Catalog::load(root + "/assets/forms"), o);
  std::string error;
  REQUIRE_MESSAGE(k.open(error), error);
  test::TempDir runs;
  std::string dir = runs.path;
  for (const char* name : {"thuong-tru", "ly-lich-tu-phap", "khai-tu", "ho-kinh-doanh"}) {
    CAPTURE(name);
    std::ifstream in(root + "/tests/fixtures/runs/" + name + ".json");
    json run = json::parse(in);
    json steps = json::array();
    for (auto& s : run["steps"]) {
      if (s.value("tap", "") == "review.confirm") break;
      steps.push_back(s);
    }
    std::ostringstream out, err;
    REQUIRE_MESSAGE(run_script(k, parse_script(json{{"steps", steps}}, name), dir, out, err) == 0, err.str());
    REQUIRE(k.session().step() == Step::Review);
    const forms::FormPackage& form = *k.session().form();
    forms::FormModel model(form, local_time("%Y-%m-%d"));
    load_answers(model, k.session().data());
    json dossier = model.dossier("3f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f");
    model.wipe();
    std::string found;
    for (auto& e : forms::check_dossier(form, dossier, local_time("%Y-%m-%d"), "en"))
      found += e.keyword + " " + e.instance_location + ": " + e.message + "\n";
    CHECK_MESSAGE(found.empty(), found);
    k.session().apply({Intent::Kind::EndSession}, k.now());
  }
  std::filesystem::remove_all(dir);
}

// `form render --data` fills repeat items, and draws only the steps that apply to the answers.
TEST_CASE("form render with --data fills repeat items and skips the steps the rules leave empty") {
  test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-render-rules";
  std::filesystem::remove_all(dir);
  auto run = [&](const std::string& args) {
    FILE* p = popen((std::string(MOTCUA_BINARY) + " " + args + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int st = pclose(p);
    return std::pair(WIFEXITED(st) ? WEXITSTATUS(st) : -1, out);
  };
  std::string data = (std::filesystem::temp_directory_path() / "motcua-render-rules.json").string();
  std::ofstream(data) << json{{"maritalStatus", "divorced"},
                              {"previousMarriages", {{{"spouseName", "Trần Văn Bình"}, {"endedBy", "divorce"}, {"divorceDecision", "12/2020"}},
                                                     {{"spouseName", "Lê Văn Cường"}, {"endedBy", "death"}}}}}
                             .dump();
  auto [status, out] = run("form render " + root + "/assets/forms/xac-nhan-hon-nhan.json --out " + dir.string() + " --data " + data);
  REQUIRE_MESSAGE(status == 0, out);
  json step2 = json::parse(std::ifstream(dir / "step-2.json"));
  CHECK(step2["widgets"].contains("field/previousMarriages/1/spouseName"));
  CHECK(step2["widgets"]["field/previousMarriages/1/spouseName"]["label"] == "Họ tên vợ/chồng trước");
  CHECK(step2["widgets"].contains("field/previousMarriages/0/divorceDecision"));
  CHECK_FALSE(step2["widgets"].contains("field/previousMarriages/1/divorceDecision"));  // ended by death
  // The rules fixture for a woman with no children: two steps apply, two are skipped.
  std::filesystem::remove_all(dir);
  std::ofstream(data) << R"({"person": {"sex": "nu"}, "hasChildren": "no"})";
  std::tie(status, out) = run("form render " + root + "/tests/fixtures/rules-form.json --out " + dir.string() + " --data " + data);
  REQUIRE_MESSAGE(status == 0, out);
  CHECK(std::filesystem::exists(dir / "step-2.png"));
  CHECK_FALSE(std::filesystem::exists(dir / "step-3.png"));
  CHECK(std::filesystem::exists(dir / "review.png"));
  std::filesystem::remove_all(dir);
}

// meta.documents on the review page: the papers to bring, required ones and originals said so.
TEST_CASE("the review lists the papers to bring from meta.documents, in vi and en") {
  test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-render-documents";
  std::string data = (std::filesystem::temp_directory_path() / "motcua-render-documents.json").string();
  std::ofstream(data) << R"({"declarant": {"fullName": "Nguyễn Thị Hương", "idNumber": "001190012345", "relationship": "Mẹ"},
                              "child": {"fullName": "Trần Minh Khuê", "dateOfBirth": "2026-11-20", "placeOfBirth": "Bệnh viện Phụ sản Hà Nội"}})";
  for (std::string lang : {"vi", "en"}) {
    std::filesystem::remove_all(dir);
    FILE* p = popen((std::string(MOTCUA_BINARY) + " form render " + root + "/assets/forms/khai-sinh.json --out " + dir.string() +
                     " --lang " + lang + " --data " + data + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    REQUIRE_MESSAGE(pclose(p) == 0, out);
    json review = json::parse(std::ifstream(dir / "review.json"));
    CAPTURE(review["widgets"].dump());
    auto label = [&](const std::string& id) { return review["widgets"].value(id, json::object()).value("label", std::string()); };
    if (lang == "vi") {
      CHECK(label("review.document.giay-chung-sinh") == "• Giấy chứng sinh — bắt buộc; mang bản chính để đối chiếu");
      CHECK(label("review.document.dang-ky-ket-hon") == "• Giấy chứng nhận kết hôn của cha mẹ (nếu có) — mang bản chính để đối chiếu");
    } else {
      CHECK(label("review.document.giay-chung-sinh") == "• Birth certificate from the hospital (giấy chứng sinh) — required; bring the original to be checked");
    }
    // Below the answers, in the order the package lists them.
    CHECK(review["widgets"]["review.document.giay-chung-sinh"]["y"] > review["widgets"]["review.edit.1"]["y"]);
    CHECK(review["widgets"]["review.document.uy-quyen"]["y"] > review["widgets"]["review.document.dang-ky-ket-hon"]["y"]);
  }
  std::filesystem::remove_all(dir);
}

// The input widgets of issue 17 on the real screens (MOTCUA_KEEP_SHOTS=DIR keeps the PNGs): a time
// by steppers, an e-mail on the letter keyboard with "@" and ".", one yes/no tick, a money amount
// on the digit pad. In vi and en at 100 % and 200 %: what each draws (the shot JSON's
// "<widget>/scope" entry) is what the session holds, every tap target is big enough and on screen.
TEST_CASE("time, email, yes-no and money widgets: the screen shows the model's value, in vi and en at 100% and 200%") {
  test::ensure_xvfb();
  KioskConfig config;
  config.printer = "file:" + (std::filesystem::temp_directory_path() / "motcua-test-receipts").string();
  test::TempDir data;  // its own folder: a second test process must not find it locked
  config.data_dir = data.path;
  KioskOptions o;
  o.window.fullscreen = false;
  o.window.hide_cursor = false;
  o.window.width = 1080;
  o.window.height = 1920;
  o.data_root = root;
  Kiosk k(config, Strings::load(root + "/locales", config.locales), Catalog::load(forms_dir()), o);
  std::string error;
  REQUIRE_MESSAGE(k.open(error), error);
  const char* keep = std::getenv("MOTCUA_KEEP_SHOTS");
  std::string dir = keep ? keep : (std::filesystem::temp_directory_path() / "motcua-widget-shots").string();
  std::filesystem::create_directories(dir);
  // Below the page's room (under "Xem thêm bên dưới" or Back and Next) a finger would press
  // those: the page is scrolled a notch at a time until the widget shows, as a person would.
  auto below_the_page = [&](const std::string& id) {
    float y = k.widgets().at(id).center().y;
    for (const char* bar : {"nav.more", "nav.back"})
      if (k.widgets().count(bar) && y >= k.widgets().at(bar).min.y) return true;
    return false;
  };
  auto tap = [&](const std::string& id) {
    k.settle();
    REQUIRE_MESSAGE(k.widgets().count(id), id);
    for (int notch = 0; notch < 30 && id.rfind("key.", 0) != 0 && below_the_page(id); ++notch) {
      k.session().on_input(k.now());
      Kiosk::Injected wheel;
      wheel.mouse = ImVec2(k.width() / 2.0f, k.height() / 3.0f);
      wheel.wheel = -1;
      k.inject(wheel);
      k.frame();
      k.inject({});
      k.settle();
    }
    ImVec2 c = k.widgets().at(id).center();
    k.inject({c, true});
    k.frame();
    k.inject({c, false});
    k.settle();
  };
  auto shown = [&](const std::string& id) {
    k.settle();
    return k.widgets().count(id) ? k.widgets().at(id).label : std::string("(not drawn)");
  };
  auto model_value = [&](const std::string& scope) {
    forms::FormModel model(*k.session().form(), local_time("%Y-%m-%d"));
    load_answers(model, k.session().data());
    json v = model.value(scope);
    model.wipe();
    return v;
  };
  auto all_on_screen = [&]() {
    float min_target = k.pixels_per_mm() * 9.0f;  // the config's minimum touch size is larger; 9 mm is the floor
    for (auto& [id, r] : k.widgets()) {
      CHECK_MESSAGE(r.max.x <= k.width() + 1, id);
      if (r.interactive && id.rfind("key.", 0) != 0 && id.rfind("chrome.", 0) != 0)
        CHECK_MESSAGE(r.max.y - r.min.y >= min_target, id);
    }
  };
  for (const char* lang : {"vi", "en"})
    for (int percent : {100, 200}) {
      CAPTURE(lang);
      CAPTURE(percent);
      bool vi = std::string(lang) == "vi";
      Session& s = k.session();
      s.apply({Intent::Kind::EndSession}, k.now());
      for (Intent in : {Intent{Intent::Kind::Start}, Intent{Intent::Kind::ChooseLanguage, lang},
                        Intent{Intent::Kind::ChooseProcedure, "o-nhap-mau"}, Intent{Intent::Kind::Next}, Intent{Intent::Kind::TypeByHand},
                        Intent{Intent::Kind::TextSize, {}, percent}})
        s.apply(in, k.now());
      REQUIRE(s.step() == Step::Form);
      std::string name = dir + "/widgets-" + std::string(lang) + "-" + std::to_string(percent);
      // Unticked: the box says no, the model says false, the address is not drawn.
      CHECK(shown("yes-no/wantsEmail") == "no");
      CHECK(model_value("/wantsEmail") == false);
      CHECK_FALSE(k.widgets().count("field/email"));
      k.capture_next_frame(name + "-unticked.png");
      k.frame();
      tap("field/wantsEmail");
      CHECK(shown("yes-no/wantsEmail") == "yes");
      CHECK(model_value("/wantsEmail") == true);
      // The address: the keyboard has "@", "." and "@gmail.com"; what is typed is what shows.
      tap("field/email");
      REQUIRE(k.widgets().count("key.@"));
      CHECK(k.widgets().count("key.."));
      CHECK_FALSE(k.widgets().count("key.tone:acute"));
      for (const char* key : {"key.a", "key.n", "key.1", "key.@gmail.com"}) tap(key);
      CHECK(shown("email/email") == "an1@gmail.com");
      CHECK(model_value("/email") == "an1@gmail.com");
      k.capture_next_frame(name + "-email.png");
      k.frame();
      all_on_screen();
      tap("key.done");
      // The time: three taps, and the screen reads what the dossier will hold.
      tap("time/appointment/time.hour.plus");
      tap("time/appointment/time.minute.plus10");
      tap("time/appointment/time.minute.minus");
      CHECK(shown("time/appointment/time") == "09:09");
      CHECK(model_value("/appointment/time") == "09:09");
      tap("time/appointment/exact.hour.minus");
      CHECK(shown("time/appointment/exact") == "07:00");
      CHECK(model_value("/appointment/exact").get<std::string>().substr(0, 8) == "07:00:00");
      k.capture_next_frame(name + "-time.png");
      k.frame();
      all_on_screen();
      tap("nav.next");
      REQUIRE(s.form_step() == 1);
      // The amount on the digit pad, grouped with "đ" while it is typed.
      tap("field/amount");
      CHECK(s.keyboard().money);
      CHECK_FALSE(k.widgets().count("key.layout"));  // no way to letters
      for (const char* key : {"key.1", "key.2", "key.5"}) tap(key);
      CHECK(shown("money/amount") == (vi ? "125 đ" : "125 đ"));
      for (const char* key : {"key.0", "key.0", "key.0", "key.0"}) tap(key);
      CHECK(shown("money/amount") == (vi ? "1.250.000 đ" : "1,250,000 đ"));
      CHECK(model_value("/amount") == 1250000);
      k.capture_next_frame(name + "-money.png");
      k.frame();
      all_on_screen();
      tap("key.done");
      tap("nav.next");  // the declaration is not ticked: refused, with the form's words under it
      CHECK(s.form_step() == 1);
      CHECK(shown("error/declaration") == (vi ? "Cần đánh dấu vào ô cam đoan để nộp hồ sơ." : "Tick the declaration to submit."));
      tap("field/declaration");
      CHECK(shown("yes-no/declaration") == "yes");
      k.capture_next_frame(name + "-declaration.png");
      k.frame();
      tap("nav.next");
      REQUIRE(s.step() == Step::Review);
      k.capture_next_frame(name + "-review.png");
      k.frame();
      // The dossier the kiosk would submit passes the package's own validation.
      forms::FormModel model(*s.form(), local_time("%Y-%m-%d"));
      load_answers(model, s.data());
      json dossier = model.dossier("3f1c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f");
      model.wipe();
      std::string found;
      for (auto& e : forms::check_dossier(*s.form(), dossier, local_time("%Y-%m-%d"), "en")) found += e.keyword + " " + e.instance_location + "\n";
      CHECK_MESSAGE(found.empty(), found);
    }
  k.session().apply({Intent::Kind::EndSession}, k.now());
  if (!keep) std::filesystem::remove_all(dir);
}

// `form render` writes a tall step whole, as numbered screenfuls: with six previous marriages the
// marital-status step runs past one screen; every item's last field is on screen in one of them.
TEST_CASE("form render writes a tall step as numbered screenfuls that together show all of it") {
  test::ensure_xvfb();
  auto dir = std::filesystem::temp_directory_path() / "motcua-render-tall";
  std::filesystem::remove_all(dir);
  std::string data = (std::filesystem::temp_directory_path() / "motcua-render-tall.json").string();
  json marriages = json::array();
  for (int i = 0; i < 6; ++i)
    marriages.push_back({{"spouseName", "Người Thứ " + std::to_string(i + 1)}, {"endedBy", "divorce"}, {"divorceDecision", std::to_string(i) + "/2020"}});
  std::ofstream(data) << json{{"maritalStatus", "divorced"}, {"previousMarriages", marriages}}.dump();
  FILE* p = popen((std::string(MOTCUA_BINARY) + " form render " + root + "/assets/forms/xac-nhan-hon-nhan.json --out " + dir.string() +
                   " --data " + data + " 2>&1").c_str(),
                  "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  REQUIRE_MESSAGE(WIFEXITED(st), out);
  REQUIRE_MESSAGE(WEXITSTATUS(st) == 0, out);
  // The first screenful alone does not show the last item; the numbered ones do, and they are listed.
  json first = json::parse(std::ifstream(dir / "step-2.json"));
  float height = first["height"].get<float>();
  auto on_screen = [&](const json& shot, const std::string& id) {
    if (!shot["widgets"].contains(id)) return false;
    float y = shot["widgets"][id]["y"].get<float>(), h = shot["widgets"][id]["h"].get<float>();
    return y >= 0 && y + h <= height * 0.9f;  // above the navigation bar
  };
  std::set<std::string> seen;
  int parts = 0;
  for (int part = 1; part <= 30; ++part) {
    auto name = part == 1 ? std::string("step-2") : "step-2-" + std::to_string(part);
    if (!std::filesystem::exists(dir / (name + ".png"))) break;
    ++parts;
    CHECK(out.find((dir / (name + ".png")).string()) != std::string::npos);
    json shot = json::parse(std::ifstream(dir / (name + ".json")));
    for (int i = 0; i < 6; ++i)
      for (const char* f : {"spouseName", "divorceDecision"}) {
        std::string id = "field/previousMarriages/" + std::to_string(i) + "/" + f;
        if (on_screen(shot, id)) seen.insert(id);
      }
  }
  CHECK(parts >= 2);
  CHECK_FALSE(on_screen(first, "field/previousMarriages/5/divorceDecision"));
  CHECK(seen.size() == 12);
  CHECK(std::filesystem::exists(dir / "step-1.png"));
  CHECK(std::filesystem::exists(dir / "review.png"));
  std::filesystem::remove_all(dir);
}
