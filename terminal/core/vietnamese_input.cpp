#include "terminal/core/vietnamese_input.h"

#include <utf8proc.h>

#include <vector>

#include "forms/text.h"

namespace motcua {

namespace {

struct Letter {
  char base = 0;       // 'a'..'z' for letters; 0 for anything else
  char32_t other = 0;  // the code point itself when base == 0
  int shape = -1;      // -1 none, else a Shape
  bool upper = false;
};

struct Word {
  std::vector<Letter> letters;
  int tone = 0;  // 0 none, 1 acute, 2 grave, 3 hook, 4 tilde, 5 dot
};

struct VowelRow {
  char base;
  int shape;
  char32_t forms[6];  // no tone, then the five tones
};
const VowelRow kVowels[] = {
    {'a', -1, {U'a', U'á', U'à', U'ả', U'ã', U'ạ'}}, {'a', 1, {U'ă', U'ắ', U'ằ', U'ẳ', U'ẵ', U'ặ'}},
    {'a', 0, {U'â', U'ấ', U'ầ', U'ẩ', U'ẫ', U'ậ'}},  {'e', -1, {U'e', U'é', U'è', U'ẻ', U'ẽ', U'ẹ'}},
    {'e', 0, {U'ê', U'ế', U'ề', U'ể', U'ễ', U'ệ'}},  {'i', -1, {U'i', U'í', U'ì', U'ỉ', U'ĩ', U'ị'}},
    {'o', -1, {U'o', U'ó', U'ò', U'ỏ', U'õ', U'ọ'}}, {'o', 0, {U'ô', U'ố', U'ồ', U'ổ', U'ỗ', U'ộ'}},
    {'o', 2, {U'ơ', U'ớ', U'ờ', U'ở', U'ỡ', U'ợ'}},  {'u', -1, {U'u', U'ú', U'ù', U'ủ', U'ũ', U'ụ'}},
    {'u', 2, {U'ư', U'ứ', U'ừ', U'ử', U'ữ', U'ự'}},  {'y', -1, {U'y', U'ý', U'ỳ', U'ỷ', U'ỹ', U'ỵ'}},
};

const int kCircumflex = static_cast<int>(Shape::Circumflex), kBreve = static_cast<int>(Shape::Breve),
          kHorn = static_cast<int>(Shape::Horn), kStroke = static_cast<int>(Shape::Stroke);

bool vowel(const Letter& l) {
  return l.base == 'a' || l.base == 'e' || l.base == 'i' || l.base == 'o' || l.base == 'u' || l.base == 'y';
}

Word parse(const std::string& utf8) {
  Word w;
  for (char32_t c : text::code_points(text::nfc(utf8))) {
    Letter l;
    char32_t low = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
    l.upper = low != c;
    bool found = false;
    for (auto& row : kVowels)
      for (int t = 0; t < 6 && !found; ++t)
        if (row.forms[t] == low) {
          l.base = row.base;
          l.shape = row.shape;
          if (t) w.tone = t;
          found = true;
        }
    if (!found) {
      if (low == U'đ') { l.base = 'd'; l.shape = kStroke; }
      else if (low >= 'a' && low <= 'z') l.base = static_cast<char>(low);
      else l.other = c;
    }
    w.letters.push_back(l);
  }
  return w;
}

// The vowels that can carry the tone: "u" of "qu" and "i" of "gi" before another vowel are consonants.
std::vector<size_t> tone_vowels(const Word& w) {
  std::vector<size_t> v;
  for (size_t i = 0; i < w.letters.size(); ++i) {
    const Letter& l = w.letters[i];
    if (!vowel(l)) continue;
    bool after_q = i > 0 && w.letters[i - 1].base == 'q' && l.base == 'u';
    bool gi = i == 1 && w.letters[0].base == 'g' && l.base == 'i' && i + 1 < w.letters.size() && vowel(w.letters[i + 1]);
    if (!after_q && !gi) v.push_back(i);
  }
  return v;
}

long tone_position(const Word& w, TonePlacement placement) {
  auto v = tone_vowels(w);
  if (v.empty()) return -1;
  for (size_t k = v.size(); k-- > 0;)  // a shaped vowel takes the tone (the last one: ươ → ơ)
    if (w.letters[v[k]].shape >= 0) return static_cast<long>(v[k]);
  bool closed = v.back() + 1 < w.letters.size() && w.letters[v.back() + 1].base != 0;
  if (closed) return static_cast<long>(v.back());
  if (v.size() == 1) return static_cast<long>(v[0]);
  if (v.size() >= 3) return static_cast<long>(v[1]);
  char a = w.letters[v[0]].base, b = w.letters[v[1]].base;
  bool second = (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
  return static_cast<long>(placement == TonePlacement::Modern && second ? v[1] : v[0]);
}

std::string compose(const Word& w, TonePlacement placement) {
  long at = w.tone ? tone_position(w, placement) : -1;
  std::u32string out;
  for (size_t i = 0; i < w.letters.size(); ++i) {
    const Letter& l = w.letters[i];
    char32_t c = l.other;
    if (l.base == 'd' && l.shape == kStroke) c = U'đ';
    else if (vowel(l)) {
      for (auto& row : kVowels)
        if (row.base == l.base && row.shape == l.shape) c = row.forms[static_cast<long>(i) == at ? w.tone : 0];
    } else if (l.base) c = static_cast<char32_t>(l.base);
    if (l.upper) c = static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
    out += c;
  }
  return text::nfc(text::to_utf8(out));
}

void append(Word& w, char key) {
  Letter l;
  char low = static_cast<char>(std::tolower(static_cast<unsigned char>(key)));
  l.upper = low != key;
  if (low >= 'a' && low <= 'z') l.base = low;
  else l.other = static_cast<unsigned char>(key);
  w.letters.push_back(l);
}

// A tone key: sets the tone; the same tone again takes it off and types the key itself.
void tone_key(Word& w, int tone, char key) {
  if (tone_vowels(w).empty()) return append(w, key);
  if (w.tone == tone) { w.tone = 0; return append(w, key); }
  w.tone = tone;
}

// The last run of vowels in the word: [first, last].
bool last_cluster(const Word& w, size_t& first, size_t& last) {
  size_t i = w.letters.size();
  while (i > 0 && !vowel(w.letters[i - 1])) --i;
  if (i == 0) return false;
  last = i - 1;
  first = last;
  while (first > 0 && vowel(w.letters[first - 1])) --first;
  return true;
}

// "ươ" before a final sound, "uơ" in an open syllable (thuở, huơ): settle the u once the
// letters after the o are known. The u of "qu" never takes the horn.
void settle_uo(Word& w) {
  for (size_t i = 0; i + 1 < w.letters.size(); ++i) {
    Letter &u = w.letters[i], &o = w.letters[i + 1];
    bool after_q = i > 0 && w.letters[i - 1].base == 'q';
    if (u.base == 'u' && o.base == 'o' && o.shape == kHorn && !after_q && i + 2 < w.letters.size()) u.shape = kHorn;
  }
}

// Puts a shape on the right letter of the last vowel run; the same shape again undoes it.
bool shape_key(Word& w, int shape, const char* bases) {
  size_t first, last;
  if (!last_cluster(w, first, last)) return false;
  for (size_t k = last + 1; k-- > first;) {
    Letter& l = w.letters[k];
    if (std::string_view(bases).find(l.base) == std::string_view::npos) continue;
    if (l.shape == shape) {
      l.shape = -1;
      if (shape == kHorn && l.base == 'o' && k > first && w.letters[k - 1].base == 'u') w.letters[k - 1].shape = -1;
      return false;
    }
    l.shape = shape;
    settle_uo(w);
    return true;
  }
  return false;
}

}  // namespace

std::string type_key(const std::string& word, char key, const std::string& method, TonePlacement placement) {
  Word w = parse(word);
  char k = static_cast<char>(std::tolower(static_cast<unsigned char>(key)));
  if (method == "telex") {
    static const std::string tones = "sfrxj";
    if (auto t = tones.find(k); t != std::string::npos) { tone_key(w, static_cast<int>(t) + 1, key); return compose(w, placement); }
    if (k == 'z' && w.tone) { w.tone = 0; return compose(w, placement); }
    if ((k == 'a' || k == 'e' || k == 'o') && !w.letters.empty()) {
      Letter& last = w.letters.back();
      if (last.base == k && last.shape == -1) { last.shape = kCircumflex; return compose(w, placement); }
      if (last.base == k && last.shape == kCircumflex) { last.shape = -1; append(w, key); return compose(w, placement); }
    }
    if (k == 'd' && !w.letters.empty() && w.letters[0].base == 'd') {
      Letter& first = w.letters[0];
      if (first.shape == -1 && w.letters.size() == 1) { first.shape = kStroke; return compose(w, placement); }
    }
    if (k == 'w') {
      // aw → ă, ow → ơ, uw → ư, uow → ươ (uơ in an open syllable); w again undoes; a lone w is ư.
      size_t first, last;
      if (last_cluster(w, first, last)) {
        bool has_o_or_u = false, has_a = false;
        for (size_t i = first; i <= last; ++i) {
          has_o_or_u |= w.letters[i].base == 'o' || w.letters[i].base == 'u';
          has_a |= w.letters[i].base == 'a' && w.letters[i].shape != kCircumflex;
        }
        if (has_o_or_u || has_a) {
          bool shaped = has_o_or_u ? shape_key(w, kHorn, "ou") : shape_key(w, kBreve, "a");
          if (!shaped) append(w, key);
          return compose(w, placement);
        }
      }
      Letter u;
      u.base = 'u';
      u.shape = kHorn;
      u.upper = key == 'W';
      w.letters.push_back(u);
      return compose(w, placement);
    }
  } else if (method == "vni" && k >= '0' && k <= '9') {
    int d = k - '0';
    if (d >= 1 && d <= 5) { tone_key(w, d, key); return compose(w, placement); }
    if (d == 0 && w.tone) { w.tone = 0; return compose(w, placement); }
    if (d == 6 && shape_key(w, kCircumflex, "aeo")) return compose(w, placement);
    if (d == 7 && shape_key(w, kHorn, "ou")) return compose(w, placement);
    if (d == 8 && shape_key(w, kBreve, "a")) return compose(w, placement);
    if (d == 9 && !w.letters.empty() && w.letters[0].base == 'd' && w.letters[0].shape == -1) {
      w.letters[0].shape = kStroke;
      return compose(w, placement);
    }
  }
  append(w, key);
  settle_uo(w);
  return compose(w, placement);
}

std::string apply_tone(const std::string& word, ToneMark tone, TonePlacement placement) {
  Word w = parse(word);
  if (tone_vowels(w).empty()) return compose(w, placement);
  int t = static_cast<int>(tone);
  w.tone = w.tone == t ? 0 : t;  // the same tone key again takes the tone off
  return compose(w, placement);
}

std::string apply_shape(const std::string& word, Shape shape, TonePlacement placement) {
  Word w = parse(word);
  switch (shape) {
    case Shape::Circumflex: shape_key(w, kCircumflex, "aeo"); break;
    case Shape::Breve: shape_key(w, kBreve, "a"); break;
    case Shape::Horn: shape_key(w, kHorn, "ou"); break;
    case Shape::Stroke:
      if (!w.letters.empty() && w.letters[0].base == 'd') w.letters[0].shape = w.letters[0].shape == kStroke ? -1 : kStroke;
      break;
  }
  return compose(w, placement);
}

}  // namespace motcua
