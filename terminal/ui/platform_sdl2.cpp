#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_sdl.h>

#include "terminal/ui/platform.h"

namespace motcua {
namespace {

class Sdl2Platform : public Platform {
 public:
  ~Sdl2Platform() override { close(); }

  bool connect(std::string& error) override {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) { error = std::string("SDL2: ") + SDL_GetError(); return false; }
    connected_ = true;
    return true;
  }

  bool open(const WindowOptions& o, std::string& error) override {
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN;
    if (o.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    window_ = SDL_CreateWindow("MotCua", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, o.width, o.height, flags);
    if (!window_) { error = std::string("SDL2 window: ") + SDL_GetError(); return false; }
    gl_ = SDL_GL_CreateContext(window_);
    if (!gl_) { error = std::string("SDL2 GL context: ") + SDL_GetError(); close(); return false; }
    SDL_GL_MakeCurrent(window_, gl_);
    SDL_GL_SetSwapInterval(1);
    if (o.hide_cursor) SDL_ShowCursor(SDL_DISABLE);
    return true;
  }

  void show() override {
    imgui_ = ImGui_ImplSDL2_InitForOpenGL(window_, gl_);
    SDL_ShowWindow(window_);
  }

  void close() override {
    if (imgui_) ImGui_ImplSDL2_Shutdown();
    if (gl_) SDL_GL_DeleteContext(gl_);
    if (window_) SDL_DestroyWindow(window_);
    if (connected_) SDL_Quit();
    imgui_ = connected_ = false;
    window_ = nullptr;
    gl_ = nullptr;
  }

  void wait(std::optional<double> timeout) override {
    SDL_Event e;
    int got = timeout ? SDL_WaitEventTimeout(&e, static_cast<int>(*timeout * 1000.0 + 0.5)) : SDL_WaitEvent(&e);
    if (got) handle(e);
    poll();
  }

  void poll() override {
    SDL_Event e;
    while (SDL_PollEvent(&e)) handle(e);
  }

  bool take_input() override { bool was = input_; input_ = false; return was; }
  bool take_redraw() override { bool was = redraw_; redraw_ = false; return was; }
  bool should_close() override { return quit_; }
  void new_frame() override { ImGui_ImplSDL2_NewFrame(); }
  void present() override { SDL_GL_SwapWindow(window_); }
  void framebuffer_size(int& w, int& h) override { SDL_GL_GetDrawableSize(window_, &w, &h); }
  const char* name() const override { return "sdl2"; }
  void wake() override {
    SDL_Event e{};
    e.type = SDL_USEREVENT;
    SDL_PushEvent(&e);
  }

  double pixels_per_mm() override {
    float ddpi = 0, hdpi = 0, vdpi = 0;
    if (SDL_GetDisplayDPI(0, &ddpi, &hdpi, &vdpi) != 0 || hdpi <= 0) return 0;
    return hdpi / 25.4;
  }

 private:
  void handle(const SDL_Event& e) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    switch (e.type) {
      case SDL_QUIT: quit_ = true; break;
      case SDL_MOUSEMOTION: case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP: case SDL_MOUSEWHEEL:
      case SDL_FINGERDOWN: case SDL_FINGERUP: case SDL_FINGERMOTION:
      case SDL_KEYDOWN: case SDL_KEYUP: case SDL_TEXTINPUT:
        input_ = true;
        break;
      case SDL_WINDOWEVENT:
        // Only what changes the pixels on screen: not the pointer entering, focus or a move.
        switch (e.window.event) {
          case SDL_WINDOWEVENT_SHOWN: case SDL_WINDOWEVENT_EXPOSED: case SDL_WINDOWEVENT_RESIZED:
          case SDL_WINDOWEVENT_SIZE_CHANGED: case SDL_WINDOWEVENT_RESTORED: case SDL_WINDOWEVENT_MAXIMIZED:
            redraw_ = true;
            break;
          default: break;
        }
        break;
      case SDL_USEREVENT:  // wake(): another thread's news
        redraw_ = true;
        break;
      default: break;
    }
  }

  SDL_Window* window_ = nullptr;
  SDL_GLContext gl_ = nullptr;
  bool connected_ = false, imgui_ = false;
  bool input_ = false, redraw_ = false, quit_ = false;
};

}  // namespace

std::unique_ptr<Platform> make_sdl2_platform() { return std::make_unique<Sdl2Platform>(); }

}  // namespace motcua
