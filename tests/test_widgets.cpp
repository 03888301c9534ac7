// The form widgets' session side on the bundled marital-status form: option buttons, a
// searchable list, a repeat with add and remove, the signature pad, and the dossier they make.
#include <doctest/doctest.h>

#include <stb_image.h>

#include "forms/admin_units.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/services/outbox/envelope.h"
#include "terminal/core/session.h"
#include "terminal/core/signature.h"

using namespace motcua;
using K = Intent::Kind;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

const forms::AdminUnits& places() {
  static forms::AdminUnits units = forms::AdminUnits::load(root + "/assets/places/vn-2025-07-01.csv");
  return units;
}

struct Fixture {
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  std::optional<nlohmann::json> dossier;
  Session session{config, catalog,
                  SessionServices{[this](const forms::FormPackage& f, const std::string& uuid, const PersonalData& d, bool) {
                                    forms::FormModel model(f, "2026-11-22");
                                    load_answers(model, d);
                                    dossier = model.dossier(uuid);
                                    return SubmitReceipt{"R-1", "2026-12-01", true};
                                  },
                                  {}, {}, validate_step, {}, {}, {}, {}, {}, {}, &places()}};
  TimePoint t = SteadyClock::now();
  void apply(K k, std::string arg = {}, int n = 0) {
    session.apply({k, std::move(arg), n}, t);
    session.tick(t);
  }
  void by_hand(const char* form) {  // the form's first step, the card declined
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, form);
    apply(K::Next);
    apply(K::TypeByHand);
  }
  std::string field(const std::string& scope) {
    const auto* v = session.data().find(scope);
    return v ? std::string(*v) : "";
  }
  std::vector<std::string> errors() {
    std::vector<std::string> out;
    for (auto& e : session.step_errors()) out.push_back(e.scope);
    return out;
  }
};

int option_index(const Session& s, const std::string& scope, const std::string& value) {
  auto options = forms::choices(*s.form(), *s.control_at(scope), scope);
  for (size_t i = 0; i < options.size(); ++i)
    if (options[i].value == value) return static_cast<int>(i);
  return -1;
}
}  // namespace

