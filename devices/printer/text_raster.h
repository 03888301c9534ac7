// Vietnamese text drawn by the printer's own renderer: thermal firmware cannot print the tone
// marks (CP1258 puts them in separate cells), so every word is rasterised with Noto Sans.
// Rule: lines break only between words, never inside a syllable; a single word wider than the
// paper (a long code) is the one exception: it wraps after its last fitting - . / _ or, failing
// that, by character. Every glyph advance is measured once per size, so wrapping is linear time.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "devices/printer/bitmap.h"

namespace motcua::printer {

struct FontError : std::runtime_error { using std::runtime_error::runtime_error; };

enum class Weight { Regular, Bold };
enum class Align { Left, Center, Right };

class TextRenderer {
 public:
  TextRenderer();  // loads Noto Sans Regular and Bold (fonts-noto-core); throws FontError
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  int width(std::string_view utf8, int px, Weight w) const;       // advance width in dots
  // The largest size up to px at which the text fits max_width on one line, or 0 when even
  // min_px does not fit. Numbers and codes shrink rather than break.
  int fit_size(std::string_view utf8, int px, Weight w, int max_width, int min_px) const;
  int line_height(int px, Weight w) const;  // ascender to descender: room for stacked tone marks and dots below
  std::vector<std::string> wrap(std::string_view utf8, int px, Weight w, int max_width) const;
  // Wrapped text as a bitmap exactly max_width dots wide, aligned as asked.
  Bitmap render(std::string_view utf8, int px, Weight w, int max_width, Align align) const;

 private:
  long advance(char32_t cp, int px, Weight w) const;  // 26.6 units, cached
  struct Faces;
  std::unique_ptr<Faces> faces_;
};

}  // namespace motcua::printer
