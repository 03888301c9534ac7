// BER-TLV as used by ISO 7816 and ICAO LDS: multi-byte tags, short and long definite lengths.
// Rule: every length is checked against the bytes actually present; a bad one throws
// CardError(Corrupt) naming the tag, never reads past the buffer.
#pragma once
#include <optional>
#include <vector>

#include "devices/card/bytes.h"

namespace motcua::card {

struct Tlv {
  uint32_t tag = 0;      // the tag bytes as a number, e.g. 0x5F1F
  size_t header = 0;     // tag + length bytes
  std::span<const uint8_t> value;
  size_t size() const { return header + value.size(); }
  bool constructed() const;
};

// One TLV at the start of `in`.
Tlv read_tlv(std::span<const uint8_t> in);
// The whole length of the TLV whose first bytes are `head` (for sizing a file from its header);
// nullopt when `head` is too short to tell.
std::optional<size_t> tlv_total_size(std::span<const uint8_t> head);
// Every TLV in `in`, back to back.
std::vector<Tlv> read_all(std::span<const uint8_t> in);
// The first child with `tag`, or nullopt.
std::optional<Tlv> find_child(std::span<const uint8_t> in, uint32_t tag);

Bytes encode_length(size_t n);
Bytes encode_tlv(uint32_t tag, std::span<const uint8_t> value);

}  // namespace motcua::card
