#include "terminal/core/procedure_facts.h"

#include <algorithm>

namespace motcua {

ProcedureFacts procedure_facts(const forms::FormPackage& form, const std::string& lang) {
  ProcedureFacts f;
  f.fee_stated = form.meta.is_object() && form.meta.contains("fees");
  for (auto& fee : form.fees) f.fee_total += fee.value("amount", 0LL);
  auto card = [&](const forms::Element& e) {
    if (e.prefill.rfind("card.", 0) != 0) return;
    std::string label = e.label.in(lang);
    if (!label.empty() && std::find(f.card_labels.begin(), f.card_labels.end(), label) == f.card_labels.end())
      f.card_labels.push_back(label);
  };
  for (auto& step : form.steps) {
    forms::for_each_control(step.elements, card);
    // A repeat's children are bound too (a household's members): they count as well.
    forms::for_each_repeat(step.elements, [&](const forms::Element& r) { forms::for_each_control(r.elements, card); });
  }
  for (auto& d : form.documents) f.documents.push_back(&d);
  std::stable_sort(f.documents.begin(), f.documents.end(), [](auto* a, auto* b) { return a->required > b->required; });
  for (auto* d : f.documents)
    if (d->original_at_counter) f.originals.push_back(d);
  return f;
}

}  // namespace motcua
