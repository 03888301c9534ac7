#include "devices/printer/bitmap.h"

#include <stb_image_write.h>

#include <algorithm>

namespace motcua::printer {

void Bitmap::fill(int x, int y, int w, int h, bool black) {
  for (int yy = std::max(0, y); yy < std::min(height, y + h); ++yy)
    for (int xx = std::max(0, x); xx < std::min(width, x + w); ++xx) dots[static_cast<size_t>(yy) * width + xx] = black;
}

void Bitmap::blit(const Bitmap& src, int x, int y) {
  for (int yy = 0; yy < src.height; ++yy)
    for (int xx = 0; xx < src.width; ++xx)
      if (src.at(xx, yy)) set(x + xx, y + yy);
}

void Bitmap::grow(int new_height) {
  if (new_height <= height) return;
  dots.resize(static_cast<size_t>(width) * new_height, 0);
  height = new_height;
}

size_t Bitmap::black_dots() const { return static_cast<size_t>(std::count(dots.begin(), dots.end(), 1)); }

std::vector<uint8_t> Bitmap::packed_rows(int first_row, int rows) const {
  int bytes = (width + 7) / 8;
  std::vector<uint8_t> out(static_cast<size_t>(bytes) * rows, 0);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < width; ++x)
      if (at(x, first_row + y)) out[static_cast<size_t>(y) * bytes + x / 8] |= static_cast<uint8_t>(0x80 >> (x % 8));
  return out;
}

bool write_png(const Bitmap& b, const std::string& path, int scale) {
  int w = b.width * scale, h = b.height * scale;
  if (w <= 0 || h <= 0) return false;
  std::vector<uint8_t> gray(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) gray[static_cast<size_t>(y) * w + x] = b.at(x / scale, y / scale) ? 0 : 255;
  return stbi_write_png(path.c_str(), w, h, 1, gray.data(), w) != 0;
}

}  // namespace motcua::printer
