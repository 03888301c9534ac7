// Builds the files of a synthetic CCCD: EF.CardAccess, EF.COM, DG1, DG2, DG13 and an EF.SOD
// signed by a document signer under a test CSCA generated on the spot.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "devices/card/bytes.h"

namespace motcua::card::testing {

struct Citizen {
  std::string id_number = "001099012345";
  std::string full_name = "NGUYỄN VĂN AN";
  std::string date_of_birth = "1999-01-01";  // ISO; written to the card as dd/mm/yyyy
  std::string sex = "Nam";
  std::string nationality = "Việt Nam";
  std::string ethnicity = "Kinh";
  std::string religion = "Không";
  std::string place_of_origin = "Xã Tân Phong, Tỉnh Lai Châu";
  std::string place_of_residence = "Số 12 Ngõ 34 Phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội";
  std::string identifying_marks = "Nốt ruồi C:2cm dưới trước mép trái";
  std::string date_of_issue = "2021-04-10";
  std::string date_of_expiry = "2039-01-01";  // or "không thời hạn"
  std::string father_name = "NGUYỄN VĂN BÌNH";
  std::string mother_name = "TRẦN THỊ CÚC";
  std::string spouse_name;  // empty: field 14 carries only its number
  std::string old_id_number = "012345678";  // empty: field 15 absent
  bool parents_in_one_sequence = false;     // NghiaLio's nesting instead of leeon's (chip.md §1.5)
};

// A CSCA and a document signer, both EC P-256, made in memory.
struct TestPki {
  static TestPki generate();
  std::string csca_pem;
  std::shared_ptr<void> csca_key, csca_cert, dsc_key, dsc_cert;  // EVP_PKEY*, X509*
};

struct CardFiles {
  Bytes card_access;  // empty when the card offers no PACE
  std::map<int, Bytes> groups;  // DG number → file
  Bytes com, sod;
};

Bytes make_dg1(const Citizen& c);
Bytes make_dg13(const Citizen& c);
Bytes make_dg2(std::span<const uint8_t> jpeg, bool jpeg2000 = false);
Bytes make_sod(const std::map<int, Bytes>& groups, const TestPki& pki);
Bytes make_card_access();
Bytes synthetic_face_jpeg(int width = 240, int height = 320);  // a drawn face, not a person
// The same as a JPEG 2000 codestream; chroma_step 2: components 1 and 2 at half size (as 4:2:0).
Bytes synthetic_face_j2k(int width = 96, int height = 128, int chroma_step = 1, bool jp2_file = false);  // jp2_file: boxes around the codestream
// An ICAO CSCA master list (CMS SignedData over CscaMasterList, DER) holding the PKI's CSCA.
Bytes make_master_list(const TestPki& pki);

// photo: the DG2 image (JPEG); empty: a 240×320 synthetic face.
CardFiles make_card_files(const Citizen& c, const TestPki& pki, bool with_pace = true, std::span<const uint8_t> photo = {});

}  // namespace motcua::card::testing
