// Starts one Xvfb for this test process, points DISPLAY at it, and stops it at exit.
#pragma once

namespace motcua::test {

// Idempotent. Throws std::runtime_error when Xvfb cannot start (not installed, no free display).
void ensure_xvfb();

}  // namespace motcua::test
