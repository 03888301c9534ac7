// The identify step's card path in the session, with the virtual CCCD behind a CardPort that
// reads it in process: prefill through the form's bindings, locks, provenance, refusals, removal.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "devices/card/card_error.h"
#include "devices/card/cccd_reader.h"
#include "forms/model.h"
#include "terminal/core/answers.h"
#include "terminal/services/card_port.h"
#include "terminal/core/input.h"
#include "terminal/core/session.h"
#include "tests/card/virtual_cccd.h"
#include "tests/support/virtual_reader.h"

using namespace motcua;
using K = Intent::Kind;
namespace vc = motcua::card::testing;

namespace {
const std::string root = MOTCUA_SOURCE_ROOT;

const vc::TestPki& pki() {
  static vc::TestPki p = vc::TestPki::generate();
  return p;
}

// The centre's CSCA store: the test PKI's own CSCA, or a stranger's (the chain then fails).
const card::CscaStore& csca_store(bool genuine = true) {
  static std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "motcua-csca-XXXXXX").string();
    return std::string(mkdtemp(pattern.data()));
  }();
  static vc::TestPki stranger = vc::TestPki::generate();
  static card::CscaStore own = [] {
    std::ofstream(dir + "/csca.pem") << pki().csca_pem;
    return card::CscaStore::load(dir + "/csca.pem");
  }();
  static card::CscaStore other = [] {
    std::ofstream(dir + "/stranger.pem") << stranger.csca_pem;
    return card::CscaStore::load(dir + "/stranger.pem");
  }();
  return genuine ? own : other;
}

struct Fixture {
  explicit Fixture(KioskConfig c = {}) : config(std::move(c)) {}
  KioskConfig config;
  Catalog catalog = Catalog::load(root + "/assets/forms");
  test::VirtualReader reader{pki()};
  std::optional<nlohmann::json> dossier;
  Session session{config, catalog, SessionServices{[this](const forms::FormPackage& f, const std::string& uuid, const PersonalData& d, bool) {
                                                     forms::FormModel model(f, "2026-11-22");
                                                     load_answers(model, d);
                                                     dossier = dossier_of(model, d, uuid);
                                                     return SubmitReceipt{"R-1", "2026-12-01", true};
                                                   },
                                                   {}, {}, {}, {}, {}, {}, {}, {}, reader.port()}};
  TimePoint t = SteadyClock::now();

  void apply(K k, std::string arg = {}, int n = 0) {
    session.apply({k, std::move(arg), n}, t);
    session.tick(t);
  }
  void type(const std::string& digits) {
    for (char c : digits) apply(K::KeyPress, std::string(1, c));
  }
  // A card whose signature checks out, read on the form's card screen: the form's first step.
  void read_verified_card(const char* form) {
    reader.csca = &csca_store();
    to_card(form);
    type(reader.citizen.id_number);
    REQUIRE(session.step() == Step::Form);
  }
  void to_card(const char* form = "ly-lich-tu-phap") {
    apply(K::Start);
    apply(K::ChooseLanguage, "vi");
    apply(K::ChooseProcedure, form);
    apply(K::Next);  // the procedure page: "Bắt đầu khai"
    apply(K::UseCard);
    REQUIRE(session.card_stage() == CardStage::EnterId);
    REQUIRE(session.keyboard().target == "card.id");
    CHECK(session.keyboard().layout == KeyboardLayout::Digits);
  }
};
}  // namespace

