#include "terminal/ui/camera_view.h"

#include <GL/gl.h>

#include <cstdint>

#include "terminal/services/scan_service.h"
#include "terminal/ui/page_previews.h"

namespace motcua {

void CameraView::want(bool on) {
  preview_.want(on);
  if (!on) drop();
}

CameraView::Picture CameraView::picture() {
  if (preview_.problem()) {
    drop();  // the last frame is not what the camera sees now: the screen says why instead
    return {};
  }
  scanner::GrayImage frame;
  if (preview_.newest(frame, seen_)) {
    texture_ = upload_grey_texture(frame, texture_);
    ++uploads_;
    width_ = frame.width;
    height_ = frame.height;
  }
  if (!texture_) return {};
  return {reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture_)), width_, height_};
}

std::optional<ScanProblem> CameraView::problem() const {
  if (auto kind = preview_.problem()) return to_scan_problem(*kind);
  return std::nullopt;
}

void CameraView::drop() {
  if (!texture_) return;
  GLuint tex = texture_;
  glDeleteTextures(1, &tex);
  texture_ = 0;
  width_ = height_ = 0;
}

}  // namespace motcua
