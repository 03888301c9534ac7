// The compiled form of a schema, shared by compile.cpp and validate.cpp. Not public.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/schema/formats.h"
#include "forms/schema/regex.h"
#include "forms/schema/validator.h"

namespace motcua::schema {

using nlohmann::json;

enum TypeBit : uint8_t { T_NULL = 1, T_BOOL = 2, T_OBJECT = 4, T_ARRAY = 8, T_NUMBER = 16, T_STRING = 32, T_INTEGER = 64 };

struct Node;

struct Resource {
  std::string uri;  // absolute, without fragment
  const json* root = nullptr;
  std::map<std::string, Node*> dynamic_anchors;
  bool validation_vocab = true;
  bool format_assertion = false;
};

struct Node {
  Resource* resource = nullptr;
  std::string pointer;  // within the resource, for messages
  std::optional<bool> boolean;

  uint8_t types = 0;
  const json* const_value = nullptr;
  const json* enum_values = nullptr;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  std::optional<size_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  std::optional<size_t> min_contains, max_contains;
  bool unique_items = false;
  std::unique_ptr<Regex> pattern;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::string format;
  FormatCheck format_check = nullptr;  // the format's check, when the name is one we know

  // In byte order, as the instance's keys are; required: the name is also in "required".
  struct Property {
    std::string name;
    Node* node;
    bool required;
    uint64_t bit;  // 1 << its index, for the first 64 properties; 0 after
  };
  std::vector<Property> properties;
  size_t required_properties = 0;   // how many of the properties are required
  bool required_elsewhere = false;  // some required name is not among the properties
  std::vector<size_t> required_property;  // unless required_elsewhere: each required name's index among the properties
  bool properties_only = false;  // "properties" without patternProperties, additionalProperties, propertyNames
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
  bool needs_annotations = false;      // has unevaluated*: children must report what they evaluated

  // Which groups of keywords are present, so an evaluation skips the absent ones at once.
  bool number_checks = false, string_checks = false, object_checks = false, array_checks = false;
  bool applicators = false;  // allOf, anyOf, oneOf, not, if, unevaluated*

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