TEST_CASE("Reading the card prefills the bound fields, locks what the form locks and marks the provenance") {
  Fixture f;
  f.reader.csca = &csca_store();  // the centre installed the CSCA: the card's signature checks out
  f.to_card();
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  CHECK(std::string(*f.session.data().find("/applicant/fullName")) == "NGUYỄN VĂN AN");
  CHECK(std::string(*f.session.data().find("/applicant/idNumber")) == "001099012345");
  CHECK(std::string(*f.session.data().find("/applicant/placeOfResidence")) == f.reader.citizen.place_of_residence);
  CHECK(f.session.locked_from_card("/applicant/fullName"));
  CHECK_FALSE(f.session.locked_from_card("/applicant/placeOfResidence"));
  CHECK(f.session.from_card("/applicant/placeOfResidence"));
  CHECK(f.session.card_verification() == CardVerification::Valid);
  CHECK(f.session.data().find("card.id")->empty());  // the typed ID is gone once read

  // A locked field takes no typing; an editable card field does.
  f.apply(K::FocusField, "/applicant/fullName");
  CHECK(f.session.keyboard().target.empty());
  f.session.data().field("/applicant/placeOfBirth") = "Xã Tân Phong, Tỉnh Lai Châu";  // the card has no birthplace
  f.apply(K::Next);
  f.apply(K::FocusField, "/applicant/placeOfResidence");
  f.apply(K::KeyPress, "x");
  CHECK(std::string(*f.session.data().find("/applicant/placeOfResidence")).back() == 'x');

  f.apply(K::Next);
  f.apply(K::Next);  // the parents' names came from the card
  f.apply(K::AddItem, "/residenceHistory");
  f.session.data().field("/residenceHistory/0/from") = "2013-01-01";
  f.session.data().field("/residenceHistory/0/place") = "Xã Tân Phong, Tỉnh Lai Châu";
  f.apply(K::Next);
  f.session.data().field("/certificateType") = "1";
  f.session.data().field("/purpose") = "Xin việc";
  f.apply(K::Next);
  REQUIRE(f.session.step() == Step::Review);
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  f.session.tick(f.t);
  REQUIRE(f.dossier);
  CHECK((*f.dossier)["provenance"]["/applicant/fullName"] == "card");
  CHECK((*f.dossier)["provenance"]["/purpose"] == "typed");
  // The card's value the citizen changed is theirs: the dossier does not vouch for it as the card's.
  CHECK((*f.dossier)["provenance"]["/applicant/placeOfResidence"] == "typed");
}

TEST_CASE("A wrong ID number, a badly typed one and a card wanting BAC are each told plainly") {
  Fixture f;
  f.to_card();
  f.type("12345");
  f.apply(K::ReadCard);
  CHECK(f.session.card_message() == CardMessage::IdFormat);
  CHECK(f.reader.reads == 0);
  f.apply(K::KeyPress, "backspace");
  for (int i = 0; i < 5; ++i) f.apply(K::KeyPress, "backspace");
  f.type("00109909999");
  CHECK(f.reader.reads == 0);
  f.type("9");  // the twelfth digit reads the card by itself
  CHECK(f.reader.reads == 1);
  CHECK(f.session.step() == Step::Identify);
  CHECK(f.session.card_message() == CardMessage::WrongId);
  f.session.tick(f.t);
  CHECK(f.reader.reads == 1);  // a failed read waits for the citizen, it is not retried
  f.apply(K::KeyPress, "backspace");
  f.type("8");  // corrected (still wrong): read again
  CHECK(f.reader.reads == 2);
  f.apply(K::ReadCard);  // and "Đọc thẻ" still reads on request
  CHECK(f.reader.reads == 3);

  // No card on the reader: nothing is sent to the reader at all.
  f.reader.present = false;
  f.apply(K::KeyPress, "backspace");
  f.type("9");  // twelve digits but no card: nothing tried, nothing said yet
  CHECK(f.reader.reads == 3);
  CHECK(f.session.card_message() == CardMessage::None);
  f.apply(K::ReadCard);
  CHECK(f.session.card_message() == CardMessage::NoCard);
  CHECK(f.reader.reads == 3);

  Fixture bac;
  bac.reader.files = vc::make_card_files(bac.reader.citizen, pki(), false);
  bac.reader.chip = std::make_unique<vc::VirtualCccd>(bac.reader.citizen, bac.reader.files);
  bac.to_card("thuong-tru");
  bac.type(bac.reader.citizen.id_number);  // the twelfth digit tries the read
  CHECK(bac.session.card_stage() == CardStage::EnterDates);
  CHECK(bac.session.keyboard().target == "card.dob");
  bac.type("01011999");
  bac.apply(K::FocusField, "card.expiry");
  bac.type("0101203");  // one digit short
  bac.apply(K::ReadCard);
  CHECK(bac.session.card_message() == CardMessage::DateFormat);
  bac.type("9");
  bac.apply(K::ReadCard);
  REQUIRE(bac.session.step() == Step::Form);
  CHECK(std::string(*bac.session.data().find("/applicant/fullName")) == "NGUYỄN VĂN AN");
}

