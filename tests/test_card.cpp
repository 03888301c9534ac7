// The chip card stack without a reader: known-answer tests from ICAO 9303-11 Appendix D, the
// LDS parsers on CCCD variants, and whole reads against the virtual card in process.
#include <doctest/doctest.h>

#include <fstream>

#include "devices/card/access.h"
#include "devices/card/card_error.h"
#include "devices/card/cccd_reader.h"
#include "devices/card/pcsc.h"
#include "devices/card/tlv.h"
#include "tests/card/virtual_cccd.h"
#include "tests/support/files.h"

using namespace motcua::card;
using namespace motcua::card::testing;
using motcua::test::TempDir;

namespace {
std::string hex(const Bytes& b) { return to_hex(b); }

const TestPki& pki() {
  static TestPki p = TestPki::generate();
  return p;
}

struct Card {
  Citizen citizen;
  CardFiles files;
  VirtualCccd chip;
  VirtualChannel channel;
  explicit Card(Citizen c = {}, Faults f = {}, bool pace = true)
      : citizen(c), files(make_card_files(c, pki(), pace)), chip(citizen, files, f), channel(chip) {}
};

ReadRequest request_for(const std::string& id) {
  ReadRequest r;
  r.id_number = id;
  return r;
}

CardErrorKind failure_of(Card& card, const ReadRequest& r) {
  try {
    read_cccd(card.channel, r);
  } catch (const CardError& e) {
    return e.kind();
  }
  FAIL("the read succeeded");
  return CardErrorKind::Protocol;
}
}  // namespace

