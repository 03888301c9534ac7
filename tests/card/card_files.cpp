#include "tests/card/card_files.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openjpeg.h>
#include <stb_image_write.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "devices/card/mrz.h"
#include "devices/card/tlv.h"
#include "forms/text.h"

namespace motcua::card::testing {

namespace {
Bytes seq(std::initializer_list<std::span<const uint8_t>> parts) { return encode_tlv(0x30, concat(parts)); }
Bytes integer(int v) { return v < 128 ? Bytes{0x02, 0x01, uint8_t(v)} : Bytes{0x02, 0x02, uint8_t(v >> 8), uint8_t(v)}; }
Bytes text(uint32_t tag, const std::string& s) { return encode_tlv(tag, bytes_of(s)); }

std::string card_date(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-') return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string mrz_name(const std::string& full) {
  std::string folded = text::search_key(full), out;
  for (char c : folded) out += c == ' ' ? '<' : char(std::toupper(static_cast<unsigned char>(c)));
  // Surname first, then "<<", then the other names.
  size_t space = out.find('<');
  if (space != std::string::npos) out.insert(space, "<");
  out.resize(30, '<');
  return out;
}

std::string yymmdd(const std::string& iso) { return iso.substr(2, 2) + iso.substr(5, 2) + iso.substr(8, 2); }

template <class T, void (*F)(T*)>
std::shared_ptr<void> own(T* p) {
  return std::shared_ptr<void>(p, [](void* q) { F(static_cast<T*>(q)); });
}

X509* make_cert(EVP_PKEY* key, EVP_PKEY* signer, X509* issuer, const char* cn, bool ca, long serial) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600);
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_subject_name(x, name);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
  X509_NAME_free(name);
  X509_set_pubkey(x, key);
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer ? issuer : x, x, nullptr, nullptr, 0);
  auto add = [&](int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  };
  add(NID_basic_constraints, ca ? "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE");
  add(NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  X509_sign(x, signer, EVP_sha256());
  return x;
}
}  // namespace

TestPki TestPki::generate() {
  TestPki pki;
  EVP_PKEY* csca_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  EVP_PKEY* dsc_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* csca = make_cert(csca_key, csca_key, nullptr, "MotCua Test CSCA", true, 1);
  X509* dsc = make_cert(dsc_key, csca_key, csca, "MotCua Test Document Signer", false, 2);
  pki.csca_key = own<EVP_PKEY, EVP_PKEY_free>(csca_key);
  pki.dsc_key = own<EVP_PKEY, EVP_PKEY_free>(dsc_key);
  pki.csca_cert = own<X509, X509_free>(csca);
  pki.dsc_cert = own<X509, X509_free>(dsc);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, csca);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  pki.csca_pem.assign(data, size_t(len));
  BIO_free(bio);
  return pki;
}

Bytes make_card_access() {
  // PACEInfo: id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, brainpoolP256r1 (13).
  Bytes oid = from_hex("04007F00070202040202");
  return encode_tlv(0x31, seq({encode_tlv(0x06, oid), integer(2), integer(13)}));
}

Bytes make_dg1(const Citizen& c) {
  std::string doc = c.id_number.substr(3);
  std::string l1 = "IDVNM" + doc + mrz_check_digit(doc) + c.id_number + "<<" + mrz_check_digit(c.id_number);
  std::string dob = yymmdd(c.date_of_birth);
  std::string doe = c.date_of_expiry.size() == 10 && c.date_of_expiry[4] == '-' ? yymmdd(c.date_of_expiry) : "<<<<<<";
  std::string l2 = dob + mrz_check_digit(dob) + (c.sex == "Nam" ? "M" : "F") + doe + mrz_check_digit(doe) + "VNM" +
                   std::string(11, '<');
  std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11);
  l2 += mrz_check_digit(composite);
  std::string mrz = l1 + l2 + mrz_name(c.full_name);
  return encode_tlv(0x61, encode_tlv(0x5F1F, bytes_of(mrz)));
}

Bytes make_dg13(const Citizen& c) {
  Bytes records;
  auto field = [&](int n, uint32_t tag, const std::string& v) {
    if (!v.empty()) append(records, seq({integer(n), text(tag, v)}));
  };
  field(1, 0x13, c.id_number);
  field(2, 0x0C, c.full_name);
  field(3, 0x13, card_date(c.date_of_birth));
  field(4, 0x0C, c.sex);
  field(5, 0x0C, c.nationality);
  field(6, 0x0C, c.ethnicity);
  field(7, 0x0C, c.religion);
  field(8, 0x0C, c.place_of_origin);
  field(9, 0x0C, c.place_of_residence);
  field(10, 0x0C, c.identifying_marks);
  field(11, 0x13, card_date(c.date_of_issue));
  field(12, 0x0C, card_date(c.date_of_expiry));
  if (c.parents_in_one_sequence)
    append(records, seq({integer(13), seq({text(0x0C, c.father_name), text(0x0C, c.mother_name)})}));
  else
    append(records, seq({integer(13), seq({text(0x0C, c.father_name)}), seq({text(0x0C, c.mother_name)})}));
  if (c.spouse_name.empty()) append(records, seq({integer(14)}));
  else append(records, seq({integer(14), seq({text(0x0C, c.spouse_name)})}));
  field(15, 0x13, c.old_id_number);
  field(16, 0x13, "3F2A9C01D4E5B6A7");
  Bytes oid = {0x06, 0x06, 0x28, 0xD3, 0x16, 0x01, 0x00, 0x08};
  return encode_tlv(0x6D, seq({integer(1), oid, encode_tlv(0x31, records)}));
}