TEST_CASE("Options, a searchable list, a repeat and a signature make the dossier the schema wants") {
  Fixture f;
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "xac-nhan-hon-nhan");
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  f.apply(K::TypeByHand);
  REQUIRE(f.session.step() == Step::Form);
  f.session.data().field("/applicant/fullName") = "Lê Thị Hoa";
  f.session.data().field("/applicant/idNumber") = "001199012345";
  f.session.data().field("/applicant/dateOfBirth") = "1995-06-15";
  f.session.data().field("/applicant/placeOfResidence") = "Xã Tân Phong, Tỉnh Lai Châu";
  f.apply(K::ChooseOption, "/applicant/sex", option_index(f.session, "/applicant/sex", "Nữ"));
  CHECK(f.field("/applicant/sex") == "Nữ");
  f.apply(K::ChooseOption, "/applicant/sex", 7);  // no such option: nothing changes
  CHECK(f.field("/applicant/sex") == "Nữ");
  // The list's search box is its own field, not an answer; choosing clears it.
  f.apply(K::FocusField, "search:/applicant/ethnicity");
  for (const char* k : {"e", "d", "e"}) f.apply(K::KeyPress, k);
  CHECK(f.field("search:/applicant/ethnicity") == "ede");
  f.apply(K::ChooseOption, "/applicant/ethnicity", option_index(f.session, "/applicant/ethnicity", "Ê Đê"));
  CHECK(f.field("/applicant/ethnicity") == "Ê Đê");
  CHECK(f.field("search:/applicant/ethnicity").empty());
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);

  // Divorced: the list of previous marriages must have an item, and each item its fields.
  f.apply(K::ChooseOption, "/maritalStatus", option_index(f.session, "/maritalStatus", "divorced"));
  f.apply(K::Next);
  CHECK(f.session.form_step() == 1);
  CHECK(f.errors() == std::vector<std::string>{"/previousMarriages"});
  f.apply(K::AddItem, "/previousMarriages");
  f.apply(K::AddItem, "/previousMarriages");
  CHECK(f.session.item_count("/previousMarriages") == 2);
  f.session.data().field("/previousMarriages/0/spouseName") = "Trần Văn Bình";
  f.session.data().field("/previousMarriages/1/spouseName") = "Phạm Văn Cường";
  f.apply(K::Next);
  auto errs = f.errors();
  CHECK(std::count(errs.begin(), errs.end(), "/previousMarriages/0/endedOn") == 1);
  CHECK(std::count(errs.begin(), errs.end(), "/previousMarriages/1/endedBy") == 1);
  // Removing the first item moves the second up.
  f.apply(K::RemoveItem, "/previousMarriages", 0);
  CHECK(f.session.item_count("/previousMarriages") == 1);
  CHECK(f.field("/previousMarriages/0/spouseName") == "Phạm Văn Cường");
  CHECK(f.field("/previousMarriages/1/spouseName").empty());
  f.session.data().field("/previousMarriages/0/endedOn") = "2020-03-15";
  f.apply(K::ChooseOption, "/previousMarriages/0/endedBy", 0);
  // Ended by divorce: the same item asks for the court's decision (a rule on "./endedBy").
  f.apply(K::Next);
  CHECK(f.errors() == std::vector<std::string>{"/previousMarriages/0/divorceDecision"});
  f.session.data().field("/previousMarriages/0/divorceDecision") = "12/2020/QĐST-HNGĐ";
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 2);

  f.apply(K::ChooseOption, "/purpose", option_index(f.session, "/purpose", "marriage"));
  f.session.data().field("/intendedSpouse/fullName") = "Kim Min Jun";
  f.apply(K::ChooseOption, "/intendedSpouse/nationality", option_index(f.session, "/intendedSpouse/nationality", "Hàn Quốc"));
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 3);

  // No signature: Next is refused; a signature drawn and cleared is none; drawn again, it goes.
  f.apply(K::Next);
  CHECK(f.errors() == std::vector<std::string>{"/signature"});
  f.apply(K::SignStart, "/signature", 1000 * 10000 + 5000);
  f.apply(K::SignPoint, "/signature", 5000 * 10000 + 2000);
  f.apply(K::SignEnd, "/signature", 9000 * 10000 + 7000);
  CHECK(!f.field("/signature").empty());
  f.apply(K::SignClear, "/signature");
  CHECK(f.field("/signature").empty());
  f.apply(K::SignStart, "/signature", 1000 * 10000 + 5000);
  f.apply(K::SignPoint, "/signature", 5000 * 10000 + 2000);
  f.apply(K::SignPoint, "/signature", 9000 * 10000 + 7000);
  f.apply(K::SignEnd, "/signature", 9000 * 10000 + 7000);
  f.apply(K::Next);
  REQUIRE(f.session.step() == Step::Review);
  // The review leaves out what the rules hide: "what for" belongs to the other purpose.
  CHECK(f.session.hidden_on_review("/purposeOther"));
  CHECK_FALSE(f.session.hidden_on_review("/intendedSpouse/fullName"));
  CHECK_FALSE(f.session.hidden_on_review("/previousMarriages"));
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  f.session.tick(f.t);
  REQUIRE(f.dossier);
  const auto& data = (*f.dossier)["data"];
  CHECK(data["applicant"]["ethnicity"] == "Ê Đê");
  CHECK(data["previousMarriages"].size() == 1);
  CHECK(data["previousMarriages"][0]["spouseName"] == "Phạm Văn Cường");
  CHECK(data["previousMarriages"][0]["endedBy"] == "divorce");
  CHECK(data["previousMarriages"][0]["divorceDecision"] == "12/2020/QĐST-HNGĐ");
  CHECK(data["intendedSpouse"]["nationality"] == "Hàn Quốc");
  std::string png = outbox::unbase64(data["signature"].get<std::string>());
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()), int(png.size()), &w, &h, &n, 1);
  REQUIRE(px);
  CHECK(w == 600);
  CHECK(h == 200);
  // Ink along the first stroke's middle, paper far from it.
  auto at = [&](float fx, float fy) { return px[int(fy * (h - 1)) * w + int(fx * (w - 1))]; };
  CHECK(at(0.3f, 0.35f) < 128);
  CHECK(at(0.1f, 0.95f) == 255);
  stbi_image_free(px);
}

TEST_CASE("A signature with no ink is no signature") {
  CHECK(signature_png_base64("").empty());
  CHECK(signature_png_base64("|").empty());
  CHECK_FALSE(signature_png_base64("10,10").empty());  // a dot is ink
}

