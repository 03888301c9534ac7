#include "terminal/cli/cli_card.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "devices/card/card_error.h"
#include "devices/card/card_service.h"
#include "devices/card/cccd_reader.h"
#include "devices/card/pcsc.h"

namespace motcua {

const char* kCardHelp = R"(Chip ID card (CCCD) over PC/SC:
  motcua card list [--json]
      readers and whether a card is on each
  motcua card read --id 12DIGITS [--reader NAME] [--dob YYYY-MM-DD --expiry YYYY-MM-DD]
                   [--photo FILE] [--csca FILE]
      reads the card (PACE with the last 6 digits of the ID, else BAC with the dates) and prints
      JSON: idNumber, fullName, dateOfBirth, sex, nationality, ethnicity, religion, placeOfOrigin,
      placeOfResidence, identifyingMarks, dateOfIssue, dateOfExpiry, fatherName, motherName,
      spouseName, oldIdNumber, mrz {...}, access, passiveAuthentication {status, reason}, apdus;
      --photo also reads DG2 and writes the face image as stored (JPEG or JPEG 2000);
      --csca checks the document signer against a PEM bundle or an ICAO master list
  Exit status: 0 read, 1 the card refused access (wrong ID number or dates),
               2 unusable input, no reader, no card, or the card left or failed mid-read.
)";

namespace {
using namespace motcua::card;
using nlohmann::json;

int fail(std::ostream& err, const std::string& msg, int status = 2) {
  err << "motcua card: " << msg << "\n";
  return status;
}

std::string plain(const SecretText& s) { return std::string(s.data(), s.size()); }

int list(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool as_json = false;
  for (const auto& a : args) {
    if (a == "--json") as_json = true;
    else return fail(err, "list: unknown option '" + a + "'");
  }
  PcscContext context;
  auto readers = context.readers();
  if (as_json) {
    json j = json::array();
    for (const auto& r : readers) j.push_back({{"reader", r.name}, {"card", r.card_present}, {"inUse", r.card_in_use}});
    out << j.dump(2) << "\n";
    return 0;
  }
  if (readers.empty()) out << "no card reader connected\n";
  for (const auto& r : readers)
    out << r.name << "\t" << (r.card_present ? (r.card_in_use ? "card (in use)" : "card") : "no card") << "\n";
  return 0;
}

int read(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string reader_name, photo_path, csca_path;
  ReadRequest request;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    std::optional<std::string> v;
    if (a == "--id" || a == "--reader" || a == "--dob" || a == "--expiry" || a == "--photo" || a == "--csca") {
      v = value();
      if (!v) return fail(err, "read: " + a + " needs a value");
    }
    if (a == "--id") request.id_number = SecretText(*v);
    else if (a == "--reader") reader_name = *v;
    else if (a == "--dob") request.date_of_birth = SecretText(*v);
    else if (a == "--expiry") request.date_of_expiry = SecretText(*v);
    else if (a == "--photo") photo_path = *v;
    else if (a == "--csca") csca_path = *v;
    else return fail(err, "read: unknown option '" + a + "'");
  }
  if (request.id_number.empty()) return fail(err, "read: --id 12DIGITS is required");
  if (!is_id_number(request.id_number)) return fail(err, "read: --id: expected the 12 digits of the ID number");
  if (request.date_of_birth.empty() != request.date_of_expiry.empty())
    return fail(err, "read: --dob and --expiry go together");
  if (!request.date_of_birth.empty()) {
    try {
      mrz_key_from_id(request.id_number, request.date_of_birth, request.date_of_expiry);
    } catch (const std::invalid_argument& e) {
      return fail(err, std::string("read: --") + e.what());
    }
  }
  if (!csca_path.empty()) {
    try {
      request.csca = std::make_shared<const CscaStore>(CscaStore::load(csca_path));
    } catch (const std::exception& e) {
      return fail(err, e.what());
    }
  }
  request.photo = !photo_path.empty();

  std::string reader;
  {
    PcscContext context;
    reader = choose_reader(context.readers(), reader_name);
  }
  auto started = std::chrono::steady_clock::now();
  // On its own thread with a deadline per answer: a card that goes silent cannot hang the command.
  CardRead result = read_with_deadline(reader, std::move(request), std::chrono::seconds(5));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  json j;
  for (const auto& [name, value] : card_fields_of(result)) j[name] = plain(value);
  if (result.citizen.expiry_is_indefinite) j["dateOfExpiry"] = nullptr;
  j["dateOfExpiryText"] = plain(result.citizen.date_of_expiry);
  const Td1& m = result.mrz;
  j["mrz"] = {{"documentCode", plain(m.document_code)}, {"issuingState", plain(m.issuing_state)},
              {"documentNumber", plain(m.document_number)}, {"optionalData", plain(m.optional_data1)},
              {"dateOfBirth", plain(m.date_of_birth)}, {"sex", plain(m.sex)},
              {"dateOfExpiry", plain(m.date_of_expiry)}, {"nationality", plain(m.nationality)},
              {"surname", plain(m.surname)}, {"givenNames", plain(m.given_names)}, {"checkDigitsValid", m.checks_ok}};
  j["access"] = result.access;
  j["passiveAuthentication"] = {{"status", pa_status_name(result.passive_authentication.status)},
                                {"reason", result.passive_authentication.reason}};
  j["apdus"] = result.apdus;
  j["seconds"] = std::round(seconds * 1000) / 1000;
  j["reader"] = reader;
  if (result.photo) {
    // Decoded before anything is written: a photo that cannot be read (or a missing decoder)
    // leaves no file of a citizen's face behind.
    Pixels px = decode_face(*result.photo);
    std::ofstream f(photo_path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(result.photo->encoded.data()), std::streamsize(result.photo->encoded.size()));
    if (!f) return fail(err, photo_path + ": cannot write the photo");
    j["photo"] = {{"file", photo_path},
                  {"format", result.photo->format == ImageFormat::Jpeg ? "jpeg" : "jpeg2000"},
                  {"width", px.width},
                  {"height", px.height}};
  }
  out << j.dump(2) << "\n";
  return 0;
}
}  // namespace

int card_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return fail(err, "expected 'card list' or 'card read' (see motcua --help)");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "list") return list(rest, out, err);
    if (args[0] == "read") return read(rest, out, err);
  } catch (const CardError& e) {
    if (e.kind() == CardErrorKind::AccessDenied) return fail(err, std::string(e.what()), 1);
    if (e.kind() == CardErrorKind::NeedsMrzData)
      return fail(err, std::string(e.what()) + ": give --dob YYYY-MM-DD --expiry YYYY-MM-DD");
    return fail(err, e.what());
  } catch (const std::invalid_argument& e) {
    return fail(err, e.what());
  }
  return fail(err, "unknown card command '" + args[0] + "'");
}

}  // namespace motcua