Bytes make_dg2(std::span<const uint8_t> image, bool jpeg2000) {
  auto be = [](Bytes& b, uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) b.push_back(uint8_t(v >> (8 * i)));
  };
  Bytes face;
  be(face, uint32_t(20 + 12 + image.size()), 4);  // facial record block length
  be(face, 0, 2);                                  // no feature points
  append(face, Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // gender .. pose uncertainty
  Bytes info = {0x01, uint8_t(jpeg2000 ? 1 : 0)};
  be(info, 240, 2);
  be(info, 320, 2);
  append(info, Bytes{1, 2, 0, 0, 0, 0});
  Bytes record = {'F', 'A', 'C', 0, '0', '1', '0', 0};
  be(record, uint32_t(14 + face.size() + info.size() + image.size()), 4);
  be(record, 1, 2);
  append(record, face);
  append(record, info);
  append(record, image);
  Bytes header = encode_tlv(0xA1, from_hex("800201018102000887020101"));
  Bytes instance = encode_tlv(0x7F60, concat({header, encode_tlv(0x5F2E, record)}));
  return encode_tlv(0x75, encode_tlv(0x7F61, concat({integer(1), instance})));
}

Bytes synthetic_face_jpeg(int w, int h) {
  std::vector<uint8_t> rgb(size_t(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float dx = (x - w / 2.f) / (w * 0.32f), dy = (y - h * 0.45f) / (h * 0.3f);
      bool face = dx * dx + dy * dy < 1;
      bool eye = (std::abs(x - w * 0.38f) < 8 || std::abs(x - w * 0.62f) < 8) && std::abs(y - h * 0.4f) < 6;
      bool mouth = std::abs(y - h * 0.58f) < 4 && std::abs(x - w / 2.f) < w * 0.12f;
      uint8_t* p = &rgb[(size_t(y) * w + x) * 3];
      uint8_t grain = uint8_t((x / 6 * 7 + y / 6 * 13) % 11);
      if (eye || mouth) p[0] = p[1] = p[2] = 40;
      else if (face) p[0] = uint8_t(225 - grain), p[1] = uint8_t(190 - grain), p[2] = uint8_t(160 - grain);
      else p[0] = p[1] = uint8_t(235 - grain), p[2] = 245;
    }
  Bytes out;
  stbi_write_jpg_to_func([](void* ctx, void* data, int size) {
        auto* b = static_cast<Bytes*>(ctx);
        b->insert(b->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
      },
      &out, w, h, 3, rgb.data(), 90);
  return out;
}

namespace {
std::vector<uint8_t> face_pixels(int w, int h) {
  std::vector<uint8_t> rgb(size_t(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float dx = (x - w / 2.f) / (w * 0.32f), dy = (y - h * 0.45f) / (h * 0.3f);
      bool face = dx * dx + dy * dy < 1;
      uint8_t* p = &rgb[(size_t(y) * w + x) * 3];
      if (face) p[0] = 225, p[1] = 190, p[2] = 160;
      else p[0] = p[1] = 235, p[2] = 245;
    }
  return rgb;
}

// A growable output the encoder can seek back into (a JP2 file's box lengths are written last).
struct WrittenBytes {
  Bytes bytes;
  size_t at = 0;
};
OPJ_SIZE_T write_to_bytes(void* buf, OPJ_SIZE_T n, void* user) {
  auto* out = static_cast<WrittenBytes*>(user);
  if (out->bytes.size() < out->at + n) out->bytes.resize(out->at + n);
  std::memcpy(out->bytes.data() + out->at, buf, n);
  out->at += n;
  return n;
}
OPJ_OFF_T skip_in_bytes(OPJ_OFF_T n, void* user) {
  static_cast<WrittenBytes*>(user)->at += size_t(n);
  return n;
}
OPJ_BOOL seek_in_bytes(OPJ_OFF_T n, void* user) {
  static_cast<WrittenBytes*>(user)->at = size_t(n);
  return OPJ_TRUE;
}
}  // namespace

// CMS SignedData over `content` of the given type, with the signer's certificate, DER.
Bytes cms_sign(std::span<const uint8_t> content, const char* type_oid, void* cert, void* key) {
  BIO* in = BIO_new_mem_buf(content.data(), int(content.size()));
  CMS_ContentInfo* cms = CMS_sign(static_cast<X509*>(cert), static_cast<EVP_PKEY*>(key), nullptr, nullptr,
                                  CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP);
  if (!cms) throw std::runtime_error("cannot start the CMS signature");
  ASN1_OBJECT* type = OBJ_txt2obj(type_oid, 1);
  CMS_set1_eContentType(cms, type);  // set1 copies: ours is freed (LeakSanitizer)
  ASN1_OBJECT_free(type);
  bool ok = CMS_final(cms, in, nullptr, CMS_BINARY) == 1;
  BIO_free(in);
  unsigned char* der = nullptr;
  int len = ok ? i2d_CMS_ContentInfo(cms, &der) : 0;
  CMS_ContentInfo_free(cms);
  if (len <= 0) throw std::runtime_error("cannot sign the test data");
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

Bytes synthetic_face_j2k(int w, int h, int chroma_step, bool jp2_file) {
  std::vector<uint8_t> rgb = face_pixels(w, h);
  opj_image_cmptparm_t parms[3] = {};
  for (int k = 0; k < 3; ++k) {
    auto& c = parms[k];
    int step = k == 0 ? 1 : chroma_step;  // components 1 and 2 smaller than component 0
    c.dx = c.dy = OPJ_UINT32(step);
    c.w = OPJ_UINT32((w + step - 1) / step);
    c.h = OPJ_UINT32((h + step - 1) / step);
    c.prec = 8;
    c.sgnd = 0;
  }
  opj_image_t* image = opj_image_create(3, parms, OPJ_CLRSPC_SRGB);
  image->x1 = OPJ_UINT32(w);
  image->y1 = OPJ_UINT32(h);
  for (int c = 0; c < 3; ++c)
    for (OPJ_UINT32 y = 0; y < image->comps[c].h; ++y)
      for (OPJ_UINT32 x = 0; x < image->comps[c].w; ++x)
        image->comps[c].data[y * image->comps[c].w + x] =
            rgb[(size_t(y * image->comps[c].dy) * size_t(w) + x * image->comps[c].dx) * 3 + size_t(c)];
  opj_cparameters_t params;
  opj_set_default_encoder_parameters(&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = 20;  // 20:1, about what a card photo uses
  params.cp_disto_alloc = 1;
  opj_codec_t* codec = opj_create_compress(jp2_file ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  WrittenBytes out;
  opj_stream_t* stream = opj_stream_default_create(OPJ_FALSE);
  opj_stream_set_user_data(stream, &out, nullptr);
  opj_stream_set_write_function(stream, write_to_bytes);
  opj_stream_set_skip_function(stream, skip_in_bytes);
  opj_stream_set_seek_function(stream, seek_in_bytes);
  bool ok = opj_setup_encoder(codec, &params, image) && opj_start_compress(codec, image, stream) &&
            opj_encode(codec, stream) && opj_end_compress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
  if (!ok) throw std::runtime_error("cannot encode the test JPEG 2000 image");
  return out.bytes;
}

Bytes make_master_list(const TestPki& pki) {
  unsigned char* der = nullptr;
  int len = i2d_X509(static_cast<X509*>(pki.csca_cert.get()), &der);
  Bytes list = seq({integer(0), encode_tlv(0x31, std::span<const uint8_t>(der, size_t(len)))});
  OPENSSL_free(der);
  return cms_sign(list, "2.23.136.1.1.2", pki.csca_cert.get(), pki.csca_key.get());
}

Bytes make_sod(const std::map<int, Bytes>& groups, const TestPki& pki) {
  Bytes hashes;
  for (const auto& [n, file] : groups) {
    unsigned char digest[32];
    unsigned len = 0;
    EVP_Digest(file.data(), file.size(), digest, &len, EVP_sha256(), nullptr);
    append(hashes, seq({integer(n), encode_tlv(0x04, std::span<const uint8_t>(digest, len))}));
  }
  Bytes sha256 = encode_tlv(0x06, from_hex("608648016503040201"));
  Bytes lds = seq({integer(0), seq({sha256}), encode_tlv(0x30, hashes)});
  return encode_tlv(0x77, cms_sign(lds, "2.23.136.1.1.1", pki.dsc_cert.get(), pki.dsc_key.get()));
}

CardFiles make_card_files(const Citizen& c, const TestPki& pki, bool with_pace, std::span<const uint8_t> photo) {
  CardFiles f;
  if (with_pace) f.card_access = make_card_access();
  f.groups[1] = make_dg1(c);
  Bytes face = photo.empty() ? synthetic_face_jpeg() : bytes_of(photo);
  f.groups[2] = make_dg2(face);
  f.groups[13] = make_dg13(c);
  f.com = encode_tlv(0x60, concat({encode_tlv(0x5F01, bytes_of(std::string("0107"))),
                                   encode_tlv(0x5F36, bytes_of(std::string("040000"))),
                                   encode_tlv(0x5C, Bytes{0x61, 0x75, 0x6D})}));
  f.sod = make_sod(f.groups, pki);
  return f;
}

}  // namespace motcua::card::testing