TEST_CASE("Taking the card away wipes what it gave, and ending the session wipes everything") {
  Fixture f;
  f.to_card("khai-sinh");
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  CHECK(!f.session.data().find("/declarant/fullName")->empty());
  f.reader.present = false;
  f.session.tick(f.t);
  CHECK(f.session.card_data_wiped());
  CHECK(f.session.data().find("/declarant/fullName")->empty());
  CHECK(f.session.data().find("/declarant/idNumber")->empty());
  CHECK_FALSE(f.session.from_card("/declarant/fullName"));

  // Put back and read again from the form step.
  f.reader.present = true;
  f.apply(K::UseCard);
  CHECK(f.session.step() == Step::Identify);
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  CHECK(std::string(*f.session.data().find("/declarant/fullName")) == "NGUYỄN VĂN AN");

  f.apply(K::EndSession);
  CHECK(f.session.data().empty());
  auto arena = f.session.data().arena();
  CHECK(std::all_of(arena.begin(), arena.end(), [](std::byte b) { return b == std::byte{0}; }));
}

namespace {
// Reads the card and confirms the dossier (the purpose typed), from whichever step the read left.
void read_and_submit(Fixture& f) {
  f.to_card();
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  f.session.data().field("/purpose") = "Xin việc";
  for (int i = 0; i < 10 && f.session.step() == Step::Form; ++i) f.apply(K::Next);  // the form's later steps
  REQUIRE(f.session.step() == Step::Review);
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  f.session.tick(f.t);
  REQUIRE(f.dossier);
}
}  // namespace

TEST_CASE("Without a CSCA store the card prefills but locks nothing, and the dossier says the values are unverified") {
  Fixture f;  // default policy, no cscaFile
  f.to_card();
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  CHECK(f.session.card_verification() == CardVerification::Unverified);
  CHECK(std::string(*f.session.data().find("/applicant/fullName")) == "NGUYỄN VĂN AN");
  CHECK(f.session.from_card("/applicant/fullName"));
  CHECK_FALSE(f.session.locked_from_card("/applicant/fullName"));  // the form locks it; an unverified card does not
  f.apply(K::FocusField, "/applicant/fullName");
  CHECK(f.session.keyboard().target == "/applicant/fullName");
  f.apply(K::EndSession);

  Fixture g;
  read_and_submit(g);
  CHECK((*g.dossier)["provenance"]["/applicant/fullName"] == "card-unverified");
  CHECK((*g.dossier)["provenance"]["/applicant/idNumber"] == "card-unverified");
  CHECK((*g.dossier)["provenance"]["/purpose"] == "typed");
  CHECK(g.session.untrusted_cards() == 0);
}

TEST_CASE("A card whose signature fails is not used: the citizen types by hand and staff are alerted") {
  for (bool tampered : {true, false}) {
    CAPTURE(tampered);
    Fixture f;
    if (tampered) {  // DG13 changed after the issuer signed it, read against the genuine CSCA
      vc::Faults faults;
      faults.tamper_dg13 = true;
      f.reader.chip = std::make_unique<vc::VirtualCccd>(f.reader.citizen, f.reader.files, faults);
      f.reader.csca = &csca_store();
    } else {  // signed by someone the centre does not trust
      f.reader.csca = &csca_store(false);
    }
    f.to_card();
    f.type(f.reader.citizen.id_number);  // the twelfth digit reads
    CHECK(f.session.step() == Step::Identify);
    CHECK(f.session.card_message() == CardMessage::Untrusted);
    CHECK(f.session.card_verification() == CardVerification::Invalid);
    CHECK(f.session.untrusted_cards() == 1);  // the kiosk logs a staff alert on each change
    const auto* name = f.session.data().find("/applicant/fullName");
    CHECK((name == nullptr || name->empty()));
    CHECK(f.session.data().find("card.id")->empty());
    CHECK_FALSE(f.session.from_card("/applicant/fullName"));

    f.apply(K::TypeByHand);
    REQUIRE(f.session.step() == Step::Form);
    f.apply(K::FocusField, "/applicant/fullName");
    f.type("AN");
    CHECK(std::string(*f.session.data().find("/applicant/fullName")) == "An");  // names start in capitals
  }
}

