// Named places in the write and send paths where tests kill the process (MOTCUA_CRASH_AT=name
// raises SIGKILL there), to prove a confirmed dossier survives a crash at any point.
// Off unless that variable is set; costs one string compare.
#pragma once

namespace motcua::outbox {

void crash_point(const char* name);

}  // namespace motcua::outbox
