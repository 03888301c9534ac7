#include "forms/text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace motcua::text {
namespace {

struct FreeDeleter { void operator()(utf8proc_uint8_t* p) const { std::free(p); } };

// Replaces invalid UTF-8 with U+FFFD so normalisation never fails on bad input.
std::string sanitize(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(in.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(in.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) { out += "\xEF\xBF\xBD"; p += 1; left -= 1; continue; }
    out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n; left -= n;
  }
  return out;
}

// Text passing through here may be a citizen's (chip fields, answers): the temporaries are
// zeroed before they are freed; the caller owns (and wipes) what is returned.
std::string map(std::string_view in, int options) {
  std::string clean = sanitize(in);
  utf8proc_uint8_t* result = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                                    static_cast<utf8proc_ssize_t>(clean.size()),
                                    &result, static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> guard(result);
  if (n < 0) return clean;
  std::string out(reinterpret_cast<const char*>(result), static_cast<size_t>(n));
  explicit_bzero(result, static_cast<size_t>(n));
  explicit_bzero(clean.data(), clean.capacity());
  return out;
}

template <class F> void for_each_codepoint(std::string_view s, F f) {
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 0) { cp = 0xFFFD; n = 1; }
    f(cp);
    p += n; left -= n;
  }
}

void append_utf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool is_vietnamese_tone(utf8proc_int32_t cp) {
  return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}

}  // namespace

std::string nfc(std::string_view utf8) {
  return map(utf8, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::string search_key(std::string_view utf8) {
  std::string stripped = map(utf8, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                       UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
  std::string out;
  out.reserve(stripped.size());
  bool pending_space = false;
  for_each_codepoint(stripped, [&](utf8proc_int32_t cp) {
    if (cp == 0x0111 || cp == 0x0110) cp = 'd';  // đ has no decomposition
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == '\t' || cp == '\n' || cp == '\r') {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) { out += ' '; pending_space = false; }
    append_utf8(out, cp);
  });
  return out;
}

bool search_matches(std::string_view haystack_key, std::string_view needle_key) {
  return needle_key.empty() || haystack_key.find(needle_key) != std::string_view::npos;
}

std::string tone_placement_key(std::string_view utf8) {
  std::string decomposed = map(utf8, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
  std::string out, word;
  utf8proc_int32_t tone = 0;
  auto flush = [&] {
    out += word;
    if (tone) append_utf8(out, tone);
    word.clear();
    tone = 0;
  };
  for_each_codepoint(decomposed, [&](utf8proc_int32_t cp) {
    if (is_vietnamese_tone(cp)) { tone = cp; return; }
    auto cat = utf8proc_category(cp);
    bool letter = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                  (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
    if (!letter) { flush(); append_utf8(out, cp); return; }
    append_utf8(word, cp);
  });
  flush();
  return map(out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for_each_codepoint(utf8, [&](utf8proc_int32_t cp) { out.push_back(static_cast<char32_t>(cp)); });
  return out;
}

std::string to_utf8(std::u32string_view cps) {
  std::string out;
  for (char32_t c : cps) append_utf8(out, static_cast<utf8proc_int32_t>(c));
  return out;
}

std::string upper(std::string_view utf8) {
  std::u32string cps = code_points(nfc(utf8));
  for (char32_t& c : cps) c = static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
  return nfc(to_utf8(cps));
}

std::string capitalized(std::string_view utf8) {
  std::u32string cps = code_points(nfc(utf8));
  if (!cps.empty()) cps[0] = static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cps[0])));
  return nfc(to_utf8(cps));
}

namespace {
// Bytes a well-formed sequence starting with lead byte c holds (RFC 3629), 0 for a stray byte.
size_t sequence_length(unsigned char c) { return c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0; }
}  // namespace

size_t codepoint_count(std::string_view utf8) {
  // Schema lengths are counted on every validation: well-formed text (what a parsed JSON string
  // holds) is counted by its lead bytes; anything ill-formed as utf8proc decodes it.
  auto p = reinterpret_cast<const unsigned char*>(utf8.data());
  auto end = p + utf8.size();
  size_t n = 0;
  while (p < end) {
    uint64_t eight;
    if (end - p >= 8 && (std::memcpy(&eight, p, 8), (eight & 0x8080808080808080ull) == 0)) {  // eight ASCII bytes
      p += 8;
      n += 8;
      continue;
    }
    size_t len = sequence_length(*p);
    if (len == 0 || static_cast<size_t>(end - p) < len) break;
    bool ok = true;
    for (size_t k = 1; k < len; ++k) ok &= (p[k] & 0xC0) == 0x80;
    // Overlong, surrogate and past-U+10FFFF forms hide in the second byte.
    if (len == 3) ok &= !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
    if (len == 4) ok &= !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
    if (!ok) break;
    p += len;
    ++n;
  }
  if (p == end) return n;
  n = 0;
  for_each_codepoint(utf8, [&](utf8proc_int32_t) { ++n; });
  return n;
}

}  // namespace motcua::text

namespace motcua::text {

void nfc_in_place(std::pmr::string& s) {
  const int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  auto src = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto len = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t need = utf8proc_decompose(src, len, nullptr, 0, static_cast<utf8proc_option_t>(options));
  if (need < 0) return;
  // reencode writes UTF-8 into the same buffer: make room for 4 bytes per code point.
  std::pmr::vector<utf8proc_int32_t> buf(static_cast<size_t>(need) + 1, s.get_allocator().resource());
  utf8proc_ssize_t n = utf8proc_decompose(src, len, buf.data(), need, static_cast<utf8proc_option_t>(options));
  if (n < 0) return;
  n = utf8proc_normalize_utf32(buf.data(), n, static_cast<utf8proc_option_t>(options));
  if (n < 0) return;
  n = utf8proc_reencode(buf.data(), n, static_cast<utf8proc_option_t>(options));
  if (n < 0) return;
  s.assign(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(n));
  explicit_bzero(buf.data(), buf.size() * sizeof(utf8proc_int32_t));
}

}  // namespace motcua::text
