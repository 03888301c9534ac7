// What the kiosk asks the printer to print for a visit's receipt: the input of
// assets/print/receipt.json (docs/printing.md). Rule: the slip promises what the screen does;
// kept, refused and paused dossiers are marked so, and none of them says "tiếp nhận".
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "terminal/core/catalog.h"
#include "terminal/core/config.h"
#include "terminal/core/session.h"

namespace motcua {

// reference: the code the receipt shows (the portal's, or the kiosk's own while kept);
// received_at: ISO 8601 local time.
nlohmann::json receipt_request(const forms::FormPackage& form, const SubmitReceipt& receipt, const std::string& reference,
                               const std::string& lang, const KioskConfig& config, const Catalog& catalog,
                               const std::string& received_at);

}  // namespace motcua
