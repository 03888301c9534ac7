// OpenPACE (libeac) and OpenJPEG, opened at the first card read that needs them (dlopen), not when
// the kiosk starts (issue 22). card_libraries.cpp defines their functions, so the card's code calls
// them as usual. Each library_error() is empty once its library is open, else names the library
// and its Debian package, for the CardError the caller throws.
#pragma once
#include <string>

namespace motcua::eac {
const std::string& library_error();
}
namespace motcua::openjpeg {
const std::string& library_error();
}
