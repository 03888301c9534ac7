#include "tests/support/barcode_reader.h"

#include <stb_image.h>
#include <zbar.h>

#include <algorithm>

namespace motcua::test {

std::vector<Symbol> read_symbols(const printer::Bitmap& paper) {
  using namespace zbar;  // the C API lives in this namespace when compiled as C++
  // zbar wants 8-bit grey; add a white margin like paper around the print.
  const int pad = 40, w = paper.width + 2 * pad, h = paper.height + 2 * pad;
  std::vector<unsigned char> grey(static_cast<size_t>(w) * h, 255);
  for (int y = 0; y < paper.height; ++y)
    for (int x = 0; x < paper.width; ++x)
      if (paper.at(x, y)) grey[static_cast<size_t>(y + pad) * w + x + pad] = 0;
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 1);
  zbar_image_t* image = zbar_image_create();
  zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image, static_cast<unsigned>(w), static_cast<unsigned>(h));
  zbar_image_set_data(image, grey.data(), grey.size(), nullptr);
  zbar_scan_image(scanner, image);
  std::vector<Symbol> out;
  for (const zbar_symbol_t* s = zbar_image_first_symbol(image); s; s = zbar_symbol_next(s))
    out.push_back({zbar_get_symbol_name(zbar_symbol_get_type(s)), zbar_symbol_get_data(s)});
  zbar_image_destroy(image);
  zbar_image_scanner_destroy(scanner);
  return out;
}

std::vector<std::string> symbols_of(const printer::Bitmap& paper, const std::string& type) {
  std::vector<std::string> out;
  for (auto& s : read_symbols(paper))
    if (s.type == type) out.push_back(s.data);
  std::sort(out.begin(), out.end());
  return out;
}

printer::Bitmap screen_as_paper(const std::string& png_path) {
  int w = 0, h = 0, n = 0;
  unsigned char* p = stbi_load(png_path.c_str(), &w, &h, &n, 1);
  printer::Bitmap b(w, h);
  for (int i = 0; p && i < w * h; ++i) b.dots[static_cast<size_t>(i)] = p[i] < 128;
  stbi_image_free(p);
  return b;
}

}  // namespace motcua::test
