#include "terminal/ui/screens/screens.h"

namespace motcua {

namespace {

// "Tiếp tục" on a required paper with no page: nothing is lost either way, so two plain choices
// of equal weight, the paper named: go back and scan it, or bring it to the counter.
void draw_paper_needed(Ui& ui) {
  const forms::Document* doc = ui.session.capture_document();
  std::string title = ui.tr("ask.paper_needed.title");
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(15)));
  heading(ui, title);
  record_widget(ui, "ask.title", title);
  if (doc) {
    ImGui::PushFont(ui.fonts.title);
    paragraph(ui, doc->name.in(ui.session.language()), ui.pal.text);
    ImGui::PopFont();
    record_widget(ui, "ask.paper", doc->id);
  }
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  paragraph(ui, tr_word(ui, "ask.paper_needed.hint", "ask.paper_needed.hint.camera"), ui.pal.text);
  ImGui::Dummy(ImVec2(0, ui.mm(10)));
  ImGui::PushFont(ui.fonts.title);
  if (big_button(ui, "ask.no", tr_word(ui, "ask.paper_needed.scan", "ask.paper_needed.scan.camera"), Tone::Primary,
                 ImVec2(-1, ui.touch_px * 1.6f)))
    ui.emit(Intent::Kind::Answer, {}, 0);
  ImGui::Dummy(ImVec2(0, ui.mm(8)));
  if (big_button(ui, "ask.yes", ui.tr("capture.skip"), Tone::Secondary, ImVec2(-1, ui.touch_px * 1.6f)))
    ui.emit(Intent::Kind::Answer, {}, 1);
  ImGui::PopFont();
  end_content(ui);
}

}  // namespace

// A destructive action asks first. The safe answer comes first and largest; the destructive one
// sits far below it, so a shaky finger cannot take one for the other.
void draw_ask(Ui& ui) {
  const Intent& q = *ui.session.asking();
  if (q.kind == Intent::Kind::SkipDocument) {
    draw_paper_needed(ui);
    return;
  }
  std::string title, hint, yes;
  if (q.kind == Intent::Kind::RemoveItem) {
    // The item by the form's own word when it has one ("Xoá thành viên 2?"), as its list names it.
    const forms::Element* list = nullptr;
    if (const forms::FormPackage* form = ui.session.form())
      for (auto& step : form->steps)
        forms::for_each_repeat(step.elements, [&](const forms::Element& r) { if (r.scope == q.arg) list = &r; });
    std::string item = list && !list->item_label.empty() ? list->item_label.in(ui.session.language()) : std::string();
    TextArgs args{{"number", std::to_string(q.number + 1)}, {"item", item}};
    title = item.empty() ? ui.tr("ask.remove.title", args) : ui.tr("ask.remove.title_named", args);
    hint = item.empty() ? ui.tr("ask.remove.hint") : ui.tr("ask.remove.hint_named", args);
    yes = item.empty() ? ui.tr("ask.remove.yes") : ui.tr("ask.remove.yes_named", args);
  } else if (q.kind == Intent::Kind::RemovePage) {
    title = ui.tr("ask.remove_page.title", {{"number", std::to_string(q.number + 1)}});
    hint = tr_word(ui, "ask.remove_page.hint", "ask.remove_page.hint.camera");
    yes = ui.tr("ask.remove_page.yes");
  } else if (q.kind == Intent::Kind::RestartStep) {
    title = ui.tr("ask.restart.title");
    hint = ui.tr("ask.restart.hint");
    yes = ui.tr("ask.restart.yes");
  } else {
    title = ui.tr("ask.end.title");
    hint = ui.tr("ask.end.hint");
    yes = ui.tr("ask.end.yes");
  }
  begin_content(ui, false);
  ImGui::Dummy(ImVec2(0, ui.mm(15)));
  heading(ui, title);
  record_widget(ui, "ask.title", title);
  paragraph(ui, hint, ui.pal.text);
  ImGui::Dummy(ImVec2(0, ui.mm(10)));
  ImGui::PushFont(ui.fonts.title);
  if (big_button(ui, "ask.no", ui.tr("ask.no"), Tone::Primary, ImVec2(-1, ui.touch_px * 2.0f))) ui.emit(Intent::Kind::Answer, {}, 0);
  ImGui::Dummy(ImVec2(0, ui.mm(35)));
  if (big_button(ui, "ask.yes", yes, Tone::Danger, ImVec2(-1, ui.touch_px * 1.6f))) ui.emit(Intent::Kind::Answer, {}, 1);
  ImGui::PopFont();
  end_content(ui);
}

}  // namespace motcua