TEST_CASE("cardTrust decides: an invalid card may prefill unlocked, an unverified one may lock or be refused") {
  KioskConfig prefill_invalid;
  prefill_invalid.card_invalid = CardTrust::Prefill;
  Fixture f(prefill_invalid);
  vc::Faults faults;
  faults.tamper_dg13 = true;
  f.reader.chip = std::make_unique<vc::VirtualCccd>(f.reader.citizen, f.reader.files, faults);
  f.reader.csca = &csca_store();
  f.to_card();
  f.type(f.reader.citizen.id_number);
  f.apply(K::ReadCard);
  REQUIRE(f.session.step() == Step::Form);
  CHECK(f.session.from_card("/applicant/fullName"));
  CHECK_FALSE(f.session.locked_from_card("/applicant/fullName"));
  f.apply(K::EndSession);
  Fixture f2(prefill_invalid);
  f2.reader.chip = std::make_unique<vc::VirtualCccd>(f2.reader.citizen, f2.reader.files, faults);
  f2.reader.csca = &csca_store();
  read_and_submit(f2);
  CHECK((*f2.dossier)["provenance"]["/applicant/fullName"] == "card-invalid");

  KioskConfig lock_unverified;
  lock_unverified.card_unverified = CardTrust::Lock;
  Fixture g(lock_unverified);
  g.to_card();
  g.type(g.reader.citizen.id_number);
  g.apply(K::ReadCard);
  REQUIRE(g.session.step() == Step::Form);
  CHECK(g.session.locked_from_card("/applicant/fullName"));
  g.apply(K::EndSession);
  Fixture g2(lock_unverified);
  read_and_submit(g2);
  CHECK((*g2.dossier)["provenance"]["/applicant/fullName"] == "card-unverified");  // locked, still not vouched for

  KioskConfig reject_unverified;
  reject_unverified.card_unverified = CardTrust::Reject;
  Fixture h(reject_unverified);
  h.to_card();
  h.type(h.reader.citizen.id_number);
  CHECK(h.session.step() == Step::Identify);
  CHECK(h.session.card_message() == CardMessage::Untrusted);
  CHECK(h.session.untrusted_cards() == 1);
}

TEST_CASE("Cha fills the father's block from the card, Mẹ moves it to the mother's, the citizen's own answers stay") {
  Fixture f;
  f.read_verified_card("khai-sinh");
  auto value = [&](const char* scope) {
    const auto* v = f.session.data().find(scope);
    return v ? std::string(*v) : std::string();
  };
  // Before the relationship is chosen the card fills only the requester.
  CHECK(value("/declarant/fullName") == "NGUYỄN VĂN AN");
  CHECK(value("/father/fullName").empty());
  CHECK(value("/child/ethnicity").empty());

  f.apply(K::ChooseOption, "/declarant/relationship", 0);  // Cha
  CHECK(value("/father/fullName") == "NGUYỄN VĂN AN");
  CHECK(value("/father/idNumber") == "001099012345");
  CHECK(value("/father/birthYear") == "1999");  // the year of the card's 1999-01-01
  CHECK(value("/father/ethnicity") == "Kinh");
  CHECK(value("/father/placeOfResidence") == f.reader.citizen.place_of_residence);
  CHECK(value("/child/ethnicity") == "Kinh");
  CHECK(value("/child/hometown") == "Xã Tân Phong, Tỉnh Lai Châu");
  CHECK(value("/mother/fullName").empty());
  CHECK(f.session.locked_from_card("/father/fullName"));
  CHECK_FALSE(f.session.locked_from_card("/child/hometown"));  // the parents may agree on the mother's

  // Mẹ after all: the father's block empties, the mother's fills; the child's stay (Mẹ holds for them too).
  f.apply(K::ChooseOption, "/declarant/relationship", 1);
  CHECK(value("/father/fullName").empty());
  CHECK(value("/father/idNumber").empty());
  CHECK_FALSE(f.session.from_card("/father/fullName"));
  CHECK(value("/mother/fullName") == "NGUYỄN VĂN AN");
  CHECK(value("/mother/birthYear") == "1999");
  CHECK(value("/child/ethnicity") == "Kinh");
  CHECK(value("/child/hometown") == "Xã Tân Phong, Tỉnh Lai Châu");

  // The citizen's own answers for the child stay through any later change of the relationship.
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 1);
  f.apply(K::ChooseOption, "/child/ethnicity", 5);  // Hoa
  f.apply(K::FocusField, "/child/hometown");
  f.apply(K::KeyPress, "x");  // typed into: the citizen's now
  CHECK_FALSE(f.session.from_card("/child/ethnicity"));
  CHECK_FALSE(f.session.from_card("/child/hometown"));
  f.apply(K::Back);
  REQUIRE(f.session.form_step() == 0);
  f.apply(K::ChooseOption, "/declarant/relationship", 3);  // Bà: no parent's block from her card
  CHECK(value("/mother/fullName").empty());
  CHECK(value("/child/ethnicity") == "Hoa");
  CHECK(value("/child/hometown") == "Xã Tân Phong, Tỉnh Lai Châux");

  // Taking the card away takes the held values too: choosing Cha again fills nothing.
  f.reader.present = false;
  f.session.tick(f.t);
  f.apply(K::ChooseOption, "/declarant/relationship", 0);
  CHECK(value("/father/fullName").empty());
  for (const char* scope : {"held:/father/fullName", "held:/mother/idNumber", "held:/child/hometown"})
    CHECK(value(scope).empty());
}

