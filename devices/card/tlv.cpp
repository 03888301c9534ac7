#include "devices/card/tlv.h"

#include <cstdio>

#include "devices/card/card_error.h"

namespace motcua::card {

namespace {
CardError corrupt(const char* what, uint32_t tag) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "corrupt TLV: %s (tag %X)", what, tag);
  return CardError(CardErrorKind::Corrupt, buf);
}

// Parses tag and length; returns false when `in` is too short to hold them.
bool read_header(std::span<const uint8_t> in, uint32_t& tag, size_t& header, size_t& length) {
  size_t i = 0;
  if (in.empty()) return false;
  tag = in[i++];
  if ((tag & 0x1F) == 0x1F) {
    do {
      if (i >= in.size()) return false;
      if (i >= 4) throw corrupt("tag longer than 4 bytes", tag);
      tag = tag << 8 | in[i];
    } while (in[i++] & 0x80);
  }
  if (i >= in.size()) return false;
  uint8_t first = in[i++];
  if (first < 0x80) {
    length = first;
  } else {
    size_t n = first & 0x7F;
    if (n == 0 || n > 3) throw corrupt("unsupported length form", tag);
    length = 0;
    for (size_t k = 0; k < n; ++k) {
      if (i >= in.size()) return false;
      length = length << 8 | in[i++];
    }
  }
  header = i;
  return true;
}
}  // namespace

bool Tlv::constructed() const {
  uint32_t first = tag;
  while (first > 0xFF) first >>= 8;
  return first & 0x20;
}

Tlv read_tlv(std::span<const uint8_t> in) {
  uint32_t tag = 0;
  size_t header = 0, length = 0;
  if (!read_header(in, tag, header, length)) throw corrupt("truncated header", tag);
  if (in.size() - header < length) throw corrupt("value longer than the data", tag);
  return Tlv{tag, header, in.subspan(header, length)};
}

std::optional<size_t> tlv_total_size(std::span<const uint8_t> head) {
  uint32_t tag = 0;
  size_t header = 0, length = 0;
  if (!read_header(head, tag, header, length)) return std::nullopt;
  return header + length;
}

std::vector<Tlv> read_all(std::span<const uint8_t> in) {
  std::vector<Tlv> out;
  while (!in.empty()) {
    // 00 and FF between objects are padding in ISO 7816 files.
    if (in[0] == 0x00 || in[0] == 0xFF) {
      in = in.subspan(1);
      continue;
    }
    Tlv t = read_tlv(in);
    out.push_back(t);
    in = in.subspan(t.size());
  }
  return out;
}

std::optional<Tlv> find_child(std::span<const uint8_t> in, uint32_t tag) {
  for (const Tlv& t : read_all(in))
    if (t.tag == tag) return t;
  return std::nullopt;
}

Bytes encode_length(size_t n) {
  if (n < 0x80) return {uint8_t(n)};
  if (n <= 0xFF) return {0x81, uint8_t(n)};
  if (n <= 0xFFFF) return {0x82, uint8_t(n >> 8), uint8_t(n)};
  return {0x83, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
}

Bytes encode_tlv(uint32_t tag, std::span<const uint8_t> value) {
  Bytes out;
  bool started = false;
  for (int shift = 24; shift >= 0; shift -= 8) {
    uint8_t b = uint8_t(tag >> shift);
    if (b || started || shift == 0) {
      out.push_back(b);
      started = true;
    }
  }
  append(out, encode_length(value.size()));
  append(out, value);
  return out;
}

}  // namespace motcua::card
