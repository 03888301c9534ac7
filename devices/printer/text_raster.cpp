#include "devices/printer/text_raster.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include "forms/text.h"

namespace motcua::printer {

namespace {
const char* kRegular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
const char* kBold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
}  // namespace

struct TextRenderer::Faces {
  FT_Library lib = nullptr;
  FT_Face regular = nullptr, bold = nullptr;
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
  if (FT_Init_FreeType(&faces_->lib)) throw FontError("FreeType failed to start");
  if (FT_New_Face(faces_->lib, kRegular, 0, &faces_->regular) || FT_New_Face(faces_->lib, kBold, 0, &faces_->bold))
    throw FontError(std::string(kRegular) + ": font not found (install the fonts-noto-core package)");
}

TextRenderer::~TextRenderer() = default;

int TextRenderer::width(std::string_view utf8, int px, Weight w) const {
  FT_Face f = faces_->face(w, px);
  long total = 0;
  for (char32_t cp : text::code_points(text::nfc(utf8))) {
    if (FT_Load_Char(f, cp, FT_LOAD_DEFAULT | FT_LOAD_TARGET_MONO)) continue;
    total += f->glyph->advance.x;
  }
  return static_cast<int>((total + 63) / 64);
}

int TextRenderer::line_height(int px, Weight w) const {
  FT_Face f = faces_->face(w, px);
  return static_cast<int>((f->size->metrics.ascender - f->size->metrics.descender + 63) / 64);
}

std::vector<std::string> TextRenderer::wrap(std::string_view utf8, int px, Weight w, int max_width) const {
  std::vector<std::string> lines;
  std::string text = text::nfc(utf8);
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string paragraph = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    // Widths add up (no kerning), so each word is measured once.
    std::string line;
    int line_w = 0;
    const int space_w = width(" ", px, w);
    size_t pos = 0;
    while (pos < paragraph.size()) {
      size_t space = paragraph.find(' ', pos);
      std::string word = paragraph.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
      pos = space == std::string::npos ? paragraph.size() : space + 1;
      if (word.empty()) continue;
      int word_w = width(word, px, w);
      if (line.empty()) {
        line = word;
        line_w = word_w;
      } else if (line_w + space_w + word_w <= max_width) {
        line += " " + word;
        line_w += space_w + word_w;
      } else {
        lines.push_back(line);
        line = word;
        line_w = word_w;
      }
      // A single word wider than the paper (a long code): split it by code point as a last resort.
      while (line_w > max_width) {
        std::u32string cps = text::code_points(line);
        size_t fit = cps.size();
        std::string head;
        while (fit > 1 && width(head = text::to_utf8(std::u32string_view(cps).substr(0, fit)), px, w) > max_width) --fit;
        if (fit <= 1) head = text::to_utf8(std::u32string_view(cps).substr(0, 1));
        lines.push_back(head);
        line = line.substr(head.size());
        line_w = width(line, px, w);
      }
    }
    lines.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
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
