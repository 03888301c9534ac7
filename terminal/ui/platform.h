// The window, GL context and input of one backend (GLFW by default, SDL2 as an alternative).
// The kiosk loop only sees this interface; each backend sits in its own file.
#pragma once
#include <memory>
#include <optional>
#include <string>

namespace motcua {

struct WindowOptions {
  bool fullscreen = true;  // undecorated, covering the primary monitor
  int width = 1080, height = 1920;  // used when not fullscreen
  bool hide_cursor = true;
};

class Platform {
 public:
  virtual ~Platform() = default;
  // Opening goes in three calls so that the slow middle one (the window and GL context) can
  // overlap work on another thread that needs the panel's density but no window (main.cpp).
  // Connects to the display: pixels_per_mm() answers from here on; false with a reason.
  virtual bool connect(std::string& error) = 0;
  // Creates the window, not shown yet, and its GL 3 context, current on this thread.
  virtual bool open(const WindowOptions& options, std::string& error) = 0;
  // Starts ImGui's platform backend (the ImGui context must exist) and shows the window.
  virtual void show() = 0;
  virtual void close() = 0;
  // Sleeps until an input event arrives or the timeout (seconds) passes; none: wait for input.
  virtual void wait(std::optional<double> timeout_seconds) = 0;
  virtual void poll() = 0;
  // True once since the last call if the person at the kiosk touched or typed.
  virtual bool take_input() = 0;
  // True once since the last call if the window was exposed or resized, or wake() was called:
  // redraw, but nobody acted.
  virtual bool take_redraw() = 0;
  virtual bool should_close() = 0;
  virtual void new_frame() = 0;  // platform half of ImGui's NewFrame
  virtual void present() = 0;
  virtual void framebuffer_size(int& w, int& h) = 0;
  // Physical pixel density of the panel, 0 when the monitor does not report its size.
  virtual double pixels_per_mm() = 0;
  virtual const char* name() const = 0;
  // Ends a wait() from another thread (a finished print job, a card reader event).
  virtual void wake() = 0;
};

std::unique_ptr<Platform> make_glfw_platform();
std::unique_ptr<Platform> make_sdl2_platform();
inline std::unique_ptr<Platform> make_platform(const std::string& backend) {
  return backend == "sdl2" ? make_sdl2_platform() : make_glfw_platform();
}

}  // namespace motcua
