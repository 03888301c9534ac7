#include "terminal/ui/page_previews.h"

#include <GL/gl.h>

#include <algorithm>
#include <cstdint>
#include <memory_resource>

#include "devices/scanner/page_jpeg.h"
#include "terminal/core/personal_data.h"

namespace motcua {

namespace {

constexpr int kPreviewSide = 256;  // pixels on the longer side, at most (libjpeg scales by 1/2..1/8)
constexpr size_t kMaxPreviews = 24;  // more than a dossier holds; past it, all are made again

unsigned tail_hash(const CapturedPage& page) {
  unsigned h = 2166136261u;
  size_t n = page.jpeg.size(), from = n > 4096 ? n - 4096 : 0;
  for (size_t i = from; i < n; ++i) h = (h ^ page.jpeg[i]) * 16777619u;
  return h;
}

}  // namespace

unsigned upload_grey_texture(const scanner::GrayImage& grey, unsigned texture) {
  // RGBA: the one upload format every GL context takes.
  std::pmr::vector<unsigned char> rgba(static_cast<size_t>(grey.width) * grey.height * 4, 0, zeroing_resource());
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    unsigned char v = grey.pixels[i];
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  GLuint tex = texture;
  if (!tex) glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, grey.width, grey.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  return tex;
}

PagePreviews::Preview PagePreviews::get(const CapturedPage& page) {
  unsigned tail = tail_hash(page);
  for (const Entry& e : entries_)
    if (e.data == page.jpeg.data() && e.size == page.jpeg.size() && e.tail == tail)
      return {e.texture ? reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(e.texture)) : nullptr, e.width, e.height};
  if (entries_.size() >= kMaxPreviews) drop();
  Entry e{page.jpeg.data(), page.jpeg.size(), tail, 0, 0, 0};
  scanner::GrayImage grey = scanner::decode_jpeg_preview(page.jpeg.data(), page.jpeg.size(), kPreviewSide);
  if (grey.width > 0 && grey.height > 0) {
    e.texture = upload_grey_texture(grey, 0);
    e.width = grey.width;
    e.height = grey.height;
  }
  entries_.push_back(e);
  return {e.texture ? reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(e.texture)) : nullptr, e.width, e.height};
}

void PagePreviews::drop() {
  for (const Entry& e : entries_)
    if (e.texture) {
      GLuint tex = e.texture;
      glDeleteTextures(1, &tex);
    }
  entries_.clear();
}

}  // namespace motcua
