#include "terminal/ui/fonts.h"

#include <filesystem>

namespace motcua {

namespace {
const char* kRegular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
const char* kBold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";

// Vietnamese plus the punctuation the strings use (dashes, quotes, ellipsis, đồng sign).
const ImWchar* text_ranges(ImFontAtlas& atlas) {
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(atlas.GetGlyphRangesVietnamese());
    static const ImWchar extra[] = {0x2013, 0x2014, 0x2018, 0x201D, 0x2022, 0x2022, 0x2026, 0x2026, 0x20AB, 0x20AB, 0};
    b.AddRanges(extra);
    b.BuildRanges(&ranges);
  }
  return ranges.Data;
}

// Codes and countdowns: digits, Latin letters, dash.
const ImWchar kHeroRanges[] = {0x0020, 0x007E, 0};

ImFont* add(ImFontAtlas& atlas, const char* path, float px, const ImWchar* ranges) {
  if (!std::filesystem::exists(path))
    throw FontError(std::string(path) + ": font not found (install the fonts-noto-core package)");
  ImFontConfig cfg;
  // Glyphs are rasterised at the size they are drawn: no oversampling needed, half the atlas.
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  ImFont* f = atlas.AddFontFromFileTTF(path, px, &cfg, ranges);
  if (!f) throw FontError(std::string(path) + ": cannot load font");
  return f;
}
}  // namespace

Fonts build_fonts(ImFontAtlas& atlas, float body_px) {
  atlas.Clear();
  Fonts f;
  f.body = add(atlas, kRegular, body_px, text_ranges(atlas));
  f.title = add(atlas, kBold, body_px * 1.4f, text_ranges(atlas));
  f.hero = add(atlas, kBold, body_px * 2.6f, kHeroRanges);
  if (!atlas.Build()) throw FontError("cannot build the font atlas");
  return f;
}

}  // namespace motcua
