// libjpeg, opened when a page is first encoded or decoded (dlopen), not when the kiosk starts
// (issue 22). jpeg_library.cpp defines its functions, so page_jpeg.cpp calls them as usual.
// library_error() is empty once it is open, else names the library and its Debian package.
#pragma once
#include <string>

namespace motcua::jpeg {
const std::string& library_error();
}
