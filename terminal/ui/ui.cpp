#include "terminal/ui/ui.h"

#include <imgui_internal.h>

#include <cmath>

#include "forms/text.h"

namespace motcua {

void record_widget(Ui& ui, const std::string& id, const std::string& label, bool interactive) {
  // Inside ImGui::BeginDisabled nothing is a touch target, whatever drew it.
  if (ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled) interactive = false;
  ui.widgets[id] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), label, interactive};
}

namespace {
// A touch target's frame: filled, edged, and when held an inset outline too (not colour alone).
bool button_frame(Ui& ui, const char* id, ImVec2 pos, ImVec2 size, ImU32 fill, ImU32 fill_pressed, ImU32 edge, ImU32 ink) {
  bool pressed = ImGui::InvisibleButton(id, size);
  bool held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 end(pos.x + size.x, pos.y + size.y);
  float rounding = ui.mm(2);
  dl->AddRectFilled(pos, end, held ? fill_pressed : fill, rounding);
  if (edge) dl->AddRect(pos, end, edge, rounding, 0, std::max(2.0f, ui.mm(0.6f)));
  if (held) dl->AddRect(ImVec2(pos.x + 4, pos.y + 4), ImVec2(end.x - 4, end.y - 4), ink, rounding, 0, 3.0f);
  return pressed;
}
}  // namespace

float line_button_height(const Ui& ui) {
  return std::max(ui.touch_px, ImGui::GetFontSize() + 2 * ImGui::GetStyle().FramePadding.y);
}

bool big_button(Ui& ui, const char* id, const std::string& label, Tone tone, ImVec2 size) {
  ImGuiStyle& style = ImGui::GetStyle();
  float width = size.x < 0 ? ImGui::GetContentRegionAvail().x : size.x;
  float text_w = width - 2 * style.FramePadding.x;
  ImVec2 text_size = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
  float height = std::max({size.y, ui.touch_px, text_size.y + 2 * style.FramePadding.y});

  const Palette& p = ui.pal;
  ImU32 fill = p.primary, fill_pressed = p.primary_pressed, ink = p.on_primary, edge = 0;
  if (tone == Tone::Secondary) { fill = p.surface; fill_pressed = p.secondary_pressed; ink = p.primary; edge = p.primary; }
  if (tone == Tone::Quiet) { fill = p.surface; fill_pressed = p.secondary_pressed; ink = p.text; edge = p.border; }
  if (tone == Tone::Danger) { fill = p.surface; fill_pressed = p.secondary_pressed; ink = p.danger; edge = p.danger; }
  // Inside ImGui::BeginDisabled (a control the form's rules disable): greyed, and no touch target.
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  if (disabled) { fill = fill_pressed = p.track; ink = p.muted; edge = p.border; }

  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = button_frame(ui, id, pos, ImVec2(width, height), fill, fill_pressed, edge, ink);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 text_pos(pos.x + (width - text_size.x) / 2, pos.y + (height - text_size.y) / 2);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), text_pos, ink, label.c_str(), nullptr, text_w);
  record_widget(ui, id, label, !disabled);
  // The bar is not read on every screen, nor the keyboard's keys: thirty letters would bury the
  // screen's sentences each time it is read again with the keyboard open (errors on "Tiếp tục").
  const std::string_view name(id);
  if (name.rfind("chrome.", 0) != 0 && name.rfind("key.", 0) != 0) ui.announce.push_back(label);
  return pressed;
}

bool detailed_button(Ui& ui, const char* id, const std::string& label, const std::string& detail) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x, pad = style.FramePadding.x, text_w = width - 2 * pad;
  ImGui::PushFont(ui.fonts.title);
  const float title_size = ImGui::GetFontSize();
  const ImVec2 title = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
  ImGui::PopFont();
  const ImVec2 body = ImGui::CalcTextSize(detail.c_str(), nullptr, false, text_w);
  const float gap = ui.mm(1);
  const float height = std::max(ui.touch_px * 1.6f, title.y + gap + body.y + 2 * style.FramePadding.y);

  const Palette& p = ui.pal;
  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = button_frame(ui, id, pos, ImVec2(width, height), p.surface, p.secondary_pressed, p.border, p.text);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float y = pos.y + (height - title.y - gap - body.y) / 2;
  dl->AddText(ui.fonts.title, title_size, ImVec2(pos.x + pad, y), p.text, label.c_str(), nullptr, text_w);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + pad, y + title.y + gap), p.muted, detail.c_str(), nullptr, text_w);
  record_widget(ui, id, label + "\n" + detail, true);
  ui.announce.push_back(label + ". " + detail);
  return pressed;
}

