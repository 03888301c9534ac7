#include "terminal/ui/screens/screens.h"

#include <algorithm>

namespace motcua {

namespace {

// One labelled horizontal bar per value, scaled to the largest: readable at a glance.
void bar_chart(Ui& ui, const char* id, const std::vector<std::pair<std::string, long>>& bars, ImU32 color) {
  long top = 1;
  for (auto& [_, v] : bars) top = std::max(top, v);
  float w = ImGui::GetContentRegionAvail().x, label_w = w * 0.38f, h = ImGui::GetFontSize() * 1.3f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  std::string summary;
  for (auto& [label, v] : bars) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddText(ImVec2(p.x, p.y + h * 0.1f), ui.pal.text, label.c_str());
    float len = (w - label_w - ui.mm(18)) * static_cast<float>(v) / static_cast<float>(top);
    dl->AddRectFilled(ImVec2(p.x + label_w, p.y + h * 0.15f), ImVec2(p.x + label_w + std::max(len, 2.0f), p.y + h * 0.85f), color,
                      ui.mm(0.8f));
    std::string n = std::to_string(v);
    dl->AddText(ImVec2(p.x + label_w + len + ui.mm(2), p.y + h * 0.1f), ui.pal.text, n.c_str());
    ImGui::Dummy(ImVec2(w, h));
    summary += label + "=" + n + ";";
  }
  ui.widgets[id] = {p0, ImVec2(p0.x + w, ImGui::GetCursorScreenPos().y), summary, false};
}

void period(Ui& ui, const char* id, const std::string& title, const StatsRow& r) {
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  heading(ui, title);
  paragraph(ui, ui.tr("staff.summary", {{"visits", std::to_string(r.sessions)},
                                         {"submitted", std::to_string(r.submitted)},
                                         {"card", std::to_string(r.card)},
                                         {"assisted", std::to_string(r.assisted)},
                                         {"minutes", std::to_string(static_cast<long>(r.median_seconds / 60 + 0.5))}}));
  bar_chart(ui, (std::string(id) + ".visits").c_str(),
            {{ui.tr("staff.submitted"), r.submitted}, {ui.tr("staff.abandoned"), r.abandoned + r.timeouts},
             {ui.tr("staff.tickets"), r.tickets}, {ui.tr("staff.lookups"), r.lookups}},
            ui.pal.primary);
  std::vector<std::pair<std::string, long>> levels;
  for (auto& l : ui.session.survey().levels) {
    auto it = r.overall.find(l.value);
    levels.push_back({l.label.in(ui.session.language()), it == r.overall.end() ? 0 : it->second});
  }
  paragraph(ui, ui.tr("staff.satisfaction", {{"count", std::to_string(r.evaluations)}}));
  bar_chart(ui, (std::string(id) + ".satisfaction").c_str(), levels, ui.pal.success);
}

// Today's dossiers with their papers as counts: how many were scanned into the dossier, how many
// the citizen brings to the counter. Never a name or a picture.
void dossiers(Ui& ui, const std::vector<StaffDossier>& list) {
  ImGui::Dummy(ImVec2(0, ui.mm(3)));
  heading(ui, ui.tr("staff.dossiers"));
  if (list.empty()) {
    paragraph(ui, ui.tr("staff.dossiers_none"));
    record_widget(ui, "staff.dossiers", "0");
    return;
  }
  for (const StaffDossier& d : list) {
    std::string line = ui.tr("staff.dossier_papers", {{"code", d.code}, {"procedure", d.procedure},
                                                        {"scanned", std::to_string(d.papers_scanned)},
                                                        {"counter", std::to_string(d.papers_at_counter)}});
    paragraph(ui, line, ui.pal.text);
    record_widget(ui, "staff.dossier." + d.code, line);
  }
  record_widget(ui, "staff.dossiers", std::to_string(list.size()));
}

}  // namespace

void draw_staff(Ui& ui) {
  begin_content(ui, true);
  heading(ui, ui.tr("staff.title"));
  if (ui.staff) {
    period(ui, "staff.today", ui.tr("staff.today"), ui.staff->today.total);
    period(ui, "staff.month", ui.tr("staff.month"), ui.staff->month.total);
    if (ui.outbox) dossiers(ui, ui.staff->dossiers);  // a kiosk with a portal keeps its dossiers in the outbox
    // Where citizens gave up this month: the steps that most need a better form or a volunteer.
    std::vector<std::pair<long, std::string>> steps;
    for (auto& [k, v] : ui.staff->month.total.gave_up_at) steps.push_back({v, k});
    std::sort(steps.rbegin(), steps.rend());
    if (steps.size() > 5) steps.resize(5);
    std::vector<std::pair<std::string, long>> bars;
    for (auto& [v, k] : steps) bars.push_back({k, v});
    if (!bars.empty()) {
      paragraph(ui, ui.tr("staff.gave_up"));
      bar_chart(ui, "staff.gave_up", bars, ui.pal.danger);
    }
    ImGui::Dummy(ImVec2(0, ui.mm(3)));
    if (big_button(ui, "staff.export", ui.tr("staff.export"), Tone::Secondary)) ui.emit(Intent::Kind::ExportStats);
    if (!ui.staff->export_message.empty()) {
      paragraph(ui, ui.staff->export_failed ? ui.tr("staff.export_failed", {{"dir", ui.staff->export_message}})
                                            : ui.tr("staff.exported", {{"file", ui.staff->export_message}}),
                ui.staff->export_failed ? ui.pal.danger : ui.pal.success);
      record_widget(ui, "staff.export_result", ui.staff->export_failed ? "failed" : ui.staff->export_message);
    }
  }
  outbox_line(ui);
  end_content(ui);
  nav_bar(ui, ui.tr("staff.close"), "", "");
}

}  // namespace motcua
