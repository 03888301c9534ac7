// motcua-vcard: the virtual CCCD on a vsmartcard-vpcd reader, for tests and the demo kiosk.
// Synthetic citizen data only. Runs until SIGTERM/SIGINT or until a removal fault fires.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/card/vpcd_link.h"

using namespace motcua::card;
using namespace motcua::card::testing;

namespace {
std::atomic<bool> stop{false};
void on_signal(int) { stop = true; }

int usage(const std::string& msg) {
  std::fprintf(stderr,
               "motcua-vcard: %s\n"
               "usage: motcua-vcard [--port 35963] [--citizen FILE.json] [--id 12DIGITS] [--no-pace] [--extended]\n"
               "                    [--max-le N] [--truncate DG:BYTES] [--remove-after N] [--mute-after N]\n"
               "                    [--more-data-after N]\n"
               "                    [--tamper-dg13] [--leave-after SECONDS] [--csca-out FILE.pem] [--repeat]\n"
               "                    [--jpeg2000-photo]\n",
               msg.c_str());
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  int port = 35963;
  Citizen citizen;
  Faults faults;
  bool pace = true, repeat = false, jpeg2000 = false;
  std::string csca_out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--port") port = std::stoi(next());
      else if (a == "--id") citizen.id_number = next();
      else if (a == "--citizen") {
        std::ifstream in(next());
        nlohmann::json j = nlohmann::json::parse(in);
        auto set = [&](const char* key, std::string& field) {
          if (j.contains(key)) field = j[key].get<std::string>();
        };
        set("idNumber", citizen.id_number);
        set("fullName", citizen.full_name);
        set("dateOfBirth", citizen.date_of_birth);
        set("sex", citizen.sex);
        set("placeOfOrigin", citizen.place_of_origin);
        set("placeOfResidence", citizen.place_of_residence);
        set("dateOfIssue", citizen.date_of_issue);
        set("dateOfExpiry", citizen.date_of_expiry);
        set("fatherName", citizen.father_name);
        set("motherName", citizen.mother_name);
        set("spouseName", citizen.spouse_name);
        set("oldIdNumber", citizen.old_id_number);
      } else if (a == "--no-pace") pace = false;
      else if (a == "--extended") faults.extended_length = true;
      else if (a == "--max-le") faults.max_le = size_t(std::stoul(next(), nullptr, 0));
      else if (a == "--truncate") {
        std::string v = next();
        size_t colon = v.find(':');
        if (colon == std::string::npos) return usage("--truncate: expected DG:BYTES such as 13:300");
        faults.truncate_dg = std::stoi(v.substr(0, colon));
        faults.truncate_to = std::stoul(v.substr(colon + 1));
      } else if (a == "--remove-after") faults.remove_after = std::stoi(next());
      else if (a == "--mute-after") faults.mute_after = std::stoi(next());
      else if (a == "--more-data-after") faults.more_data_after = std::stoi(next());
      else if (a == "--tamper-dg13") faults.tamper_dg13 = true;
      else if (a == "--leave-after") faults.leave_after_seconds = std::stod(next());
      else if (a == "--csca-out") csca_out = next();
      else if (a == "--repeat") repeat = true;
      else if (a == "--jpeg2000-photo") jpeg2000 = true;
      else return usage("unknown option '" + a + "'");
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (!is_id_number(citizen.id_number)) return usage("--id: expected 12 digits");
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  TestPki pki = TestPki::generate();
  if (!csca_out.empty()) std::ofstream(csca_out) << pki.csca_pem;
  CardFiles files = make_card_files(citizen, pki, pace);
  if (jpeg2000) {  // the photo as a JPEG 2000 codestream, as some cards carry it; the SOD signs it
    files.groups[2] = make_dg2(synthetic_face_j2k(), true);
    files.sod = make_sod(files.groups, pki);
  }
  do {
    VirtualCccd card(citizen, files, faults);
    std::string why = serve_over_vpcd(card, "127.0.0.1", port, stop);
    std::fprintf(stderr, "motcua-vcard: %s (%d commands)\n", why.c_str(), card.apdus());
    if (why.rfind("no vpcd", 0) == 0) return 1;
  } while (repeat && !stop);
  return 0;
}
