// Writes the binary seed corpora of the card fuzzers from the virtual CCCD's file builders (the
// same files the card tests read): seed_cards OUTDIR → OUTDIR/{card,dg2,sm}/NAME.
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/card/card_files.h"

using namespace motcua::card;
using namespace motcua::card::testing;

namespace {
void put(const std::string& dir, const std::string& name, std::span<const uint8_t> bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::string out = argv[1];
  TestPki pki = TestPki::generate();
  Citizen c;
  Citizen other;
  other.parents_in_one_sequence = true;
  other.spouse_name = "LÊ THỊ HOA";
  other.date_of_expiry = "Không thời hạn";
  CardFiles files = make_card_files(c, pki, true, synthetic_face_jpeg(24, 32));
  put(out + "/card", "dg1", files.groups[1]);
  put(out + "/card", "dg13", files.groups[13]);
  put(out + "/card", "dg13-nested", make_dg13(other));
  put(out + "/card", "sod", files.sod);
  put(out + "/card", "com", files.com);
  put(out + "/card", "card-access", files.card_access);
  put(out + "/dg2", "jpeg", make_dg2(synthetic_face_jpeg(24, 32)));
  put(out + "/dg2", "j2k", make_dg2(synthetic_face_j2k(64, 64), true));
  put(out + "/dg2", "j2k-subsampled", make_dg2(synthetic_face_j2k(64, 64, 2), true));
  // Secure messaging: mode byte, then a response (data, SW1 SW2). Mode 1/3: wrapped by the card side.
  Bytes plain = {0x01, 0x60, 0x14, 0x5F, 0x01, 0x04, 0x30, 0x31, 0x30, 0x37, 0x90, 0x00};
  for (uint8_t mode : {0, 1, 2, 3}) {
    Bytes seed = {mode};
    append(seed, plain);
    put(out + "/sm", "mode" + std::to_string(mode), seed);
  }
  put(out + "/sm", "wrapped", from_hex("00870901AABBCCDDEEFF001122990290008E08A1A2A3A4A5A6A7A89000"));
  return 0;
}
