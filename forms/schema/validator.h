// JSON Schema draft 2020-12: compile once, validate many times.
// Rule: schemas never come from the network at validation time; remote references resolve
// through a prefix → folder map given by the caller.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "forms/schema/params.h"

namespace motcua::schema {

struct ValidationError {
  std::string instance_location;  // JSON pointer into the instance
  std::string keyword_location;   // JSON pointer along the evaluation path ($ref included)
  std::string keyword;
  Params params;                  // the keyword's parameters: limit, pattern, expected values...

  // Found by std::rotate and std::sort: three member swaps instead of three whole moves.
  friend void swap(ValidationError& a, ValidationError& b) noexcept {
    a.instance_location.swap(b.instance_location);
    a.keyword_location.swap(b.keyword_location);
    a.keyword.swap(b.keyword);
    swap(a.params, b.params);
  }
};

struct Options {
  bool format_assertion = false;  // formats are annotations unless asked (or the metaschema says so)
  // "http://localhost:1234/" → "/path/to/remotes": where referenced documents are read from.
  std::vector<std::pair<std::string, std::string>> uri_map;
};

// An unusable schema: what() names the origin and the JSON pointer at fault.
struct SchemaError : std::runtime_error {
  SchemaError(const std::string& message, std::string at = {}, std::string why = {})
      : std::runtime_error(message), pointer(std::move(at)), reason(std::move(why)) {}
  std::string pointer;  // within the schema document ("" when unknown)
  std::string reason;
};

// Folder holding the 2020-12 meta-schemas (draft2020-12.json and vocabularies.json, from
// Debian's python3-jsonschema); empty when that package is not installed.
std::string metaschema_dir();

class Validator {
 public:
  Validator(const nlohmann::json& schema, const Options& options = {}, const std::string& origin = "schema");
  ~Validator();
  Validator(Validator&&) noexcept;
  Validator& operator=(Validator&&) noexcept;

  bool valid(const nlohmann::json& instance) const;  // stops at the first failure
  std::vector<ValidationError> validate(const nlohmann::json& instance) const;
  // The same errors into a list kept between calls: its elements are written over (their strings
  // keep their room), so a caller validating again and again allocates little. Returns valid().
  // If an allocation fails midway the list holds a mix of old and new errors: clear it then.
  bool validate(const nlohmann::json& instance, std::vector<ValidationError>& errors) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  std::shared_ptr<const void> owner_;  // impl_ again, as the errors that point into its schema keep it
};

}  // namespace motcua::schema
