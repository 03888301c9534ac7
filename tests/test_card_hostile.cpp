// Hostile chips: BER nested tens of thousands deep, face records whose lengths lie, JPEG 2000
// components of different sizes, lone UTF-16 surrogates. Each is CardError(Corrupt) or a
// clean value, never a read out of bounds or a stack overflow. Inputs are generated here.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "devices/card/card_error.h"
#include "devices/card/dg13.h"
#include "devices/card/dg2.h"
#include "devices/card/secure_messaging.h"
#include "devices/card/tlv.h"
#include "tests/card/card_files.h"

using namespace motcua::card;
using namespace motcua::card::testing;

namespace {
// `tag` nested n times around inner, built in one pass (encode_tlv per level would be quadratic).
Bytes nest(uint8_t tag, size_t n, const Bytes& inner) {
  std::vector<size_t> lengths(n);
  size_t len = inner.size();
  for (size_t i = n; i-- > 0;) {
    lengths[i] = len;
    len += 1 + encode_length(len).size();
  }
  Bytes out;
  out.reserve(len);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(tag);
    append(out, encode_length(lengths[i]));
  }
  append(out, inner);
  return out;
}

// DG13 holding one field record: 6D { 31 { 30 { INTEGER field, value } } }.
Bytes dg13_with(int field, const Bytes& value) {
  Bytes record = {0x02, 0x01, uint8_t(field)};
  append(record, value);
  return encode_tlv(0x6D, encode_tlv(0x31, encode_tlv(0x30, record)));
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += n;
  }
  return true;
}
}  // namespace

TEST_CASE("DG13 nested 100,000 levels deep is corrupt, not a stack overflow") {
  Bytes deep = nest(0xA0, 100000, encode_tlv(0x0C, bytes_of(std::string("x"))));
  CHECK_THROWS_WITH_AS(parse_dg13(dg13_with(2, deep)), doctest::Contains("deeper"), CardError);
  // Three levels, as real cards nest parents, still read.
  CHECK(parse_dg13(dg13_with(2, nest(0xA0, 3, encode_tlv(0x0C, bytes_of(std::string("AN")))))).full_name == "AN");
}

TEST_CASE("A BMPString with a lone surrogate gives valid UTF-8, and a surrogate pair gives its character") {
  CitizenRecord lone = parse_dg13(dg13_with(2, encode_tlv(0x1E, Bytes{0xD8, 0x00, 0x00, 0x41})));
  CHECK(valid_utf8(std::string(lone.full_name.begin(), lone.full_name.end())));
  CHECK(lone.full_name == "\xEF\xBF\xBD" "A");
  CitizenRecord low = parse_dg13(dg13_with(2, encode_tlv(0x1E, Bytes{0x00, 0x41, 0xDC, 0x00})));
  CHECK(low.full_name == "A\xEF\xBF\xBD");
  CitizenRecord pair = parse_dg13(dg13_with(2, encode_tlv(0x1E, Bytes{0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x41})));
  CHECK(pair.full_name == "\xF0\x9F\x98\x80" "A");
}

TEST_CASE("A face record whose block length is shorter than its headers is corrupt (no negative image length)") {
  Bytes dg2 = make_dg2(synthetic_face_jpeg(24, 32));
  const char fac[] = {'F', 'A', 'C', 0};
  auto at = std::search(dg2.begin(), dg2.end(), fac, fac + 4);
  REQUIRE(at != dg2.end());
  size_t block = size_t(at - dg2.begin()) + 14;  // the facial record block length, 4 bytes
  for (uint32_t length : {0u, 1u, 31u}) {
    Bytes bad = dg2;
    for (int i = 0; i < 4; ++i) bad[block + i] = uint8_t(length >> (8 * (3 - i)));
    CHECK_THROWS_WITH_AS(parse_dg2(bad), doctest::Contains("shorter than its header"), CardError);
  }
  CHECK(parse_dg2(dg2).format == ImageFormat::Jpeg);
}

