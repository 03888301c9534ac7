// Small pictures of the scanned pages for the papers screen, as GL textures, so the citizen sees
// what was scanned (upside down, the wrong paper) before it goes.
// Rule (personal data): a preview lives no longer than its session: the kiosk drops them all when
// the session ends (a new generation); the pixels on the way to GL are in zeroing buffers.
#pragma once
#include <cstddef>
#include <vector>

#include <imgui.h>

#include "terminal/core/captured_documents.h"

namespace motcua {

namespace scanner { struct GrayImage; }

// A grey picture as a GL texture (needs the window's GL context): into `texture` when it is not 0
// (its size may change), else a new one. Returns the texture.
unsigned upload_grey_texture(const scanner::GrayImage& grey, unsigned texture);

class PagePreviews {
 public:
  struct Preview {
    ImTextureID texture = nullptr;  // null: the page could not be read
    int width = 0, height = 0;
  };
  // The page's picture, made on first use (needs the window's GL context).
  Preview get(const CapturedPage& page);
  void drop();  // deletes every texture; needs the GL context when there are any

 private:
  struct Entry {
    const unsigned char* data;
    size_t size;
    unsigned tail;  // a hash of the JPEG's last bytes: a new page at a freed one's address differs
    unsigned texture;
    int width, height;
  };
  std::vector<Entry> entries_;
};

}  // namespace motcua
