// The kiosk's data folder at start: made if missing, checked writable and not full, and taken
// for this process alone (DATA_DIR/owner.lock, see terminal/services/outbox/owner.h) before any file in
// it is opened. Rule: the message names the folder and the real cause (read-only disk, full
// disk, permissions, another kiosk running), not the first file that happened to fail.
#pragma once
#include <cstdint>
#include <string>

#include "terminal/services/outbox/owner.h"

namespace motcua {

constexpr std::uint64_t kMinFreeBytes = 4 * 1024 * 1024;  // room for a few dossiers and their records

// Throws InputError (exit 2) naming the folder and the cause.
outbox::FolderLock take_data_folder(const std::string& dir);

}  // namespace motcua
