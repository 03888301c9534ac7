// Reads the frame just rendered back from the GL framebuffer and writes it as PNG.
#pragma once
#include <string>

namespace motcua {

// Call after rendering and before swapping buffers. Returns an error message, empty on success.
std::string write_framebuffer_png(const std::string& path, int width, int height);

}  // namespace motcua