void draw_speaker_icon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
  dl->AddRectFilled(ImVec2(c.x - s * 0.45f, c.y - s * 0.15f), ImVec2(c.x - s * 0.25f, c.y + s * 0.15f), col);
  dl->AddTriangleFilled(ImVec2(c.x - s * 0.25f, c.y - s * 0.15f), ImVec2(c.x, c.y - s * 0.4f), ImVec2(c.x - s * 0.25f, c.y + s * 0.15f), col);
  dl->AddTriangleFilled(ImVec2(c.x - s * 0.25f, c.y + s * 0.15f), ImVec2(c.x, c.y - s * 0.4f), ImVec2(c.x, c.y + s * 0.4f), col);
  for (int i = 1; i <= 2; ++i)
    dl->PathArcTo(ImVec2(c.x, c.y), s * (0.18f + 0.14f * i), -0.8f, 0.8f, 12), dl->PathStroke(col, 0, s * 0.07f);
}

void speak_button(Ui& ui, const char* id, const std::string& text) {
  if (!ui.session.read_aloud()) return;
  ImVec2 p = ImGui::GetCursorScreenPos();
  float side = ui.touch_px;
  bool pressed = ImGui::InvisibleButton(id, ImVec2(side, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), ImGui::IsItemActive() ? ui.pal.secondary_pressed : ui.pal.surface, ui.mm(1.5f));
  dl->AddRect(p, ImVec2(p.x + side, p.y + side), ui.pal.primary, ui.mm(1.5f), 0, 2.0f);
  draw_speaker_icon(dl, ImVec2(p.x + side / 2, p.y + side / 2), side * 0.7f, ui.pal.primary);
  record_widget(ui, id, text, true);
  if (pressed) ui.say_now.push_back(text);
}

// The form's own tick box: drawn inside the button, so a finger on the box ticks it, and as large
// as the words beside it at every text size.
bool toggle_button(Ui& ui, const char* id, const std::string& label, bool on) { return mark_button(ui, id, label, on, false); }

bool mark_button(Ui& ui, const char* id, const std::string& label, bool on, bool round) {
  ImGuiStyle& style = ImGui::GetStyle();
  const Palette& p = ui.pal;
  float width = ImGui::GetContentRegionAvail().x;
  float box = std::max(ui.mm(7), ImGui::GetFontSize() * 0.9f), inset = style.FramePadding.x;
  float text_w = width - inset - box - ui.gap_px - inset;
  ImVec2 text_size = ImGui::CalcTextSize(label.c_str(), nullptr, false, text_w);
  float height = std::max(ui.touch_px, text_size.y + 2 * style.FramePadding.y);
  bool disabled = ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled;
  ImU32 fill = on ? p.primary : p.surface, ink = on ? p.on_primary : p.text, edge = on ? p.primary : p.border;
  ImU32 mark_edge = on ? p.on_primary : p.primary;
  if (disabled) fill = p.track, ink = p.muted, edge = p.border, mark_edge = p.muted;

  ImVec2 pos = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton(id, ImVec2(width, height));
  bool held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 end(pos.x + width, pos.y + height);
  dl->AddRectFilled(pos, end, held ? (on ? p.primary_pressed : p.secondary_pressed) : fill, ui.mm(2));
  dl->AddRect(pos, end, edge, ui.mm(2), 0, std::max(2.0f, ui.mm(0.6f)));
  if (held) dl->AddRect(ImVec2(pos.x + 4, pos.y + 4), ImVec2(end.x - 4, end.y - 4), ink, ui.mm(2), 0, 3.0f);
  // The mark itself, drawn rather than typed: a ring with a dot for one answer, a box with a tick for several.
  ImVec2 b0(pos.x + inset, pos.y + (height - box) / 2), b1(b0.x + box, b0.y + box);
  ImVec2 c((b0.x + b1.x) / 2, (b0.y + b1.y) / 2);
  float line = std::max(3.0f, box * 0.1f);
  if (round) {
    dl->AddCircleFilled(c, box / 2, on ? p.primary : p.surface, 32);
    dl->AddCircle(c, box / 2 - line / 2, mark_edge, 32, line);
    if (on) dl->AddCircleFilled(c, box * 0.24f, mark_edge, 24);
  } else {
    dl->AddRectFilled(b0, b1, on ? p.primary : p.surface, ui.mm(1));
    dl->AddRect(b0, b1, mark_edge, ui.mm(1), 0, line);
    if (on) {
      dl->AddLine(ImVec2(b0.x + box * 0.2f, b0.y + box * 0.55f), ImVec2(b0.x + box * 0.42f, b0.y + box * 0.78f), mark_edge, line * 1.3f);
      dl->AddLine(ImVec2(b0.x + box * 0.42f, b0.y + box * 0.78f), ImVec2(b0.x + box * 0.82f, b0.y + box * 0.25f), mark_edge, line * 1.3f);
    }
  }
  ImVec2 text_pos(b1.x + ui.gap_px, pos.y + (height - text_size.y) / 2);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), text_pos, ink, label.c_str(), nullptr, text_w);
  record_widget(ui, id, label, !disabled);
  ui.announce.push_back(label);
  return pressed;
}

