#include "terminal/answers.h"

#include <cstdlib>

#include "terminal/input.h"

namespace motcua {

void load_answers(forms::FormModel& model, const PersonalData& data) {
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
        model.set(c->scope, std::string(*v));
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