TEST_CASE("Checkboxes keep one value per line in the form's order and give the dossier an array") {
  Fixture f;
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "khai-tu");
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  f.apply(K::TypeByHand);
  auto& d = f.session.data();
  d.field("/declarant/fullName") = "Trần Văn Hùng";
  d.field("/declarant/idNumber") = "001099012345";
  f.apply(K::ChooseOption, "/declarant/relationship", 1);
  f.apply(K::Next);
  d.field("/deceased/fullName") = "Trần Văn Minh";
  d.field("/deceased/dateOfBirth") = "1950-02-03";
  d.field("/deceased/lastResidence") = "Thôn 3, Xã Tân Phong";
  f.apply(K::ChooseOption, "/deceased/sex", 0);
  f.apply(K::ChooseOption, "/deceased/nationality", 0);
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 2);
  f.apply(K::ToggleOption, "/attachments", 2);
  f.apply(K::ToggleOption, "/attachments", 0);
  f.apply(K::ToggleOption, "/attachments", 1);
  f.apply(K::ToggleOption, "/attachments", 1);  // on and off again
  CHECK(f.field("/attachments") == "death-notice\nauthorisation");
  f.apply(K::ToggleOption, "/attachments", 9);  // no such option
  f.apply(K::ToggleOption, "/declarant/relationship", 0);  // not a checkbox field here
  CHECK(f.field("/attachments") == "death-notice\nauthorisation");
  forms::FormModel model(*f.session.form(), "2026-11-22");
  load_answers(model, f.session.data());
  CHECK(model.value("/attachments") == nlohmann::json::array({"death-notice", "authorisation"}));
  model.wipe();
}

TEST_CASE("The address picker writes names and official codes together, from the places list only") {
  Fixture f;
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "thuong-tru");
  f.apply(K::Next);  // the procedure page: "Bắt đầu khai"
  f.apply(K::TypeByHand);
  auto& d = f.session.data();
  d.field("/applicant/fullName") = "Phạm Văn An";
  d.field("/applicant/idNumber") = "001099012345";
  d.field("/applicant/dateOfBirth") = "1990-01-01";
  d.field("/applicant/sex") = "Nữ";
  d.field("/applicant/phone") = "0912345678";
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  const std::string a = "/residence/newAddress";
  f.apply(K::Next);  // nothing chosen: one sentence for the address, not one per missing part
  REQUIRE(f.session.form_step() == 1);
  CHECK(f.errors() == std::vector<std::string>{a});

  // A province first: its name and code; a commune of another province is dropped with it.
  auto index_of = [](const char* code) {
    for (size_t i = 0; i < places().provinces().size(); ++i)
      if (places().provinces()[i].code == code) return static_cast<int>(i);
    return -1;
  };
  f.apply(K::ChooseProvince, a, index_of("12"));
  CHECK(f.field(a + "/province") == "Tỉnh Lai Châu");
  CHECK(f.field(a + "/provinceCode") == "12");
  f.apply(K::ChooseUnit, a, 3408);
  CHECK(f.field(a + "/commune") == "Phường Tân Phong");
  CHECK(f.field(a + "/communeCode") == "03408");
  f.apply(K::ChooseUnit, a, 99999);  // no such unit: nothing changes
  f.apply(K::ChooseProvince, a, 34);  // no such province
  CHECK(f.field(a + "/communeCode") == "03408");
  f.apply(K::ChooseProvince, a, index_of("01"));
  CHECK(f.field(a + "/province") == "Thành phố Hà Nội");
  CHECK(f.field(a + "/commune").empty());
  CHECK(f.field(a + "/communeCode").empty());
  // Re-choosing the same province keeps the commune.
  f.apply(K::ChooseUnit, a, 256);
  f.apply(K::ChooseProvince, a, index_of("01"));
  CHECK(f.field(a + "/commune") == "Phường Hai Bà Trưng");
  // A commune found across the country brings its province along, and clears the search box.
  f.apply(K::FocusField, "search:" + a + "/commune");
  for (const char* k : {"l", "a", "m", "space", "b", "i", "n", "h"}) f.apply(K::KeyPress, k);
  f.apply(K::ChooseUnit, a, 2266);
  CHECK(f.field(a + "/province") == "Tỉnh Tuyên Quang");
  CHECK(f.field(a + "/provinceCode") == "08");
  CHECK(f.field(a + "/commune") == "Xã Lâm Bình");
  CHECK(f.field("search:" + a + "/commune").empty());
  CHECK(f.session.keyboard().target.empty());
  // The picker only acts on address controls.
  f.apply(K::ChooseUnit, "/residence/reason", 2266);
  CHECK(f.field("/residence/reason").empty());
  // The street is typed; leaving it counts for the address as a whole.
  f.apply(K::FocusField, a + "/street");
  for (const char* k : {"shift", "t", "h"}) f.apply(K::KeyPress, k);
  f.apply(K::FocusField, "");
  CHECK(f.errors() == std::vector<std::string>{a});  // too short: under the address
  f.apply(K::FocusField, a + "/street");
  for (const char* k : {"o", "shape:circumflex", "n", "space", "layout", "3"}) f.apply(K::KeyPress, k);
  f.apply(K::FocusField, "");
  CHECK(f.errors().empty());
  CHECK(address_line(*f.session.form(), d, a) == "Thôn 3, Xã Lâm Bình, Tỉnh Tuyên Quang");
  f.apply(K::Next);
  d.field("/household/headName") = "Phạm Văn Hùng";  // CT01 items 7 to 9, then no members
  d.field("/household/relationship") = "Con";
  d.field("/household/headIdNumber") = "001065012345";
  f.apply(K::Next);
  f.apply(K::Next);
  REQUIRE(f.session.step() == Step::Review);
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  for (int i = 0; i < 5 && !f.dossier; ++i) f.session.tick(f.t);
  REQUIRE(f.dossier);
  CHECK((*f.dossier)["data"]["residence"]["newAddress"] == nlohmann::json{{"province", "Tỉnh Tuyên Quang"}, {"provinceCode", "08"},
                                                                         {"commune", "Xã Lâm Bình"}, {"communeCode", "02266"},
                                                                         {"street", "Thôn 3"}});
}