std::string display_date(const std::string& ymd) {
  if (ymd.size() < 10) return ymd;
  return ymd.substr(8, 2) + "/" + ymd.substr(5, 2) + "/" + ymd.substr(0, 4);
}

void heading(Ui& ui, const std::string& text) {
  ui.announce.push_back(text);
  if (ui.session.read_aloud()) {
    std::string id = "speak.heading." + std::to_string(ui.widgets.size());
    speak_button(ui, id.c_str(), text);
    ImGui::SameLine();
  }
  ImGui::PushFont(ui.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, ui.pal.text);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void paragraph(Ui& ui, const std::string& text, ImU32 color) {
  ui.announce.push_back(text);
  ImGui::PushStyleColor(ImGuiCol_Text, color ? color : ui.pal.muted);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void take_card_reminder(Ui& ui) {
  if (!ui.session.card_presence().card) return;
  std::string text = ui.tr("card.take_back");
  ui.announce.push_back(text);
  ImGui::PushFont(ui.fonts.title);
  ImGui::PushStyleColor(ImGuiCol_Text, ui.pal.danger);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
  record_widget(ui, "card.take_back", text);
}

void hero_text(Ui& ui, const std::string& text, ImU32 color) {
  ImGui::PushFont(ui.fonts.hero);
  ImGui::PushStyleColor(ImGuiCol_Text, color ? color : ui.pal.primary);
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

bool text_field(Ui& ui, const char* id, const std::string& label, std::pmr::string& value, const std::string& target,
                bool read_only, int lines) {
  std::string speak_id = std::string("speak.") + id;
  speak_button(ui, speak_id.c_str(), label);  // the label only: answers are never read out unasked
  if (ui.session.read_aloud()) ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ui.pal.text);
  ImGui::TextWrapped("%s", label.c_str());  // long labels wrap at 200 % instead of running off the screen
  ImGui::PopStyleColor();
  ui.announce.push_back(label);
  ImGuiStyle& style = ImGui::GetStyle();
  float pad_y = std::max(style.FramePadding.y, (ui.touch_px - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, pad_y));
  ImGui::SetNextItemWidth(-1);
  std::string hidden_id = std::string("##") + id;
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_CallbackResize | (read_only ? ImGuiInputTextFlags_ReadOnly : 0);
  if (read_only) ImGui::PushStyleColor(ImGuiCol_FrameBg, ui.pal.track);
  if (lines > 1)
    ImGui::InputTextMultiline(hidden_id.c_str(), value.data(), value.capacity() + 1,
                              ImVec2(-1, ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(lines) + 2 * pad_y), flags,
                              resize_arena_text, &value);
  else
    ImGui::InputText(hidden_id.c_str(), value.data(), value.capacity() + 1, flags, resize_arena_text, &value);
  if (read_only) ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  if (!target.empty() && ImGui::IsItemActivated()) ui.emit(Intent::Kind::FocusField, target);
  if (!target.empty() && ui.session.keyboard().target == target) {  // where the keyboard types
    ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), ui.pal.primary, ui.mm(1), 0, 3.0f);
    // The keyboard takes the lower part of the screen: the field typed into stays in view.
    float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowHeight();
    if (ImGui::GetItemRectMin().y < top || ImGui::GetItemRectMax().y > bottom) ImGui::SetScrollHereY(0.4f);
  }
  bool finished = ImGui::IsItemDeactivatedAfterEdit();
  if (finished) text::nfc_in_place(value);
  record_widget(ui, id, label, true);
  return finished;
}

