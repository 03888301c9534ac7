// Base64 (RFC 4648, with padding) of raw bytes: signatures on the form and sealed envelopes use it.
#pragma once
#include <string>
#include <string_view>

namespace motcua {

std::string base64(std::string_view bytes);

}  // namespace motcua
