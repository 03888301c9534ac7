// The document camera's live picture on the papers screen, as a GL texture that follows the
// newest preview frame (devices/scanner/camera_preview.h).
// Rule: the camera streams only while the papers screen waits for a picture; leaving it, or a
// scan starting, stops the camera and deletes the texture (a citizen's paper is in it).
#pragma once
#include <optional>

#include <imgui.h>

#include "devices/scanner/camera_preview.h"
#include "terminal/core/session.h"

namespace motcua {

class CameraView {
 public:
  explicit CameraView(scanner::CameraPreview& preview) : preview_(preview) {}
  CameraView(const CameraView&) = delete;
  CameraView& operator=(const CameraView&) = delete;

  // Each frame, before the screen is built (needs the GL context): the camera on or off.
  void want(bool on);
  struct Picture {
    ImTextureID texture = nullptr;  // null: no frame yet
    int width = 0, height = 0;
  };
  Picture picture();  // the newest frame, uploaded when it is new
  // Why the camera shows nothing, in the kinds the citizen's sentence is chosen by.
  std::optional<ScanProblem> problem() const;
  void drop();  // deletes the texture (needs the GL context)
  // Frames uploaded so far: a new frame in the same texture is a new picture on screen, though
  // ImGui's draw lists are the same.
  unsigned uploads() const { return uploads_; }

 private:
  scanner::CameraPreview& preview_;
  unsigned texture_ = 0, seen_ = 0, uploads_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace motcua