TEST_CASE("BAC keys and secure messaging match the ICAO 9303-11 worked example") {
  MrzKey key{"L898902C", "690806", "940623"};
  CHECK(key.key_text() == "L898902C<369080619406236");
  Bytes seed = bac_key_seed(key);
  CHECK(hex(seed) == "239AB9CB282DAF66231DC5A4DF6BFBAE");
  CHECK(hex(derive_key(seed, 1, Cipher::Des3)) == "AB94FDECF2674FDFB9B391F85D7F76F2");
  CHECK(hex(derive_key(seed, 2, Cipher::Des3)) == "7962D9ECE03D1ACD4C76089DCE131543");

  Bytes k_enc = derive_key(seed, 1, Cipher::Des3), k_mac = derive_key(seed, 2, Cipher::Des3);
  Bytes s = from_hex("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
  Bytes e_ifd = cbc_encrypt(Cipher::Des3, k_enc, {}, s);
  CHECK(hex(e_ifd) == "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
  CHECK(hex(sm_mac(Cipher::Des3, k_mac, pad_iso9797(e_ifd, 8))) == "5F1448EEA8AD90A7");

  Bytes ks_seed = from_hex("0036D272F5C350ACAC50C3F572D23600");
  CHECK(hex(derive_key(ks_seed, 1, Cipher::Des3)) == "979EC13B1CBFE9DCD01AB0FED307EAE5");
  CHECK(hex(derive_key(ks_seed, 2, Cipher::Des3)) == "F1CB1F1FB5ADF208806B89DC579DC1F8");
  SecureMessaging sm(Cipher::Des3, derive_key(ks_seed, 1, Cipher::Des3), derive_key(ks_seed, 2, Cipher::Des3),
                     from_hex("887022120C06C226"));
  Command select{0x00, 0xA4, 0x02, 0x0C, from_hex("011E"), std::nullopt};
  CHECK(hex(sm.protect(select).encode()) == "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  Response r = sm.unprotect(decode_response(from_hex("990290008E08FA855A5D4C50A8ED9000")));
  CHECK(r.sw == 0x9000);
  Command read{0x00, 0xB0, 0x00, 0x00, {}, 4};
  CHECK(hex(sm.protect(read).encode()) == "0CB000000D9701048E08ED6705417E96BA5500");
  Response data = sm.unprotect(decode_response(from_hex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000")));
  CHECK(hex(data.data) == "60145F01");
  CHECK(hex(sm.ssc()) == "887022120C06C22A");
}

TEST_CASE("Secure messaging checks the MAC before using an answer, in 3DES and AES") {
  for (Cipher c : {Cipher::Des3, Cipher::Aes128, Cipher::Aes256}) {
    CAPTURE(int(c));
    Bytes k_enc = random_bytes(key_size(c)), k_mac = random_bytes(key_size(c)), ssc(block_size(c), 0);
    SecureMessaging reader(c, k_enc, k_mac, ssc), card(c, k_enc, k_mac, ssc);
    Command plain{0x00, 0xB0, 0x81, 0x00, {}, 0xDF};
    Command arrived = card.unprotect_command(reader.protect(plain));
    CHECK(arrived.ins == 0xB0);
    CHECK(arrived.le == size_t(0xDF));
    Bytes payload = random_bytes(0xDF);
    Response wrapped = card.protect_response(Response{payload, 0x9000});
    CHECK(wrapped.encode().size() <= 258);  // 0xDF is the largest that fits a short answer
    CHECK(reader.unprotect(wrapped).data == payload);

    // A flipped bit anywhere in the answer is refused, not decrypted.
    Response tampered = card.protect_response(Response{payload, 0x9000});
    tampered.data[5] ^= 0x01;
    reader.protect(plain);
    CHECK_THROWS_AS(reader.unprotect(tampered), CardError);
    // A card dropping secure messaging is an error, an error status without data is passed on.
    CHECK_THROWS_AS(reader.unprotect(Response{{}, 0x6988}), CardError);
    CHECK(reader.unprotect(Response{{}, 0x6A82}).sw == 0x6A82);
  }
}

TEST_CASE("APDUs encode and decode in short and extended form") {
  Command c{0x00, 0xB0, 0x00, 0x10, {}, 256};
  CHECK(hex(c.encode()) == "00B0001000");
  c.le = 65536;
  CHECK(hex(c.encode()) == "00B00010000000");
  Command d{0x0C, 0xA4, 0x04, 0x0C, Bytes(300, 0xAB), 65536};
  Command back = decode_command(d.encode());
  CHECK(back.data.size() == 300);
  CHECK(back.le == size_t(65536));
  CHECK_THROWS_AS(decode_command(from_hex("00A4040C0AA000")), CardError);
}

TEST_CASE("TLV lengths are checked against the data") {
  CHECK(read_tlv(from_hex("5F1F03414243")).value.size() == 3);
  CHECK(read_tlv(from_hex("6D820003010203")).value.size() == 3);
  CHECK_THROWS_AS(read_tlv(from_hex("6D8205000102")), CardError);
  CHECK_THROWS_AS(read_tlv(from_hex("6D")), CardError);
  CHECK(tlv_total_size(from_hex("77820800")) == size_t(0x800 + 4));
}

TEST_CASE("The TD1 zone of a CCCD parses with every check digit verified") {
  Td1 t = parse_td1("IDVNM0930470641001093047064<<2"
                    "9301054M3301052VNM<<<<<<<<<<<8"
                    "UNG<<HOANG<HIEP<<<<<<<<<<<<<<<");
  CHECK(t.checks_ok);
  CHECK(t.document_number == "093047064");
  CHECK(t.id_number() == "001093047064");
  CHECK(t.surname == "UNG");
  CHECK(t.given_names == "HOANG HIEP");
  CHECK(t.date_of_birth == "930105");
  Td1 bad = parse_td1("IDVNM0930470642001093047064<<2"
                      "9301054M3301052VNM<<<<<<<<<<<8"
                      "UNG<<HOANG<HIEP<<<<<<<<<<<<<<<");
  CHECK_FALSE(bad.checks_ok);
  CHECK_THROWS_AS(parse_td1("IDVNM"), CardError);
  // The BAC key of the same card: the last 9 digits of the ID, dates as YYMMDD.
  CHECK(mrz_key_from_id("001093047064", "1993-01-05", "2033-01-05").key_text() == "093047064193010543301052");
}

TEST_CASE("DG13 parses on the field number whatever the nesting, types and absences") {
  Citizen c;
  CitizenRecord r = parse_dg13(make_dg13(c));
  CHECK(r.id_number == c.id_number);
  CHECK(r.full_name == c.full_name);
  CHECK(r.date_of_birth == "1999-01-01");
  CHECK(r.place_of_residence == c.place_of_residence);
  CHECK(r.father_name == c.father_name);
  CHECK(r.mother_name == c.mother_name);
  CHECK(r.spouse_name.empty());
  CHECK(r.old_id_number == "012345678");
  CHECK(r.date_of_expiry == "2039-01-01");

  Citizen other;
  other.parents_in_one_sequence = true;
  other.spouse_name = "LÊ THỊ HOA";
  other.old_id_number.clear();
  other.date_of_expiry = "Không thời hạn";
  other.place_of_residence = std::string(300, 'x');  // long-form lengths at every level
  CitizenRecord o = parse_dg13(make_dg13(other));
  CHECK(o.father_name == other.father_name);
  CHECK(o.mother_name == other.mother_name);
  CHECK(o.spouse_name == "LÊ THỊ HOA");
  CHECK(o.old_id_number.empty());
  CHECK(o.expiry_is_indefinite);
  CHECK(o.place_of_residence.size() == 300);

  // Decomposed text from a card comes out NFC.
  Citizen nfd;
  nfd.full_name = "NGUYE\xCC\x82\xCC\x83N VA\xCC\x86N AN";
  CHECK(parse_dg13(make_dg13(nfd)).full_name == "NGUYỄN VĂN AN");

  Bytes broken = make_dg13(c);
  broken[8] = 0x7F;  // a length past the end
  CHECK_THROWS_AS(parse_dg13(broken), CardError);
}

TEST_CASE("The ATR tells whether the card takes extended-length APDUs") {
  Citizen c;
  Faults f;
  f.extended_length = true;
  VirtualCccd with(c, make_card_files(c, pki()), f), without(c, make_card_files(c, pki()));
  CHECK(atr_announces_extended_length(with.atr()));
  CHECK_FALSE(atr_announces_extended_length(without.atr()));
  CHECK_FALSE(atr_announces_extended_length(from_hex("3B9513810180 73FF01000B")));
}

TEST_CASE("A card read over PACE with the CAN gives every field, and passive authentication follows the CSCA store") {
  Card card;
  ReadRequest req = request_for(card.citizen.id_number);
  CardRead read = read_cccd(card.channel, req);
  CHECK(read.access == "PACE");
  CHECK(read.citizen.full_name == "NGUYỄN VĂN AN");
  CHECK(read.citizen.place_of_origin == card.citizen.place_of_origin);
  CHECK(read.mrz.checks_ok);
  CHECK(read.mrz.id_number() == card.citizen.id_number);
  CHECK_FALSE(read.photo);
  CHECK(read.passive_authentication.status == PaStatus::Unverified);
  CHECK(card.chip.mf_selects() == 0);  // real cards answer 6D00 to SELECT MF: never sent
  // SFI reads, 0xDF per answer: CardAccess 1 + PACE 5 + SELECT 1 + COM 1 + DG1 1 + DG13 + SOD.
  size_t dg13 = card.files.groups[13].size(), sod = card.files.sod.size();
  int minimum = 1 + 5 + 1 + 1 + 1 + int((dg13 + 0xDE) / 0xDF) + int((sod + 0xDE) / 0xDF);
  CHECK(read.apdus == minimum);

  TempDir dir;
  std::ofstream(dir.path + "/csca.pem") << pki().csca_pem;
  req.csca = std::make_shared<const CscaStore>(CscaStore::load(dir.path + "/csca.pem"));
  CardRead trusted = read_cccd(card.channel, req);
  CHECK(trusted.passive_authentication.status == PaStatus::Valid);

  TestPki stranger = TestPki::generate();
  std::ofstream(dir.path + "/other.pem") << stranger.csca_pem;
  req.csca = std::make_shared<const CscaStore>(CscaStore::load(dir.path + "/other.pem"));
  CardRead untrusted = read_cccd(card.channel, req);
  CHECK(untrusted.passive_authentication.status == PaStatus::Invalid);
  CHECK(untrusted.passive_authentication.reason.find("CSCA") != std::string::npos);

  std::ofstream(dir.path + "/empty.pem") << "nothing here\n";
  CHECK_THROWS_WITH_AS(CscaStore::load(dir.path + "/empty.pem"), doctest::Contains("empty.pem"),
                       std::runtime_error);
}

TEST_CASE("The photo is read only when asked and decodes to pixels") {
  Card card;
  ReadRequest req = request_for(card.citizen.id_number);
  req.photo = true;
  std::vector<float> progress;
  req.progress = [&](float p) { progress.push_back(p); };
  CardRead read = read_cccd(card.channel, req);
  REQUIRE(read.photo);
  Pixels px = decode_face(*read.photo);
  CHECK(px.width == 240);
  CHECK(px.height == 320);
  CHECK(read.passive_authentication.status == PaStatus::Unverified);  // DG2's hash checked too
  REQUIRE(progress.size() >= size_t(read.apdus));
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 1.0f);
}

TEST_CASE("A card without PACE asks for the BAC data, then reads over BAC") {
  Card card({}, {}, false);
  ReadRequest req = request_for(card.citizen.id_number);
  CHECK(failure_of(card, req) == CardErrorKind::NeedsMrzData);
  req.date_of_birth = card.citizen.date_of_birth;
  req.date_of_expiry = card.citizen.date_of_expiry;
  CardRead read = read_cccd(card.channel, req);
  CHECK(read.access == "BAC");
  CHECK(read.citizen.mother_name == card.citizen.mother_name);
  req.date_of_birth = "1999-01-02";
  CHECK(failure_of(card, req) == CardErrorKind::AccessDenied);
}

TEST_CASE("A wrong ID number is refused once, without retrying the key") {
  Card card;
  int before = card.chip.apdus();
  CHECK(failure_of(card, request_for("001099999999")) == CardErrorKind::AccessDenied);
  // CardAccess, MSE:Set AT and four GENERAL AUTHENTICATE: one attempt, then stop.
  CHECK(card.chip.apdus() - before == 6);
  // Same last six digits, another person: the CAN opens the chip but the ID does not match.
  CHECK(failure_of(card, request_for("079099012345")) == CardErrorKind::AccessDenied);
}

TEST_CASE("Reads survive 6700 on large reads and report truncation, removal, muteness and bad MACs") {
  Faults small;
  small.max_le = 0xA0;
  Card limited({}, small);
  CardRead read = read_cccd(limited.channel, request_for(limited.citizen.id_number));
  CHECK(read.citizen.full_name == limited.citizen.full_name);
  Card normal;
  CHECK(read.apdus > read_cccd(normal.channel, request_for(normal.citizen.id_number)).apdus);

  Faults cut;
  cut.truncate_dg = 13;
  cut.truncate_to = 300;
  Card truncated({}, cut);
  CHECK(failure_of(truncated, request_for(truncated.citizen.id_number)) == CardErrorKind::Corrupt);

  Faults gone;
  gone.remove_after = 9;
  Card removed({}, gone);
  CHECK(failure_of(removed, request_for(removed.citizen.id_number)) == CardErrorKind::CardRemoved);

  Faults silent;
  silent.mute_after = 3;
  Card mute({}, silent);
  CHECK(failure_of(mute, request_for(mute.citizen.id_number)) == CardErrorKind::Mute);

  Faults mac;
  mac.bad_response_mac = true;
  Card forged({}, mac);
  CHECK(failure_of(forged, request_for(forged.citizen.id_number)) == CardErrorKind::SecureMessaging);
}

TEST_CASE("Changed data fails passive authentication naming the data group") {
  Faults f;
  f.tamper_dg13 = true;
  Card card({}, f);
  CardRead read = read_cccd(card.channel, request_for(card.citizen.id_number));
  CHECK(read.passive_authentication.status == PaStatus::Invalid);
  CHECK(read.passive_authentication.reason.find("DG13") != std::string::npos);
}

TEST_CASE("Extended-length reads take the files in one answer each") {
  Faults f;
  f.extended_length = true;
  Card card({}, f);
  ReadRequest req = request_for(card.citizen.id_number);
  req.photo = true;
  CardRead read = read_cccd(card.channel, req);
  // CardAccess 1 + PACE 5 + SELECT 1 + COM, DG1, DG13, SOD, DG2 one each.
  CHECK(read.apdus == 12);
  CHECK(decode_face(*read.photo).width == 240);
}

TEST_CASE("Card buffers are zeroed when freed") {
  // The allocator behind Bytes wipes before free: check it on a buffer we still own the memory of.
  WipingAllocator<uint8_t> alloc;
  uint8_t* p = alloc.allocate(64);
  std::fill(p, p + 64, 0xAA);
  wipe_memory(p, 64);
  CHECK(std::all_of(p, p + 64, [](uint8_t b) { return b == 0; }));
  alloc.deallocate(p, 64);
}

TEST_CASE("A JPEG 2000 face decodes in memory") {
  Bytes j2k = synthetic_face_j2k(96, 128);
  FaceImage face = parse_dg2(make_dg2(j2k, true));
  CHECK(face.format == ImageFormat::Jpeg2000);
  Pixels px = decode_face(face);
  CHECK(px.width == 96);
  CHECK(px.height == 128);
  // The middle of the drawn face is skin-coloured, the corner is the pale background.
  auto at = [&](int x, int y) { return &px.rgba[(size_t(y) * 96 + x) * 4]; };
  CHECK(std::abs(at(48, 58)[0] - 225) < 20);
  CHECK(std::abs(at(48, 58)[2] - 160) < 20);
  CHECK(at(2, 2)[2] > 220);
  Bytes broken = make_dg2(Bytes(j2k.begin(), j2k.begin() + 40), true);
  CHECK_THROWS_AS(decode_face(parse_dg2(broken)), CardError);
  CHECK_THROWS_AS(parse_dg2(from_hex("7503010203")), CardError);
}

TEST_CASE("An ICAO master list serves as the CSCA store") {
  TempDir dir;
  Bytes ml = make_master_list(pki());
  std::ofstream(dir.path + "/vn.ml", std::ios::binary).write(reinterpret_cast<const char*>(ml.data()), long(ml.size()));
  auto store = std::make_shared<const CscaStore>(CscaStore::load(dir.path + "/vn.ml"));
  CHECK(store->size() == 1);
  Card card;
  ReadRequest req = request_for(card.citizen.id_number);
  req.csca = store;
  CHECK(read_cccd(card.channel, req).passive_authentication.status == PaStatus::Valid);
  std::ofstream(dir.path + "/junk.ml", std::ios::binary) << "\x30\x03\x02\x01\x00";
  CHECK_THROWS_WITH_AS(CscaStore::load(dir.path + "/junk.ml"), doctest::Contains("junk.ml"), std::runtime_error);
}

// "61xx: more data" is fetched with GET RESPONSE. A card (or a reader) that always says there is
// more must end the read with a reason, not grow the answer, or nest calls, without end.
TEST_CASE("GET RESPONSE chains are joined, and a card that always has more data is refused after 64 KiB") {
  int asked = 0;
  auto chunks = [&](const Command& get) {
    ++asked;
    CHECK(get.ins == 0xC0);
    Bytes part(get.le.value_or(0), uint8_t(asked));
    return Response{part, uint16_t(asked < 3 ? 0x6100 | 0x10 : 0x9000)};
  };
  Response joined = collect_more_data(Response{Bytes{0xAA}, 0x6110}, chunks);
  CHECK(joined.sw == 0x9000);
  CHECK(asked == 3);
  CHECK(joined.data.size() == 1 + 3 * 0x10);
  CHECK(joined.data.back() == 3);

  asked = 0;
  auto always_more = [&](const Command&) {
    ++asked;
    return Response{{}, 0x6100};  // nothing, and more to come
  };
  CHECK_THROWS_WITH_AS(collect_more_data(Response{{}, 0x6100}, always_more), doctest::Contains("61xx"), CardError);
  CHECK(asked == 256);
  asked = 0;
  auto flood = [&](const Command& get) {
    ++asked;
    return Response{Bytes(get.le.value_or(0), 0x55), 0x6100};  // 256 bytes each, forever
  };
  CHECK_THROWS_AS(collect_more_data(Response{{}, 0x6100}, flood), CardError);
  CHECK(asked <= 257);
}
