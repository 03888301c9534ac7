#include "terminal/answers.h"

#include <cstdlib>

#include "terminal/input.h"

namespace motcua {

void load_answers(forms::FormModel& model, const PersonalData& data) {
  // "provenance.card" lists the scopes the chip card filled, one per line.
  std::string_view from_card;
  if (const auto* p = data.find("provenance.card")) from_card = *p;
  auto source_of = [&](const std::string& scope) {
    for (size_t at = 0; at < from_card.size();) {
      size_t end = from_card.find('\n', at);
      if (end == std::string_view::npos) end = from_card.size();
      if (from_card.substr(at, end - at) == scope) return forms::Source::Card;
      at = end + 1;
    }
    return forms::Source::Typed;
  };
  for (auto& s : model.form().steps)
    for (const forms::Element* c : s.controls) {
      const auto* v = data.find(c->scope);
      if (!v || v->empty()) continue;
      if (c->widget == "number") {
        char* end = nullptr;
        std::string text(*v);
        double d = std::strtod(text.c_str(), &end);
        model.set(c->scope, *end == '\0' ? nlohmann::json(d) : nlohmann::json(text));
        secure_zero(text.data(), text.size());
      } else {
        model.set(c->scope, std::string(*v), source_of(c->scope));
      }
    }
}

std::vector<StepError> validate_step(const forms::FormPackage& form, size_t step, const PersonalData& data,
                                     const std::string& lang) {
  forms::FormModel model(form, local_time("%Y-%m-%d"));
  load_answers(model, data);
  std::vector<StepError> out;
  for (auto& e : model.errors(step, lang)) out.push_back({e.scope, e.message});
  model.wipe();  // the copies of the answers are zeroed before they are freed
  return out;
}

}  // namespace motcua
