// VietQR (NAPAS 247) fee payment codes: EMVCo merchant-presented TLV, CRC-16/CCITT-FALSE.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace motcua::printer {

struct VietQr {
  std::string bank_bin;        // 6 digits, e.g. 970436
  std::string account;         // account (QRIBFTTA) or card number (QRIBFTTC)
  bool to_card = false;
  std::optional<long long> amount;  // VND; present makes the code dynamic (one-time)
  std::string purpose;         // tag 62/08, ASCII
};

struct VietQrError : std::runtime_error { using std::runtime_error::runtime_error; };

uint16_t crc16_ccitt_false(const std::string& data);
std::string build_vietqr(const VietQr& q);  // throws VietQrError on values that cannot be encoded
VietQr parse_vietqr(const std::string& payload);  // checks structure, GUID and CRC; throws VietQrError

// Top-level or nested EMVCo TLV as tag → value (values of nested templates stay raw).
std::map<std::string, std::string> parse_tlv(const std::string& s);

}  // namespace motcua::printer