void inline_text_field(Ui& ui, const char* id, const std::string& label, std::pmr::string& value, const std::string& target,
                       float label_w, const char* hint) {
  ImGuiStyle& style = ImGui::GetStyle();
  float pad_y = std::max(style.FramePadding.y, (ui.touch_px - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.x, pad_y));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label.c_str());
  ui.announce.push_back(label);
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
  std::string hidden_id = std::string("##") + id;
  ImGui::InputTextWithHint(hidden_id.c_str(), hint, value.data(), value.capacity() + 1, ImGuiInputTextFlags_CallbackResize,
                           resize_arena_text, &value);
  ImGui::PopStyleVar();
  if (ImGui::IsItemActivated()) ui.emit(Intent::Kind::FocusField, target);
  // The session took the text and moved on (a whole date typed): stop typing into the box, or
  // ImGui's own copy of the text would come back into it.
  else if (ImGui::IsItemActive() && ui.session.keyboard().target != target) ImGui::ClearActiveID();
  if (ui.session.keyboard().target == target) {
    ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), ui.pal.primary, ui.mm(1), 0, 3.0f);
    float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowHeight();
    if (ImGui::GetItemRectMin().y < top || ImGui::GetItemRectMax().y > bottom) ImGui::SetScrollHereY(0.4f);
  }
  record_widget(ui, id, label, true);
}

const Palette& palette(bool high_contrast) {
  static const Palette calm = {
      IM_COL32(245, 247, 250, 255), IM_COL32(255, 255, 255, 255), IM_COL32(23, 28, 36, 255), IM_COL32(70, 78, 90, 255),
      IM_COL32(16, 74, 150, 255), IM_COL32(255, 255, 255, 255), IM_COL32(10, 50, 105, 255), IM_COL32(220, 230, 245, 255),
      IM_COL32(150, 160, 175, 255), IM_COL32(176, 28, 28, 255), IM_COL32(20, 110, 60, 255), IM_COL32(16, 74, 150, 255),
      IM_COL32(255, 255, 255, 255), IM_COL32(210, 218, 230, 255)};
  static const Palette high = {
      IM_COL32(0, 0, 0, 255), IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255), IM_COL32(230, 230, 230, 255),
      IM_COL32(255, 221, 0, 255), IM_COL32(0, 0, 0, 255), IM_COL32(255, 240, 150, 255), IM_COL32(60, 60, 60, 255),
      IM_COL32(255, 255, 255, 255), IM_COL32(255, 140, 140, 255), IM_COL32(130, 240, 130, 255), IM_COL32(0, 0, 0, 255),
      IM_COL32(255, 255, 255, 255), IM_COL32(120, 120, 120, 255)};
  return high_contrast ? high : calm;
}

double contrast_ratio(ImU32 a, ImU32 b) {
  auto luminance = [](ImU32 c) {
    auto channel = [](unsigned v) {
      double s = v / 255.0;
      return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel((c >> 16) & 0xFF);
  };
  double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void apply_theme(float px_per_mm, float gap_px, const Palette& pal) {
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
  auto col = [](ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); };
  s.Colors[ImGuiCol_WindowBg] = col(pal.background);
  s.Colors[ImGuiCol_ChildBg] = col(pal.background);
  s.Colors[ImGuiCol_Text] = col(pal.text);
  s.Colors[ImGuiCol_TextSelectedBg] = col(pal.track);
  s.Colors[ImGuiCol_FrameBg] = col(pal.surface);
  s.Colors[ImGuiCol_FrameBgActive] = col(pal.surface);
  s.Colors[ImGuiCol_FrameBgHovered] = col(pal.surface);
  s.Colors[ImGuiCol_Border] = col(pal.border);
  s.Colors[ImGuiCol_Separator] = col(pal.border);
  s.Colors[ImGuiCol_ScrollbarBg] = col(pal.track);
  s.Colors[ImGuiCol_ScrollbarGrab] = col(pal.border);
}

}  // namespace motcua