TEST_CASE("A date typed on the digit pad as day, month and year goes in once it is a real date inside the bounds") {
  Fixture f;
  f.by_hand("khai-sinh");
  f.session.data().field("/declarant/fullName") = "Lê Thị Hương";
  f.session.data().field("/declarant/idNumber") = "001300012346";
  f.apply(K::ChooseOption, "/declarant/relationship", 1);
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  const std::string target = "date:/child/dateOfBirth";
  auto type = [&](const std::string& keys) {
    for (char c : keys) f.apply(K::KeyPress, std::string(1, c));
  };
  f.apply(K::FocusField, target);
  REQUIRE(f.session.keyboard().target == target);
  CHECK(f.session.keyboard().layout == KeyboardLayout::Digits);
  CHECK(f.session.keyboard().digits_only);
  type("3102");
  CHECK(f.field(target) == "31/02");  // shown as the citizen reads a date
  type("2025");
  CHECK(f.field(target) == "31/02/2025");  // no 31 February: kept to correct, the date untouched
  CHECK(f.field("/child/dateOfBirth").empty());
  CHECK(f.session.keyboard().target == target);
  type("9");  // a ninth digit is not taken
  CHECK(f.field(target) == "31/02/2025");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  CHECK(f.field(target) == "31/0");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  f.apply(K::KeyPress, "backspace");
  type("010121");  // a birth in 2100 is after today: the bounds hold as on the steppers
  type("00");
  CHECK(f.field(target) == "01/01/2100");
  CHECK(f.field("/child/dateOfBirth").empty());
  for (int i = 0; i < 4; ++i) f.apply(K::KeyPress, "backspace");
  type("2024");
  CHECK(f.field("/child/dateOfBirth") == "2024-01-01");
  CHECK(f.session.keyboard().target.empty());  // the date is in: the pad closes
  CHECK(f.field(target).empty());
  // Left half typed: the digits go, the date keeps what it had.
  f.apply(K::FocusField, target);
  type("1503");
  f.apply(K::FocusField, "/child/placeOfBirth");
  CHECK(f.field(target).empty());
  CHECK(f.field("/child/dateOfBirth") == "2024-01-01");
}

TEST_CASE("Touching a choice or a stepper puts the keyboard away, a list's own search keeps it until the choice") {
  Fixture f;
  f.by_hand("khai-sinh");
  f.apply(K::FocusField, "/declarant/fullName");
  f.apply(K::KeyPress, "A");
  REQUIRE(f.session.keyboard().target == "/declarant/fullName");
  CHECK(f.errors().empty());
  f.apply(K::ChooseOption, "/declarant/relationship", 1);
  CHECK(f.session.keyboard().target.empty());
  CHECK(f.field("/declarant/relationship") == "Mẹ");
  CHECK(f.field("/declarant/fullName") == "A");
  auto errors = f.errors();
  CHECK(std::count(errors.begin(), errors.end(), "/declarant/fullName") == 1);  // left with one letter: checked at once
  f.session.data().field("/declarant/fullName") = "Lê Thị Hương";
  f.session.data().field("/declarant/idNumber") = "001300012346";
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  f.apply(K::FocusField, "/child/fullName");
  f.apply(K::AdjustDate, "/child/dateOfBirth", -1);
  CHECK(f.session.keyboard().target.empty());
  f.apply(K::FocusField, "/child/placeOfBirth");
  f.apply(K::Back);  // a step left with the keyboard open: it does not follow to type unseen
  CHECK(f.session.keyboard().target.empty());
  f.apply(K::Next);
  f.apply(K::FocusField, "search:/child/ethnicity");
  f.apply(K::KeyPress, "t");
  CHECK(f.session.keyboard().target == "search:/child/ethnicity");
  f.apply(K::ChooseOption, "/child/ethnicity", 0);
  CHECK(f.session.keyboard().target.empty());
  CHECK(f.field("search:/child/ethnicity").empty());
}