TEST_CASE("JPEG 2000 with chroma components half the size of the first decodes within bounds") {
  FaceImage face = parse_dg2(make_dg2(synthetic_face_j2k(96, 128, 2), true));
  Pixels px = decode_face(face);
  REQUIRE(px.width == 96);
  REQUIRE(px.height == 128);
  auto at = [&](int x, int y) { return &px.rgba[(size_t(y) * 96 + x) * 4]; };
  // The same drawn face as at full resolution: skin in the middle, pale background at the corner.
  CHECK(std::abs(at(48, 58)[0] - 225) < 25);
  CHECK(std::abs(at(48, 58)[2] - 160) < 25);
  CHECK(at(2, 2)[2] > 215);
  CHECK(at(95, 127)[2] > 215);
}

TEST_CASE("A JPEG 2000 header claiming a huge image, many components or many tiles is refused before it is decoded") {
  Bytes j2k = synthetic_face_j2k(96, 128);
  REQUIRE(j2k.size() > 42);
  REQUIRE((j2k[2] == 0xFF && j2k[3] == 0x51));  // SIZ follows SOC
  auto put32 = [](Bytes& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = uint8_t(v >> (8 * (3 - i)));
  };
  // SIZ: Xsiz 8, Ysiz 12, XTsiz 24, YTsiz 28 (bytes from the start of the codestream).
  Bytes huge = j2k;
  for (size_t at : {8u, 12u, 24u, 28u}) put32(huge, at, 3000);  // 9 megapixels, one tile
  Bytes tiny_tiles = j2k;
  put32(tiny_tiles, 24, 1);  // a 1 × 1 pixel tile: 12,288 tiles for a 96 × 128 image
  put32(tiny_tiles, 28, 1);
  for (const Bytes& bad : {huge, tiny_tiles}) {
    FaceImage face = parse_dg2(make_dg2(bad, true));
    CHECK_THROWS_WITH_AS(decode_face(face), doctest::Contains("more than a face photo"), CardError);
  }
  CHECK(decode_face(parse_dg2(make_dg2(j2k, true))).width == 96);
  // A JP2 file is checked through its codestream box, and a sound one still decodes.
  Bytes jp2 = synthetic_face_j2k(96, 128, 1, true);
  auto soc = std::search(jp2.begin(), jp2.end(), j2k.begin(), j2k.begin() + 4);
  REQUIRE(soc != jp2.end());
  CHECK(decode_face(parse_dg2(make_dg2(jp2, true))).height == 128);
  Bytes huge_jp2 = jp2;
  size_t siz = size_t(soc - jp2.begin());
  for (size_t at : {8u, 12u, 24u, 28u}) put32(huge_jp2, siz + at, 3000);
  CHECK_THROWS_WITH_AS(decode_face(parse_dg2(make_dg2(huge_jp2, true))), doctest::Contains("more than a face photo"), CardError);
}

TEST_CASE("A protected command whose DO87 is empty, or has no padding indicator, is refused, never a span past its end") {
  for (Cipher c : {Cipher::Des3, Cipher::Aes128}) {
    size_t block = block_size(c);
    Bytes k_enc(key_size(c), 0x11), k_mac(key_size(c), 0x22), ssc(block, 0);
    for (const Bytes& do87 : {Bytes{0x87, 0x00}, Bytes{0x87, 0x01, 0x02}}) {
      // A correct MAC over the object, as a reader holding the keys (or a relay) can make one.
      Bytes counted = ssc;
      counted.back() = 1;  // the card increments its counter before checking
      Bytes header = pad_iso9797(Bytes{0x0C, 0xB0, 0x00, 0x00}, block);
      Bytes body = do87;
      append(body, encode_tlv(0x8E, sm_mac(c, k_mac, pad_iso9797(concat({counted, header, do87}), block))));
      SecureMessaging card(c, k_enc, k_mac, ssc);
      CHECK_THROWS_WITH_AS(card.unprotect_command(Command{0x0C, 0xB0, 0x00, 0x00, body, std::nullopt, false}),
                           doctest::Contains("padding indicator"), CardError);
    }
  }
}
