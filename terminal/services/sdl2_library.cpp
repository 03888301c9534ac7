// SDL2, opened when it is first called (dlopen), not when the kiosk starts. The kiosk runs on GLFW
// unless told otherwise; SDL2 is its second backend (the one motcua-kiosk.service runs under cage)
// and read-aloud's sound output. Linked, it brought ALSA, PulseAudio (with libsndfile and five
// codecs), Wayland and libdecor to every start on GLFW: about 2 MB and 20 libraries before the
// first frame (issue 22).
// Every SDL function the program calls is a forwarder here (devices/deferred_library.h), ImGui's
// SDL2 backend in libimgui.a included. A function called but not listed fails to link, which is
// how a new one is noticed.
// Rule: when libSDL2 cannot be opened, SDL_Init and SDL_InitSubSystem fail as SDL's do (-1), and
// SDL_GetError says which library is missing and its package; nothing else is reached then.
#include <SDL.h>

#include <string>

#include "devices/deferred_library.h"

// Return type, name, parameters, arguments, and the answer without the library.
#define MOTCUA_SDL2_FUNCTIONS(X)                                                                                 \
  X(int, SDL_CaptureMouse, (SDL_bool enabled), (enabled), )                                                      \
  X(void, SDL_ClearQueuedAudio, (SDL_AudioDeviceID dev), (dev), )                                                \
  X(void, SDL_CloseAudioDevice, (SDL_AudioDeviceID dev), (dev), )                                                \
  X(SDL_Cursor*, SDL_CreateSystemCursor, (SDL_SystemCursor id), (id), )                                          \
  X(SDL_Window*, SDL_CreateWindow, (const char* title, int x, int y, int w, int h, Uint32 flags),                \
    (title, x, y, w, h, flags), )                                                                                \
  X(void, SDL_DestroyWindow, (SDL_Window * window), (window), )                                                  \
  X(void, SDL_FreeCursor, (SDL_Cursor * cursor), (cursor), )                                                     \
  X(SDL_GLContext, SDL_GL_CreateContext, (SDL_Window * window), (window), )                                      \
  X(void, SDL_GL_DeleteContext, (SDL_GLContext context), (context), )                                            \
  X(void, SDL_GL_GetDrawableSize, (SDL_Window * window, int* w, int* h), (window, w, h), )                       \
  X(int, SDL_GL_MakeCurrent, (SDL_Window * window, SDL_GLContext context), (window, context), )                  \
  X(int, SDL_GL_SetAttribute, (SDL_GLattr attr, int value), (attr, value), )                                     \
  X(int, SDL_GL_SetSwapInterval, (int interval), (interval), )                                                   \
  X(void, SDL_GL_SwapWindow, (SDL_Window * window), (window), )                                                  \
  X(Sint16, SDL_GameControllerGetAxis, (SDL_GameController * controller, SDL_GameControllerAxis axis),           \
    (controller, axis), )                                                                                        \
  X(Uint8, SDL_GameControllerGetButton, (SDL_GameController * controller, SDL_GameControllerButton button),      \
    (controller, button), )                                                                                      \
  X(SDL_GameController*, SDL_GameControllerOpen, (int joystick_index), (joystick_index), )                       \
  X(char*, SDL_GetClipboardText, (void), (), )                                                                   \
  X(const char*, SDL_GetCurrentVideoDriver, (void), (), )                                                        \
  X(int, SDL_GetDisplayDPI, (int display, float* ddpi, float* hdpi, float* vdpi), (display, ddpi, hdpi, vdpi), ) \
  X(Uint32, SDL_GetGlobalMouseState, (int* x, int* y), (x, y), )                                                 \
  X(SDL_Window*, SDL_GetKeyboardFocus, (void), (), )                                                             \
  X(SDL_Keymod, SDL_GetModState, (void), (), )                                                                   \
  X(SDL_Window*, SDL_GetMouseFocus, (void), (), )                                                                \
  X(Uint32, SDL_GetMouseState, (int* x, int* y), (x, y), )                                                       \
  X(Uint64, SDL_GetPerformanceCounter, (void), (), )                                                             \
  X(Uint64, SDL_GetPerformanceFrequency, (void), (), )                                                           \
  X(Uint32, SDL_GetWindowFlags, (SDL_Window * window), (window), )                                               \
  X(void, SDL_GetWindowPosition, (SDL_Window * window, int* x, int* y), (window, x, y), )                        \
  X(void, SDL_GetWindowSize, (SDL_Window * window, int* w, int* h), (window, w, h), )                            \
  X(SDL_AudioDeviceID, SDL_OpenAudioDevice,                                                                      \
    (const char* device, int iscapture, const SDL_AudioSpec* desired, SDL_AudioSpec* obtained, int changes),     \
    (device, iscapture, desired, obtained, changes), )                                                           \
  X(void, SDL_PauseAudioDevice, (SDL_AudioDeviceID dev, int pause_on), (dev, pause_on), )                        \
  X(int, SDL_PollEvent, (SDL_Event * event), (event), )                                                          \
  X(int, SDL_PushEvent, (SDL_Event * event), (event), )                                                          \
  X(int, SDL_QueueAudio, (SDL_AudioDeviceID dev, const void* data, Uint32 len), (dev, data, len), )              \
  X(void, SDL_Quit, (void), (), )                                                                                \
  X(void, SDL_QuitSubSystem, (Uint32 flags), (flags), )                                                          \
  X(int, SDL_SetClipboardText, (const char* text), (text), )                                                     \
  X(void, SDL_SetCursor, (SDL_Cursor * cursor), (cursor), )                                                      \
  X(SDL_bool, SDL_SetHint, (const char* name, const char* value), (name, value), )                               \
  X(int, SDL_ShowCursor, (int toggle), (toggle), )                                                               \
  X(void, SDL_ShowWindow, (SDL_Window * window), (window), )                                                     \
  X(int, SDL_WaitEvent, (SDL_Event * event), (event), )                                                          \
  X(int, SDL_WaitEventTimeout, (SDL_Event * event, int timeout), (event, timeout), )                             \
  X(void, SDL_WarpMouseInWindow, (SDL_Window * window, int x, int y), (window, x, y), )                          \
  X(void, SDL_free, (void* memory), (memory), )                                                                  \
  X(int, SDL_Init, (Uint32 flags), (flags), -1)                                                                  \
  X(int, SDL_InitSubSystem, (Uint32 flags), (flags), -1)                                                         \
  X(const char*, SDL_GetError, (void), (), motcua::sdl2::library_error().c_str())

namespace motcua::sdl2 {
const std::string& library_error();
MOTCUA_DEFERRED_TABLE(MOTCUA_SDL2_FUNCTIONS, "MOTCUA_SDL2_LIBRARY", "libSDL2-2.0.so.0", "libsdl2-2.0-0")
}  // namespace motcua::sdl2

extern "C" {
#define MOTCUA_SDL2_FORWARD(R, f, params, args, missing) MOTCUA_DEFERRED_FORWARD(motcua::sdl2, R, f, params, args, missing)
MOTCUA_SDL2_FUNCTIONS(MOTCUA_SDL2_FORWARD)
#undef MOTCUA_SDL2_FORWARD
}  // extern "C"
