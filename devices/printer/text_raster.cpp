#include "devices/printer/text_raster.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdint>
#include <unordered_map>

#include "devices/printer/print_libraries.h"
#include "forms/text.h"

namespace motcua::printer {

namespace {
const char* kRegular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
const char* kBold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
}  // namespace

struct TextRenderer::Faces {
  FT_Library lib = nullptr;
  FT_Face regular = nullptr, bold = nullptr;
  std::unordered_map<uint64_t, long> advances;  // (weight, px, code point) -> 26.6 advance
  ~Faces() {
    if (regular) FT_Done_Face(regular);
    if (bold) FT_Done_Face(bold);
    if (lib) FT_Done_FreeType(lib);
  }
  FT_Face face(Weight w, int px) const {
    FT_Face f = w == Weight::Bold ? bold : regular;
    FT_Set_Pixel_Sizes(f, 0, static_cast<FT_UInt>(px));
    return f;
  }
};

TextRenderer::TextRenderer() : faces_(std::make_unique<Faces>()) {
  if (FT_Init_FreeType(&faces_->lib))
    throw FontError(freetype::library_error().empty() ? "FreeType failed to start" : freetype::library_error());
  if (FT_New_Face(faces_->lib, kRegular, 0, &faces_->regular) || FT_New_Face(faces_->lib, kBold, 0, &faces_->bold))
    throw FontError(std::string(kRegular) + ": font not found (install the fonts-noto-core package)");
}

TextRenderer::~TextRenderer() = default;

long TextRenderer::advance(char32_t cp, int px, Weight w) const {
  uint64_t key = (static_cast<uint64_t>(w == Weight::Bold) << 52) | (static_cast<uint64_t>(px) << 32) | cp;
  auto it = faces_->advances.find(key);
  if (it != faces_->advances.end()) return it->second;
  FT_Face f = faces_->face(w, px);
  long a = FT_Load_Char(f, cp, FT_LOAD_DEFAULT | FT_LOAD_TARGET_MONO) ? 0 : f->glyph->advance.x;
  faces_->advances.emplace(key, a);
  return a;
}

int TextRenderer::width(std::string_view utf8, int px, Weight w) const {
  long total = 0;
  for (char32_t cp : text::code_points(text::nfc(utf8))) total += advance(cp, px, w);
  return static_cast<int>((total + 63) / 64);
}

int TextRenderer::fit_size(std::string_view utf8, int px, Weight w, int max_width, int min_px) const {
  int full = width(utf8, px, w);
  if (full > max_width && full > 0) px = std::min(px, static_cast<int>(static_cast<long long>(px) * max_width / full) + 1);
  for (; px >= min_px; --px)
    if (width(utf8, px, w) <= max_width) return px;
  return 0;
}

int TextRenderer::line_height(int px, Weight w) const {
  FT_Face f = faces_->face(w, px);
  return static_cast<int>((f->size->metrics.ascender - f->size->metrics.descender + 63) / 64);
}

std::vector<std::string> TextRenderer::wrap(std::string_view utf8, int px, Weight w, int max_width) const {
  std::vector<std::string> lines;
  const std::u32string text = text::code_points(text::nfc(utf8));
  const long limit = static_cast<long>(max_width) * 64;  // widths add up (no kerning): compare in 26.6 units
  const long space = advance(U' ', px, w);
  auto fits = [&](long w26) { return (w26 + 63) / 64 * 64 <= limit; };
  std::u32string line;
  long line_w = 0;
  auto flush = [&] {
    lines.push_back(text::to_utf8(line));
    line.clear();
    line_w = 0;
  };
  size_t i = 0;
  while (i <= text.size()) {
    size_t end = i;
    while (end < text.size() && text[end] != U' ' && text[end] != U'\n') ++end;
    if (end > i) {
      std::u32string_view word(text.data() + i, end - i);
      long word_w = 0;
      for (char32_t c : word) word_w += advance(c, px, w);
      if (!line.empty() && fits(line_w + space + word_w)) {
        line += U' ';
        line += word;
        line_w += space + word_w;
      } else {
        if (!line.empty()) flush();
        if (fits(word_w)) {
          line = word;
          line_w = word_w;
        } else {
          // Wider than the paper: cut after the last - . / _ that fits, else by character.
          size_t k = 0;
          while (k < word.size()) {
            size_t j = k, brk = 0;
            long run = 0;
            while (j < word.size() && (j == k || fits(run + advance(word[j], px, w)))) {
              run += advance(word[j], px, w);
              ++j;
              if (word[j - 1] == U'-' || word[j - 1] == U'.' || word[j - 1] == U'/' || word[j - 1] == U'_') brk = j;
            }
            if (j < word.size() && brk > k) j = brk;
            line = word.substr(k, j - k);
            line_w = 0;
            for (char32_t c : line) line_w += advance(c, px, w);
            k = j;
            if (k < word.size()) flush();
          }
        }
      }
    }
    if (end >= text.size()) break;
    if (text[end] == U'\n') flush();
    i = end + 1;
  }
  lines.push_back(text::to_utf8(line));
  return lines;
}

Bitmap TextRenderer::render(std::string_view utf8, int px, Weight w, int max_width, Align align) const {
  auto lines = wrap(utf8, px, w, max_width);
  int lh = line_height(px, w);
  Bitmap out(max_width, lh * static_cast<int>(lines.size()));
  FT_Face f = faces_->face(w, px);
  int ascender = static_cast<int>((f->size->metrics.ascender + 63) / 64);
  for (size_t i = 0; i < lines.size(); ++i) {
    int line_w = width(lines[i], px, w);
    int x = align == Align::Left ? 0 : align == Align::Center ? (max_width - line_w) / 2 : max_width - line_w;
    int baseline = static_cast<int>(i) * lh + ascender;
    long pen = x * 64;
    for (char32_t cp : text::code_points(lines[i])) {
      if (FT_Load_Char(f, cp, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO)) continue;
      const FT_Bitmap& g = f->glyph->bitmap;
      int gx = static_cast<int>(pen / 64) + f->glyph->bitmap_left;
      int gy = baseline - f->glyph->bitmap_top;
      for (unsigned r = 0; r < g.rows; ++r)
        for (unsigned c = 0; c < g.width; ++c) {
          bool black = g.pixel_mode == FT_PIXEL_MODE_MONO ? (g.buffer[r * g.pitch + c / 8] >> (7 - c % 8)) & 1
                                                           : g.buffer[r * g.pitch + c] >= 128;
          if (black) out.set(gx + static_cast<int>(c), gy + static_cast<int>(r));
        }
      pen += f->glyph->advance.x;
    }
  }
  return out;
}

}  // namespace motcua::printer
