// What a citizen should know about a procedure before starting it and after submitting it,
// read from its form package only: the procedure page, the checklist and the receipt say
// nothing the package does not say.
#pragma once
#include <string>
#include <vector>

#include "forms/package.h"

namespace motcua {

struct ProcedureFacts {
  bool fee_stated = false;   // meta.fees is written (an empty list: no fee); absent: ask at the counter
  long long fee_total = 0;   // whole đồng
  std::vector<std::string> card_labels;  // labels (in the language) of the fields the chip card fills
  std::vector<const forms::Document*> documents;  // meta.documents, required first, in package order
  std::vector<const forms::Document*> originals;  // those whose original is shown at the counter
};

ProcedureFacts procedure_facts(const forms::FormPackage& form, const std::string& lang);

}  // namespace motcua
