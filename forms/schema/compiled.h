// The compiled form of a schema, shared by compile.cpp and validate.cpp. Not public.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/schema/formats.h"
#include "forms/schema/regex.h"
#include "forms/schema/validator.h"

namespace motcua::schema {

using nlohmann::json;

enum TypeBit : uint8_t { T_NULL = 1, T_BOOL = 2, T_OBJECT = 4, T_ARRAY = 8, T_NUMBER = 16, T_STRING = 32, T_INTEGER = 64 };

struct Node;

// A name's first 16 bytes as two big-endian numbers, zero-padded. Compared as numbers they order
// names as their bytes do, so the walk matches nearly every property name (16 bytes or fewer)
// without a call to memcmp.
struct NameKey {
  uint64_t head = 0, next = 0;
};

// Up to 8 bytes from p, big-endian, zero-padded. A short name is read as two loads that overlap
// (its first and last 4 or 2 bytes), never past its end and without a loop: the walk makes a key
// for each of a dossier's keys, and most are shorter than 8 bytes.
inline uint64_t big_endian_word(const char* p, size_t n) {
  if (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return __builtin_bswap64(w);
  }
  // The second load's first byte, n - k, belongs at bit 56 - 8 * (n - k): a shift of 64 - 8 * n.
  if (n >= 4) {
    uint32_t first, last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    return uint64_t{__builtin_bswap32(first)} << 32 | uint64_t{__builtin_bswap32(last)} << (64 - 8 * n);
  }
  if (n >= 2) {
    uint16_t first, last;
    std::memcpy(&first, p, 2);
    std::memcpy(&last, p + n - 2, 2);
    return uint64_t{__builtin_bswap16(first)} << 48 | uint64_t{__builtin_bswap16(last)} << (64 - 8 * n);
  }
  return n ? uint64_t{static_cast<unsigned char>(p[0])} << 56 : 0;
}

inline NameKey name_key(std::string_view s) {
  return {big_endian_word(s.data(), std::min<size_t>(s.size(), 8)),
          s.size() > 8 ? big_endian_word(s.data() + 8, std::min<size_t>(s.size() - 8, 8)) : 0};
}

// The byte order of a and b (as std::string's compare), given their keys.
inline int compare_names(std::string_view a, const NameKey& ka, std::string_view b, const NameKey& kb) {
  if (ka.head != kb.head) return ka.head < kb.head ? -1 : 1;
  if (ka.next != kb.next) return ka.next < kb.next ? -1 : 1;
  // Equal so far: a name that ended within the 16 bytes is the shorter (its padding is zeros, the
  // other's bytes there are too), else the rest decides.
  if (std::min(a.size(), b.size()) <= 16) return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  return a.substr(16).compare(b.substr(16));
}

struct Resource {
  std::string uri;  // absolute, without fragment
  const json* root = nullptr;
  std::map<std::string, Node*> dynamic_anchors;
  bool validation_vocab = true;
  bool format_assertion = false;
};

// Which keywords, or groups of them, a node has: an evaluation reads one word to skip the absent.
enum Has : uint32_t {
  HAS_BOOLEAN = 1,             // the schema is true or false
  HAS_REFS = 2,                // $ref or $dynamicRef
  HAS_TYPES = 4,
  HAS_CONST = 8,
  HAS_ENUM = 16,
  HAS_NUMBER_CHECKS = 32,      // minimum, maximum, exclusive*, multipleOf
  HAS_STRING_CHECKS = 64,      // minLength, maxLength, pattern
  HAS_ASSERTED_FORMAT = 128,   // a format we know, asserted (by the options or the meta-schema)
  HAS_OBJECT_CHECKS = 256,
  HAS_ARRAY_CHECKS = 512,
  HAS_APPLICATORS = 1024,      // allOf, anyOf, oneOf, not, if, unevaluated*
  HAS_ANNOTATIONS = 2048,      // unevaluated*: children must report what they evaluated
  HAS_ONLY_PROPERTIES = 4096,  // "properties" without patternProperties, additionalProperties, propertyNames
  // Only checks of the value itself (type, const, enum, limits, pattern, format): nothing below
  // it to walk, no reference, no annotation, not a boolean schema. A form's answers, mostly.
  IS_LEAF = 8192,
};
constexpr uint32_t kValueChecks = HAS_TYPES | HAS_CONST | HAS_ENUM | HAS_NUMBER_CHECKS | HAS_STRING_CHECKS | HAS_ASSERTED_FORMAT;

struct Node {
  uint32_t has = 0;  // Has bits, set once the whole schema is compiled (references resolved)
  uint8_t types = 0;
  Resource* resource = nullptr;
  std::string pointer;  // within the resource, for messages
  std::optional<bool> boolean;

  const json* const_value = nullptr;
  const json* enum_values = nullptr;
  // An enum of strings only (a form's options): compared as bytes, not as json values.
  bool enum_only_strings = false;
  std::vector<std::string_view> enum_strings;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  std::optional<size_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  std::optional<size_t> min_contains, max_contains;
  bool unique_items = false;
  std::unique_ptr<Regex> pattern;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  FormatCheck format_check = nullptr;  // the format's check, when the name is one we know

  // In byte order, as the instance's keys are; required: the name is also in "required".
  struct Property {
    std::string name;
    Node* node;
    bool required;
    bool plain_name;  // no '~' or '/': copied into a JSON pointer as it is
    uint64_t bit;  // 1 << its index, for the first 64 properties; 0 after
    NameKey key;   // name_key(name)
  };
  std::vector<Property> properties;
  size_t required_properties = 0;   // how many of the properties are required
  bool required_elsewhere = false;  // some required name is not among the properties
  std::vector<size_t> required_property;  // unless required_elsewhere: each required name's index among the properties
  std::vector<std::pair<std::unique_ptr<Regex>, Node*>> pattern_properties;
  Node* additional_properties = nullptr;
  Node* property_names = nullptr;
  std::vector<Node*> all_of, any_of, one_of;
  Node *not_ = nullptr, *if_ = nullptr, *then_ = nullptr, *else_ = nullptr;
  std::vector<std::pair<std::string, Node*>> dependent_schemas;
  std::vector<Node*> prefix_items;
  Node *items = nullptr, *contains = nullptr;
  Node *unevaluated_items = nullptr, *unevaluated_properties = nullptr;

  Node* ref = nullptr;
  Node* dynamic_ref = nullptr;         // the static target
  std::string dynamic_anchor;          // non-empty: look the name up in the dynamic scope

  // What an error points at rather than copies (see params.h): the schema's own values. Last,
  // as only errors read them: the walk's fields keep their places in the node.
  json type_names;                        // "type" as an array, "null" last
  const json* required_names = nullptr;  // "required", in the order of `required`
  const json* pattern_source = nullptr;
  const json* format_name = nullptr;
};

struct Validator::Impl {
  std::deque<Node> nodes;
  std::deque<Resource> resources;
  std::deque<json> documents;  // stable addresses: nodes point into them
  Node* root = nullptr;
  Options options;
  bool dynamic_scope = false;  // some $dynamicRef looks its anchor up in the scope of evaluation
};

// Builds impl from the schema (compile.cpp).
void compile_schema(Validator::Impl& impl, const json& schema, const std::string& origin);

}  // namespace motcua::schema
