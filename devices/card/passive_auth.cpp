#include "devices/card/passive_auth.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "devices/card/card_error.h"
#include "devices/card/sm_crypto.h"
#include "devices/card/tlv.h"

namespace motcua::card {

namespace {
struct CmsFree {
  void operator()(CMS_ContentInfo* c) const { CMS_ContentInfo_free(c); }
};
using Cms = std::unique_ptr<CMS_ContentInfo, CmsFree>;

Cms read_cms(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, long(der.size())));
  return cms;
}

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[80];
  OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return buf;
}

// The eContent of a SignedData, checked to be of the expected type.
std::span<const uint8_t> signed_content(CMS_ContentInfo* cms, const char* type_oid) {
  if (oid_text(CMS_get0_eContentType(cms)) != type_oid)
    throw CardError(CardErrorKind::Corrupt, std::string("signed content is not of type ") + type_oid);
  ASN1_OCTET_STRING** content = CMS_get0_content(cms);
  if (!content || !*content) throw CardError(CardErrorKind::Corrupt, "signed data without content");
  return {ASN1_STRING_get0_data(*content), size_t(ASN1_STRING_length(*content))};
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "unknown reason";
  char buf[200];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// The SOD without its application tag 77.
std::span<const uint8_t> sod_cms(std::span<const uint8_t> sod) {
  Tlv outer = read_tlv(sod);
  if (outer.tag != 0x77) throw CardError(CardErrorKind::Corrupt, "EF.SOD does not start with tag 77");
  return outer.value;
}

const char* lds_security_object = "2.23.136.1.1.1";
const char* csca_master_list = "2.23.136.1.1.2";
}  // namespace

const char* pa_status_name(PaStatus s) {
  switch (s) {
    case PaStatus::Valid: return "valid";
    case PaStatus::Invalid: return "invalid";
    case PaStatus::Unverified: return "unverified";
  }
  return "unverified";
}

CscaStore::~CscaStore() {
  if (store_) X509_STORE_free(store_);
}

CscaStore::CscaStore(CscaStore&& o) noexcept : store_(o.store_), count_(o.count_) { o.store_ = nullptr; }

CscaStore CscaStore::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the CSCA file");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CscaStore s;
  s.store_ = X509_STORE_new();
  auto add = [&](X509* cert) {
    if (X509_STORE_add_cert(s.store_, cert) == 1) ++s.count_;
    X509_free(cert);
  };
  if (data.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    BIO* bio = BIO_new_mem_buf(data.data(), int(data.size()));
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) add(cert);
    BIO_free(bio);
    ERR_clear_error();
  } else {
    // ICAO master list: SignedData over CscaMasterList ::= SEQUENCE { version, SET OF Certificate }.
    std::span<const uint8_t> der(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    Cms cms = read_cms(der);
    if (!cms) throw std::runtime_error(path + ": neither PEM certificates nor an ICAO master list");
    try {
      Tlv list = read_tlv(signed_content(cms.get(), csca_master_list));
      auto parts = read_all(list.value);
      if (parts.size() < 2 || parts[1].tag != 0x31) throw CardError(CardErrorKind::Corrupt, "no certificate set");
      for (const Tlv& cert : read_all(parts[1].value)) {
        const unsigned char* p = cert.value.data() - cert.header;
        if (X509* x = d2i_X509(nullptr, &p, long(cert.size()))) add(x);
      }
    } catch (const CardError& e) {
      throw std::runtime_error(path + ": not a usable ICAO master list (" + e.what() + ")");
    }
  }
  if (s.count_ == 0) throw std::runtime_error(path + ": holds no certificate");
  return s;
}

SodContents parse_sod(std::span<const uint8_t> sod) {
  Cms cms = read_cms(sod_cms(sod));
  if (!cms) throw CardError(CardErrorKind::Corrupt, "EF.SOD is not CMS signed data");
  // LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm AlgorithmIdentifier, SEQUENCE OF DataGroupHash }
  Tlv object = read_tlv(signed_content(cms.get(), lds_security_object));
  auto parts = read_all(object.value);
  if (parts.size() < 3 || parts[1].tag != 0x30 || parts[2].tag != 0x30)
    throw CardError(CardErrorKind::Corrupt, "EF.SOD's security object is malformed");
  auto algorithm = read_all(parts[1].value);
  if (algorithm.empty() || algorithm[0].tag != 0x06) throw CardError(CardErrorKind::Corrupt, "EF.SOD names no hash");
  const unsigned char* p = algorithm[0].value.data() - algorithm[0].header;
  ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, long(algorithm[0].size()));
  int nid = obj ? OBJ_obj2nid(obj) : NID_undef;
  ASN1_OBJECT_free(obj);
  if (nid == NID_undef) throw CardError(CardErrorKind::Corrupt, "EF.SOD names an unknown hash");
  SodContents out;
  out.hash_algorithm = OBJ_nid2sn(nid);
  for (const Tlv& entry : read_all(parts[2].value)) {
    auto fields = read_all(entry.value);
    if (fields.size() != 2 || fields[0].tag != 0x02 || fields[1].tag != 0x04 || fields[0].value.size() != 1)
      throw CardError(CardErrorKind::Corrupt, "EF.SOD has a malformed data group hash");
    out.hashes[fields[0].value[0]] = bytes_of(fields[1].value);
  }
  return out;
}

PaResult passive_authentication(std::span<const uint8_t> sod, const std::map<int, std::span<const uint8_t>>& groups,
                                const CscaStore* csca) {
  SodContents contents;
  try {
    contents = parse_sod(sod);
  } catch (const CardError& e) {
    return {PaStatus::Invalid, e.what()};
  }
  const EVP_MD* md = EVP_get_digestbyname(contents.hash_algorithm.c_str());
  if (!md) return {PaStatus::Invalid, "EF.SOD uses an unsupported hash " + contents.hash_algorithm};
  for (const auto& [number, bytes] : groups) {
    auto it = contents.hashes.find(number);
    if (it == contents.hashes.end()) return {PaStatus::Invalid, "DG" + std::to_string(number) + " is not in EF.SOD"};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, md, nullptr);
    if (!same_bytes(std::span<const uint8_t>(digest, len), it->second))
      return {PaStatus::Invalid, "DG" + std::to_string(number) + " does not match its hash in EF.SOD"};
  }

  Cms cms = read_cms(sod_cms(sod));
  ERR_clear_error();
  if (CMS_verify(cms.get(), nullptr, nullptr, nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1)
    return {PaStatus::Invalid, "the EF.SOD signature does not verify (" + openssl_error() + ")"};
  STACK_OF(X509)* signers = CMS_get0_signers(cms.get());
  X509* dsc = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : nullptr;
  if (!dsc) {
    sk_X509_free(signers);
    return {PaStatus::Invalid, "EF.SOD carries no document signer certificate"};
  }
  if (!csca) {
    sk_X509_free(signers);
    return {PaStatus::Unverified, "no CSCA store is configured: hashes and signature match, the signer is not checked"};
  }
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, csca->store(), dsc, nullptr);
  // Chain at the signer's own start date: document signer keys stop signing long before cards expire.
  const ASN1_TIME* not_before = X509_get0_notBefore(dsc);
  struct tm when{};
  ASN1_TIME_to_tm(not_before, &when);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, timegm(&when) + 1);
  int ok = X509_verify_cert(ctx);
  std::string reason = ok == 1 ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  sk_X509_free(signers);
  if (ok != 1) return {PaStatus::Invalid, "the document signer does not chain to a trusted CSCA (" + reason + ")"};
  return {PaStatus::Valid, ""};
}

}  // namespace motcua::card
