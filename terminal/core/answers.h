// The bridge from a session's typed answers (text in the PersonalData arena) to the form model:
// numbers become numbers, everything is NFC-normalised by the model. Used to check a step and
// to build the dossier; the model's copies are wiped before the caller gets control back.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "forms/model.h"
#include "terminal/core/session.h"

namespace motcua {

void load_answers(forms::FormModel& model, const PersonalData& data);

// The dossier as submitted: the model's, with each card value's provenance saying what the card's
// passive authentication found: "card" (valid), "card-unverified" or "card-invalid".
nlohmann::json dossier_of(const forms::FormModel& model, const PersonalData& data, const std::string& dossier_id);
// Serialises into `out`, whose allocator should zero what it frees (zeroing_resource()):
// every buffer the text outgrows on the way is then zeroed too.
void dump_into(const nlohmann::json& j, std::pmr::string& out);
// Overwrites every string value in a JSON document before it is freed.
void wipe_json(nlohmann::json& j);

// Multi-value answers (checkboxes, the card provenance list) are kept one value per line.
std::vector<std::string_view> lines_of(std::string_view text);
// An address as papers write it: "street, commune, province" (the parts that are filled).
std::string address_line(const forms::FormPackage& form, const PersonalData& data, const std::string& scope);

std::vector<StepError> validate_step(const forms::FormPackage& form, size_t step, const PersonalData& data,
                                     const std::string& lang);

}  // namespace motcua
