// espeak-ng, opened when read-aloud is first turned on (dlopen), not when the kiosk starts
// (issue 22). espeak_library.cpp defines its functions, so speech.cpp calls them as usual.
#pragma once
#include <string>

namespace motcua::espeak {
// Empty once libespeak-ng is open; else names the library and its Debian package.
const std::string& library_error();
}
