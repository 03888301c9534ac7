#include "terminal/core/answer_lines.h"

#include "forms/text.h"
#include "forms/widget_values.h"
#include "terminal/core/answers.h"

namespace motcua {

namespace {

std::string option_value(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// What the citizen chose, in words: an option's label rather than its code, "signed" for ink.
std::string answer_text(const Session& s, const Strings& strings, const forms::Element& control, const std::string& scope,
                        std::string_view value) {
  const std::string& lang = s.language();
  if (control.widget == "signature") return strings.get(lang, "review.signed");
  if (control.widget == "yes-no") return forms::tick_value(value) ? strings.get(lang, "yes_no.yes") : strings.get(lang, "yes_no.no");
  if (control.widget == "time") return forms::time_shown(value);
  if (control.widget == "money" && !s.computed(scope)) return forms::money_shown(value, lang);
  if (control.widget == "date" && value.size() == 10 && value[4] == '-')  // as Vietnamese papers write it
    return std::string(value.substr(8, 2)) + "/" + std::string(value.substr(5, 2)) + "/" + std::string(value.substr(0, 4));
  if (control.widget == "checkboxes") {
    std::string out;
    for (const auto& o : forms::choices(*s.form(), control, scope))
      for (std::string_view line : lines_of(value))
        if (line == option_value(o.value)) out += (out.empty() ? "" : "; ") + o.label.in(lang);
    return out;
  }
  if (control.widget == "radio" || control.widget == "dropdown" || control.widget == "searchable-list")
    for (const auto& o : forms::choices(*s.form(), control, scope))
      if (value == option_value(o.value)) return o.label.in(lang);
  return std::string(value);
}

void walk(const Session& s, const Strings& strings, const std::vector<forms::Element>& elements, const std::string& prefix,
          int depth, std::vector<AnswerLine>& out) {
  const std::string& lang = s.language();
  for (const forms::Element& e : elements) {
    if (!s.shown(e, prefix)) continue;  // hidden by the form's rules (in this repeat item too): not part of the dossier
    if (e.kind == forms::Element::Kind::Group) walk(s, strings, e.elements, prefix, depth, out);
    if (e.kind == forms::Element::Kind::Repeat) {
      int n = s.item_count(prefix + e.scope);
      out.push_back({AnswerLine::Kind::Repeat, depth, -1, e.label.in(lang), {}});
      if (n == 0) out.push_back({AnswerLine::Kind::Answer, depth + 1, -1, {}, {}});
      for (int i = 0; i < n; ++i) {
        out.push_back({AnswerLine::Kind::Item, depth + 1, -1, repeat_word(strings, lang, e, RepeatWord::Item, i + 1), {}});
        walk(s, strings, e.elements, prefix + e.scope + "/" + std::to_string(i), depth + 1, out);
      }
    }
    if (e.kind != forms::Element::Kind::Control) continue;
    std::string scope = prefix + e.scope;
    const auto* value = s.data().find(scope);
    std::string shown = e.widget == "address" ? address_line(*s.form(), s.data(), scope) : std::string();
    if (shown.empty() && ((value && !value->empty()) || e.widget == "yes-no"))  // an unticked box says "No"
      shown = answer_text(s, strings, e, scope, value ? std::string_view(*value) : std::string_view());
    out.push_back({AnswerLine::Kind::Answer, depth, -1, e.label.in(lang), std::move(shown)});
  }
}

}  // namespace

std::vector<AnswerLine> answer_lines(const Session& s, const Strings& strings) {
  std::vector<AnswerLine> out;
  if (!s.form()) return out;
  for (size_t i = 0; i < s.form()->steps.size(); ++i) {
    if (!s.step_applies(static_cast<int>(i))) continue;  // skipped by the rules: nothing of it is submitted
    const forms::Step& step = s.form()->steps[i];
    out.push_back({AnswerLine::Kind::Step, 0, static_cast<int>(i), step.title.in(s.language()), {}});
    walk(s, strings, step.elements, "", 0, out);
  }
  return out;
}

std::string repeat_word(const Strings& strings, const std::string& lang, const forms::Element& repeat, RepeatWord word, int number) {
  // "Mục" (item) means nothing to a first-time user; the form's own word for one item does.
  std::string item = repeat.item_label.empty() ? std::string() : repeat.item_label.in(lang);
  TextArgs args{{"number", std::to_string(number)}};
  if (!item.empty()) args.push_back({"item", word == RepeatWord::Item ? text::capitalized(item) : item});
  switch (word) {
    case RepeatWord::Item: return item.empty() ? strings.format(lang, "repeat.item", args) : strings.format(lang, "repeat.item_named", args);
    case RepeatWord::Add: return item.empty() ? strings.format(lang, "repeat.add", args) : strings.format(lang, "repeat.add_named", args);
    case RepeatWord::Remove: break;
  }
  return item.empty() ? strings.format(lang, "repeat.remove", args) : strings.format(lang, "repeat.remove_named", args);
}

}  // namespace motcua
