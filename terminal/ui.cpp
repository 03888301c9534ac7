#include "terminal/ui.h"

#include <imgui_internal.h>

#include "forms/text.h"

namespace motcua {

void record_widget(Ui& ui, const std::string& id, const std::string& label, bool interactive) {
  ui.widgets[id] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), label, interactive};
}

bool big_button(Ui& ui, const char* id, const std::string& label, Tone tone, ImVec2 size) {
  ImGuiStyle& style = ImGui::GetStyle();
  float width = size.x < 0 ? ImGui::GetContentRegionAvail().x : size.x;
  float text_w = width - 2 * style.FramePadding.x;
  ImVec2 text_size = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
  float height = std::max({size.y, ui.touch_px, text_size.y + 2 * style.FramePadding.y});

  ImU32 fill = colors::primary, fill_pressed = colors::primary_pressed, ink = colors::surface, edge = 0;
  if (tone == Tone::Secondary) { fill = colors::surface; fill_pressed = IM_COL32(220, 230, 245, 255); ink = colors::primary; edge = colors::primary; }
  if (tone == Tone::Quiet) { fill = colors::surface; fill_pressed = IM_COL32(225, 228, 233, 255); ink = colors::text; edge = colors::border; }
  if (tone == Tone::Danger) { fill = colors::surface; fill_pressed = IM_COL32(250, 225, 225, 255); ink = colors::danger; edge = colors::danger; }

  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id, ImVec2(width, height));
  bool held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 end(pos.x + width, pos.y + height);
  float rounding = ui.mm(2);
  dl->AddRectFilled(pos, end, held ? fill_pressed : fill, rounding);
  if (edge) dl->AddRect(pos, end, edge, rounding, 0, std::max(2.0f, ui.mm(0.6f)));
  // Pressed state must show without colour alone: an inset outline as well.
  if (held) dl->AddRect(ImVec2(pos.x + 4, pos.y + 4), ImVec2(end.x - 4, end.y - 4), ink, rounding, 0, 3.0f);
  ImVec2 text_pos(pos.x + (width - text_size.x) / 2, pos.y + (height - text_size.y) / 2);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), text_pos, ink, label.c_str(), nullptr, text_w);
  record_widget(ui, id, label, true);
  return pressed;
}

void heading(Ui& ui, const std::string& text) {
  ImGui::PushFont(ui.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, colors::text);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void paragraph(Ui&, const std::string& text, ImU32 color) {
  ImGui::PushStyleColor(ImGuiCol_Text, color ? color : colors::muted);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void hero_text(Ui& ui, const std::string& text, ImU32 color) {
  ImGui::PushFont(ui.fonts.hero);
  ImGui::PushStyleColor(ImGuiCol_Text, color ? color : colors::primary);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

namespace {
int resize_arena_text(ImGuiInputTextCallbackData* d) {
  if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* s = static_cast<std::pmr::string*>(d->UserData);
    s->resize(static_cast<size_t>(d->BufTextLen));
    d->Buf = s->data();
  }
  return 0;
}
}  // namespace

bool text_field(Ui& ui, const char* id, const std::string& label, std::pmr::string& value) {
  ImGui::PushStyleColor(ImGuiCol_Text, colors::text);
  ImGui::TextUnformatted(label.c_str());
  ImGui::PopStyleColor();
  ImGuiStyle& style = ImGui::GetStyle();
  float pad_y = std::max(style.FramePadding.y, (ui.touch_px - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, pad_y));
  ImGui::SetNextItemWidth(-1);
  std::string hidden_id = std::string("##") + id;
  bool changed = ImGui::InputText(hidden_id.c_str(), value.data(), value.capacity() + 1,
                                  ImGuiInputTextFlags_CallbackResize, resize_arena_text, &value);
  ImGui::PopStyleVar();
  if (ImGui::IsItemDeactivatedAfterEdit()) text::nfc_in_place(value);
  record_widget(ui, id, label, true);
  return changed;
}

void apply_theme(float px_per_mm, float gap_px) {
  auto mm = [&](float v) { return v * px_per_mm; };
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsLight(&s);
  s.WindowPadding = ImVec2(mm(8), mm(6));
  s.FramePadding = ImVec2(mm(4), mm(2.5f));
  s.ItemSpacing = ImVec2(gap_px, gap_px);
  s.ItemInnerSpacing = ImVec2(mm(2), mm(2));
  s.ScrollbarSize = mm(8);  // a finger can drag it
  s.GrabMinSize = mm(10);
  s.FrameRounding = mm(1.5f);
  s.WindowRounding = 0;
  s.WindowBorderSize = 0;
  s.FrameBorderSize = 2;
  s.TouchExtraPadding = ImVec2(mm(1), mm(1));
  s.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(colors::background);
  s.Colors[ImGuiCol_ChildBg] = ImGui::ColorConvertU32ToFloat4(colors::background);
  s.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(colors::text);
  s.Colors[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(colors::surface);
  s.Colors[ImGuiCol_FrameBgActive] = ImGui::ColorConvertU32ToFloat4(colors::surface);
  s.Colors[ImGuiCol_FrameBgHovered] = ImGui::ColorConvertU32ToFloat4(colors::surface);
  s.Colors[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(colors::border);
  s.Colors[ImGuiCol_ScrollbarBg] = ImGui::ColorConvertU32ToFloat4(IM_COL32(225, 229, 235, 255));
  s.Colors[ImGuiCol_ScrollbarGrab] = ImGui::ColorConvertU32ToFloat4(colors::border);
}

}  // namespace motcua