TEST_CASE("The father's block from the card goes into the dossier as the card's") {
  Fixture f;
  f.read_verified_card("khai-sinh");
  f.apply(K::ChooseOption, "/declarant/relationship", 0);
  f.apply(K::Next);
  auto& d = f.session.data();
  d.field("/child/fullName") = "Nguyễn Minh Khang";
  d.field("/child/dateOfBirth") = "2026-11-25";
  d.field("/child/placeOfBirth") = "Bệnh viện Phụ sản Hà Nội";
  f.apply(K::ChooseOption, "/child/sex", 0);
  f.apply(K::Next);
  REQUIRE(f.session.form_step() == 2);
  d.field("/mother/fullName") = "Lê Thị Hương";
  d.field("/mother/birthYear") = "2000";
  f.apply(K::ChooseOption, "/mother/ethnicity", 0);
  d.field("/mother/placeOfResidence") = "Số 12 Ngõ 34 Phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội";
  for (int i = 0; i < 6 && f.session.step() == Step::Form; ++i) f.apply(K::Next);
  REQUIRE(f.session.step() == Step::Review);
  f.apply(K::ToggleConsent);
  f.apply(K::Confirm);
  f.session.tick(f.t);
  REQUIRE(f.dossier);
  const auto& data = (*f.dossier)["data"];
  CHECK(data["father"]["fullName"] == "NGUYỄN VĂN AN");
  CHECK(data["father"]["birthYear"] == 1999);
  CHECK(data["father"]["nationality"] == "Việt Nam");
  CHECK(data["child"]["hometown"] == "Xã Tân Phong, Tỉnh Lai Châu");
  CHECK((*f.dossier)["provenance"]["/father/fullName"] == "card");
  CHECK((*f.dossier)["provenance"]["/child/ethnicity"] == "card");
  CHECK((*f.dossier)["provenance"]["/mother/ethnicity"] == "typed");
}

TEST_CASE("With a reader the identify step opens on the card screen, Back shows the choice, then the procedure page") {
  Fixture f;
  f.apply(K::Start);
  f.apply(K::ChooseLanguage, "vi");
  f.apply(K::ChooseProcedure, "khai-sinh");
  f.apply(K::Next);
  REQUIRE(f.session.step() == Step::Identify);
  CHECK(f.session.waiting_for_card());
  CHECK(f.session.card_stage() == CardStage::EnterId);
  CHECK(f.session.keyboard().target == "card.id");  // the pad is open on the ID number
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Identify);
  CHECK_FALSE(f.session.waiting_for_card());  // the choice: card or by hand
  CHECK(f.session.keyboard().target.empty());
  f.apply(K::UseCard);
  CHECK(f.session.waiting_for_card());
  f.apply(K::Back);
  f.apply(K::Back);
  CHECK(f.session.step() == Step::Procedure);
  f.apply(K::Next);
  f.apply(K::TypeByHand);
  REQUIRE(f.session.step() == Step::Form);
  f.apply(K::Back);  // from the form's first step: the card screen again, the card still the way in
  CHECK(f.session.step() == Step::Identify);
  CHECK(f.session.waiting_for_card());
}

TEST_CASE("A reader whose card library is not installed sends the citizen to typing by hand, not to retrying the card") {
  using O = CardReadResult::Outcome;
  auto outcome_of = [](card::CardErrorKind kind) {
    card::ReadOutcome failed;
    failed.error = card::CardError(kind, "PACE: libeac.so.3 cannot be opened (install the libeac3 package)");
    return to_session_result(failed).outcome;
  };
  CHECK(outcome_of(card::CardErrorKind::NotInstalled) == O::NoReader);  // no card can be read here
  CHECK(outcome_of(card::CardErrorKind::Unsupported) == O::Unreadable);  // this card: try again, or type
  CHECK(outcome_of(card::CardErrorKind::NoService) == O::NoReader);
}
