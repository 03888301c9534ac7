// ISO 7816-4 command and response APDUs, short and extended length.
#pragma once
#include <cstdint>
#include <optional>

#include "devices/card/bytes.h"

namespace motcua::card {

struct Command {
  uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
  Bytes data;
  // Expected length: 256 is short "00", 65536 extended "0000"; none means no Le field.
  std::optional<size_t> le;
  bool extended = false;  // force the extended form even when short would fit

  bool needs_extended() const { return extended || data.size() > 255 || (le && *le > 256); }
  Bytes encode() const;
};
// Parses a command as a card receives it; throws CardError(Corrupt) on inconsistent lengths.
Command decode_command(std::span<const uint8_t> raw);

struct Response {
  Bytes data;
  uint16_t sw = 0;
  bool ok() const { return sw == 0x9000; }
  uint8_t sw1() const { return uint8_t(sw >> 8); }
  Bytes encode() const;
};
Response decode_response(std::span<const uint8_t> raw);  // needs at least the two status bytes

std::string sw_text(uint16_t sw);  // "6982" for messages

// Status words this project reacts to.
namespace sw {
constexpr uint16_t ok = 0x9000, end_of_file = 0x6282, wrong_length = 0x6700, security_not_satisfied = 0x6982,
                   auth_failed = 0x6300, sm_missing = 0x6987, sm_incorrect = 0x6988, not_found = 0x6A82,
                   wrong_offset = 0x6B00, ins_not_supported = 0x6D00, wrong_params = 0x6A86, conditions = 0x6985,
                   wrong_data = 0x6A80;
}

class CardChannel {
 public:
  virtual ~CardChannel() = default;
  virtual Response transmit(const Command& c) = 0;
  // True when both the card (ATR) and the link carry extended-length APDUs.
  virtual bool extended_length() const { return false; }
};

}  // namespace motcua::card
