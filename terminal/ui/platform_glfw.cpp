#include <atomic>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>

#include "terminal/ui/platform.h"

namespace motcua {
namespace {

class GlfwPlatform : public Platform {
 public:
  ~GlfwPlatform() override { close(); }

  bool connect(std::string& error) override {
    glfwSetErrorCallback([](int, const char* d) { last_error() = d; });
    if (!glfwInit()) { error = "GLFW: " + last_error(); return false; }
    connected_ = true;
    monitor_ = glfwGetPrimaryMonitor();
    return true;
  }

  bool open(const WindowOptions& o, std::string& error) override {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    int w = o.width, h = o.height;
    if (o.fullscreen && monitor_) {
      const GLFWvidmode* mode = glfwGetVideoMode(monitor_);
      w = mode->width;
      h = mode->height;
      glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
      glfwWindowHint(GLFW_FLOATING, GLFW_TRUE);
    }
    window_ = glfwCreateWindow(w, h, "MotCua", nullptr, nullptr);
    if (!window_) { error = "GLFW window: " + last_error(); return false; }
    if (o.fullscreen) glfwSetWindowPos(window_, 0, 0);
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
    if (o.hide_cursor) glfwSetInputMode(window_, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);

    // Ours first: ImGui's backend chains to callbacks installed before it.
    glfwSetWindowUserPointer(window_, this);
    glfwSetMouseButtonCallback(window_, [](GLFWwindow* w, int, int, int) { self(w)->input_ = true; });
    // The pointer's first report (the window appearing under it) is not a person moving it.
    glfwSetCursorPosCallback(window_, [](GLFWwindow* w, double x, double y) {
      GlfwPlatform* p = self(w);
      if (p->has_cursor_ && (x != p->cursor_x_ || y != p->cursor_y_)) p->input_ = true;
      p->has_cursor_ = true;
      p->cursor_x_ = x;
      p->cursor_y_ = y;
    });
    glfwSetScrollCallback(window_, [](GLFWwindow* w, double, double) { self(w)->input_ = true; });
    glfwSetKeyCallback(window_, [](GLFWwindow* w, int, int, int, int) { self(w)->input_ = true; });
    glfwSetCharCallback(window_, [](GLFWwindow* w, unsigned) { self(w)->input_ = true; });
    glfwSetWindowSizeCallback(window_, [](GLFWwindow* w, int, int) { self(w)->redraw_ = true; });
    glfwSetWindowRefreshCallback(window_, [](GLFWwindow* w) { self(w)->redraw_ = true; });
    return true;
  }

  void show() override {
    imgui_ = ImGui_ImplGlfw_InitForOpenGL(window_, true);
    glfwShowWindow(window_);
  }

  void close() override {
    if (imgui_) ImGui_ImplGlfw_Shutdown();
    if (window_) glfwDestroyWindow(window_);
    if (connected_) glfwTerminate();
    imgui_ = connected_ = false;
    window_ = nullptr;
  }

  void wait(std::optional<double> timeout) override {
    if (timeout) glfwWaitEventsTimeout(*timeout > 0 ? *timeout : 0.0);
    else glfwWaitEvents();
  }
  void poll() override { glfwPollEvents(); }
  bool take_input() override { bool was = input_; input_ = false; return was; }
  bool take_redraw() override {
    bool was = redraw_ || woken_.exchange(false);
    redraw_ = false;
    return was;
  }
  bool should_close() override { return glfwWindowShouldClose(window_); }
  void new_frame() override { ImGui_ImplGlfw_NewFrame(); }
  void present() override { glfwSwapBuffers(window_); }
  void framebuffer_size(int& w, int& h) override { glfwGetFramebufferSize(window_, &w, &h); }
  const char* name() const override { return "glfw"; }
  void wake() override {
    woken_ = true;
    glfwPostEmptyEvent();
  }

  double pixels_per_mm() override {
    if (!monitor_) return 0;
    int wmm = 0, hmm = 0;
    glfwGetMonitorPhysicalSize(monitor_, &wmm, &hmm);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor_);
    return (wmm > 0 && mode) ? static_cast<double>(mode->width) / wmm : 0;
  }

 private:
  static GlfwPlatform* self(GLFWwindow* w) { return static_cast<GlfwPlatform*>(glfwGetWindowUserPointer(w)); }
  static std::string& last_error() { static std::string e; return e; }

  GLFWwindow* window_ = nullptr;
  GLFWmonitor* monitor_ = nullptr;
  bool connected_ = false, imgui_ = false;
  bool input_ = false, redraw_ = false;
  std::atomic<bool> woken_{false};  // set by other threads: their news needs a frame
  bool has_cursor_ = false;
  double cursor_x_ = 0, cursor_y_ = 0;
};

}  // namespace

std::unique_ptr<Platform> make_glfw_platform() { return std::make_unique<GlfwPlatform>(); }

}  // namespace motcua
