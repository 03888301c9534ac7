#include "terminal/core/signature.h"

#include <stb_image_write.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "terminal/core/base64.h"
#include "terminal/core/personal_data.h"

namespace motcua {

namespace {
struct Point {
  float x, y;
};

// Stamps a disc of ink at every half pixel along the segment: a pen about 4 px wide.
void ink_segment(std::vector<unsigned char>& px, int w, int h, Point a, Point b, float radius) {
  float len = std::hypot(b.x - a.x, b.y - a.y);
  int steps = std::max(1, static_cast<int>(len * 2));
  for (int i = 0; i <= steps; ++i) {
    float t = static_cast<float>(i) / static_cast<float>(steps);
    float cx = a.x + (b.x - a.x) * t, cy = a.y + (b.y - a.y) * t;
    for (int y = static_cast<int>(cy - radius); y <= static_cast<int>(cy + radius); ++y)
      for (int x = static_cast<int>(cx - radius); x <= static_cast<int>(cx + radius); ++x)
        if (x >= 0 && y >= 0 && x < w && y < h && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius)
          px[static_cast<size_t>(y) * w + x] = 0;
  }
}
}  // namespace

std::string signature_png_base64(std::string_view strokes, int w, int h) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * h, 255);
  bool any = false;
  size_t at = 0;
  while (at < strokes.size()) {
    size_t end = strokes.find('|', at);
    if (end == std::string_view::npos) end = strokes.size();
    std::string_view stroke = strokes.substr(at, end - at);
    std::vector<Point> points;
    size_t p = 0;
    while (p < stroke.size()) {
      size_t q = stroke.find(' ', p);
      if (q == std::string_view::npos) q = stroke.size();
      int x = 0, y = 0;
      if (std::sscanf(std::string(stroke.substr(p, q - p)).c_str(), "%d,%d", &x, &y) == 2)
        points.push_back({x / 9999.0f * static_cast<float>(w - 1), y / 9999.0f * static_cast<float>(h - 1)});
      p = q + 1;
    }
    for (size_t i = 0; i < points.size(); ++i) {
      ink_segment(px, w, h, points[i], points[i + 1 < points.size() ? i + 1 : i], 2.0f);
      any = true;
    }
    at = end + 1;
  }
  if (!any) return {};
  std::string png;
  stbi_write_png_to_func([](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), size); },
                         &png, w, h, 1, px.data(), w);
  std::string out = base64(png);
  secure_zero(png.data(), png.size());
  secure_zero(px.data(), px.size());
  return out;
}

}  // namespace motcua
