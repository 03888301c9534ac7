// FreeType, libqrencode and libzint, opened at the first receipt or declaration that needs them
// (dlopen), not when the kiosk starts (issue 22). print_libraries.cpp defines their functions, so
// the printer's code calls them as usual. Each namespace's library_error() is empty once its
// library is open, else names the library and its Debian package, for the caller's message.
#pragma once
#include <string>

namespace motcua::freetype {
const std::string& library_error();
}
namespace motcua::qrencode {
const std::string& library_error();
}
namespace motcua::zint {
const std::string& library_error();
}
