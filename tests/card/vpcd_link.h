// Carries a virtual card's APDUs over vsmartcard-vpcd's socket protocol: the card connects to
// the driver's port; every message is a 2-byte big-endian length and a payload that is either
// one control byte (0 power off, 1 power on, 2 reset, 4 ATR request) or a command APDU.
#pragma once
#include <atomic>
#include <string>

#include "tests/card/virtual_cccd.h"

namespace motcua::card::testing {

// Connects (retrying until `stop` or the deadline) and serves until the link closes, `stop` is
// set, or a fault removes the card. Returns a short reason for the log.
std::string serve_over_vpcd(VirtualCccd& card, const std::string& host, int port, std::atomic<bool>& stop,
                            int connect_timeout_ms = 10000);

}  // namespace motcua::card::testing
