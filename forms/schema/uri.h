// URI references as JSON Schema uses them: RFC 3986 resolution and fragment handling.
#pragma once
#include <string>
#include <string_view>

namespace motcua::schema {

// RFC 3986 §5.2: reference resolved against base.
std::string resolve_uri(std::string_view base, std::string_view reference);
// The URI without its fragment, and the fragment alone (without '#', still percent-encoded).
std::string strip_fragment(std::string_view uri);
std::string fragment_of(std::string_view uri);
std::string percent_decode(std::string_view s);

// JSON pointer (RFC 6901) token escaping.
std::string pointer_escape(std::string_view token);
std::string pointer_unescape(std::string_view token);

}  // namespace motcua::schema
