// Passive authentication (ICAO 9303-11 §5.1): the data groups read are the ones the issuer
// signed. Hashes against EF.SOD, the SOD's CMS signature with its document signer certificate,
// and that certificate's chain to a CSCA from a configured store.
// Rule: no CSCA store means "unverified", never "valid"; the kiosk shows this to staff only.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "devices/card/bytes.h"

typedef struct x509_store_st X509_STORE;

namespace motcua::card {

enum class PaStatus { Valid, Invalid, Unverified };
const char* pa_status_name(PaStatus s);  // "valid", "invalid", "unverified"

struct PaResult {
  PaStatus status = PaStatus::Unverified;
  std::string reason;  // empty when valid; never holds personal data
};

// Trusted country signing certificates: a PEM bundle, or an ICAO master list (CMS, DER).
class CscaStore {
 public:
  // Throws std::runtime_error naming the file when it is unreadable or holds no certificate.
  static CscaStore load(const std::string& path);
  ~CscaStore();
  CscaStore(CscaStore&&) noexcept;
  size_t size() const { return count_; }
  X509_STORE* store() const { return store_; }

 private:
  CscaStore() = default;
  X509_STORE* store_ = nullptr;
  size_t count_ = 0;
};

// What the SOD says: the hash algorithm and the hash of each data group it covers.
struct SodContents {
  std::string hash_algorithm;  // OpenSSL name, e.g. "SHA256"
  std::map<int, Bytes> hashes;
};
SodContents parse_sod(std::span<const uint8_t> sod);  // throws CardError(Corrupt)

// `groups` maps a data group number to its exact bytes as read (tag and length included).
PaResult passive_authentication(std::span<const uint8_t> sod, const std::map<int, std::span<const uint8_t>>& groups,
                                const CscaStore* csca);

}  // namespace motcua::card
