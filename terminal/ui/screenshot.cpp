#include "terminal/ui/screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <vector>

namespace motcua {

std::string write_framebuffer_png(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return "empty framebuffer";
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
  stbi_flip_vertically_on_write(1);  // GL's origin is bottom-left
  if (!stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3))
    return path + ": cannot write PNG";
  return {};
}

}  // namespace motcua
