// Wires the session's CardPort to the chip card reader (devices/card's CardService).
// Rule: what reaches the session is the form's card fields; the raw chip data (data groups,
// photo, keys) dies here, in wiping buffers, as soon as a read is handed over or dropped.
#pragma once
#include <string>

#include "devices/card/card_service.h"
#include "terminal/core/session.h"

namespace motcua {

CardReadResult to_session_result(card::ReadOutcome& outcome);

// `csca` may be null (passive authentication then reports "unverified"); the service must
// outlive the port.
CardPort make_card_port(card::CardService& service, std::shared_ptr<const card::CscaStore> csca);

}  // namespace motcua
