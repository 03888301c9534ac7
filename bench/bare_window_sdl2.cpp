// Baseline for the kiosk on SDL2 (`--backend sdl2`, as motcua-kiosk.service runs it under cage):
// the least any SDL2 + OpenGL 3 + ImGui program pays to put one frame on screen (default font,
// one line of text). SDL2 is linked, so its sound and Wayland libraries load as for any SDL2
// program. Prints JSON like --report.
#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#include <GL/gl.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "terminal/services/process_age.h"

int main(int, char**) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) return 2;
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_Window* w = SDL_CreateWindow("bare", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1080, 1920, SDL_WINDOW_OPENGL);
  if (!w) return 2;
  SDL_GLContext gl = SDL_GL_CreateContext(w);
  if (!gl) return 2;
  SDL_GL_MakeCurrent(w, gl);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplSDL2_InitForOpenGL(w, gl);
  ImGui_ImplOpenGL3_Init("#version 130");
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  ImGui::Text("Hello");
  ImGui::Render();
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(w);
  glFinish();
  double ms = motcua::process_age_ms();  // from the kernel's start of the process, as the kiosk's --report
  long pss = 0;
  std::ifstream in("/proc/self/smaps_rollup");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Pss:", 0) == 0) pss = std::stol(line.substr(4));
  std::printf("{\"report\":{\"firstFrameMs\":%.3f,\"pssKiB\":%ld}}\n", ms, pss);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(w);
  SDL_Quit();
  return 0;
}
