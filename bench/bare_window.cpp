// Baseline for the kiosk's startup and memory: the least any GLFW + OpenGL 3 + ImGui program
// pays to put one frame on screen (default font, one line of text). Prints JSON like --report.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "terminal/services/process_age.h"

int main() {
  if (!glfwInit()) return 2;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  GLFWwindow* w = glfwCreateWindow(1080, 1920, "bare", nullptr, nullptr);
  if (!w) return 2;
  glfwMakeContextCurrent(w);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(w, true);
  ImGui_ImplOpenGL3_Init("#version 130");
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ImGui::Text("Hello");
  ImGui::Render();
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glfwSwapBuffers(w);
  glFinish();
  double ms = motcua::process_age_ms();  // from the kernel's start of the process, as the kiosk's --report
  long pss = 0;
  std::ifstream in("/proc/self/smaps_rollup");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Pss:", 0) == 0) pss = std::stol(line.substr(4));
  std::printf("{\"report\":{\"firstFrameMs\":%.3f,\"pssKiB\":%ld}}\n", ms, pss);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(w);
  glfwTerminate();
  return 0;
}
