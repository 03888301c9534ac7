// Turns a schema document into linked Nodes: identifies resources ($id), anchors and
// dynamic anchors, reads every keyword once, and resolves $ref/$dynamicRef to Node pointers.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "forms/json_input.h"
#include "forms/schema/compiled.h"
#include "forms/schema/uri.h"

namespace motcua::schema {

namespace {

const char* kDialect = "https://json-schema.org/draft/2020-12/schema";
const char* kVocabPrefix = "https://json-schema.org/draft/2020-12/vocab/";
const char* kDefaultBase = "urn:motcua:schema";

// "type" as an error reports it.
json type_names(uint8_t mask) {
  json out(json::value_t::array);
  out.get_ref<json::array_t&>().reserve(static_cast<size_t>(std::popcount(mask)));
  // "null" last: messages read "a whole number or empty".
  const std::pair<uint8_t, const char*> names[] = {{T_STRING, "string"}, {T_INTEGER, "integer"}, {T_NUMBER, "number"},
      {T_BOOL, "boolean"}, {T_OBJECT, "object"}, {T_ARRAY, "array"}, {T_NULL, "null"}};
  for (auto& [b, n] : names) if (mask & b) out.push_back(n);
  return out;
}

class Compiler {
 public:
  Compiler(Validator::Impl& impl, std::string origin) : impl_(impl), origin_(std::move(origin)) {}

  Node* compile_root(const json& schema) {
    // Copying, walking and validating all recurse per level: a deeper schema is refused before any of them.
    if (forms::json_depth(schema, forms::kMaxJsonDepth) > forms::kMaxJsonDepth)
      fail("", "nested deeper than " + std::to_string(forms::kMaxJsonDepth) + " levels");
    const json& doc = impl_.documents.emplace_back(schema);
    Node* root = add_document(doc, kDefaultBase);
    resolve_pending();
    check_ref_cycles();
    for (Node& n : impl_.nodes) summarise(n);
    return root;
  }

 private:
  struct Pending {
    Node* node;
    std::string uri;
    bool dynamic;
    std::string where;
  };

  [[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw SchemaError(origin_ + ": " + (where.empty() ? "/" : where) + ": " + what, where, what);
  }

  Node* add_document(const json& doc, const std::string& uri) {
    Resource& r = impl_.resources.emplace_back();
    r.uri = uri;
    r.root = &doc;
    resources_[uri] = &r;
    return walk(doc, &r, "", "");
  }

  void set_vocabularies(Resource& r, const json& s, const std::string& where) {
    if (!s.contains("$schema")) return;
    if (!s["$schema"].is_string()) fail(where + "/$schema", "expected a URI string");
    std::string meta = strip_fragment(s["$schema"].get<std::string>());
    if (meta == kDialect || meta == r.uri) return;
    // A meta-schema whose $schema leads back here would recurse forever: its vocabularies stay 2020-12.
    if (!vocab_in_progress_.insert(meta).second) return;
    Node* m = lookup(meta);
    vocab_in_progress_.erase(meta);
    if (!m) return;  // unknown dialect: keep the 2020-12 vocabularies
    const json* doc = m->resource->root;
    if (!doc || !doc->is_object() || !doc->contains("$vocabulary")) return;
    const json& vocab = (*doc)["$vocabulary"];
    r.validation_vocab = vocab.contains(std::string(kVocabPrefix) + "validation");
    r.format_assertion = vocab.contains(std::string(kVocabPrefix) + "format-assertion");
    for (auto& [id, required] : vocab.items()) {
      bool known = id.rfind(kVocabPrefix, 0) == 0;
      if (!known && required == true) fail(where + "/$schema", "required vocabulary \"" + id + "\" is not supported");
    }
  }

  Node* walk(const json& s, Resource* res, std::string ptr, const std::string& where) {
    if (s.is_object() && s.contains("$id")) {
      if (!s["$id"].is_string()) fail(where + "/$id", "expected a URI string");
      std::string id = strip_fragment(resolve_uri(res->uri, s["$id"].get<std::string>()));
      if (id != res->uri) {
        Resource& r = impl_.resources.emplace_back();
        r.uri = id;
        r.root = &s;
        r.validation_vocab = res->validation_vocab;
        r.format_assertion = res->format_assertion;
        resources_[id] = &r;
        res = &r;
        ptr.clear();
      }
    }
    Node& n = impl_.nodes.emplace_back();
    n.resource = res;
    n.pointer = ptr;
    index_[res->uri + "#" + ptr] = &n;
    if (s.is_boolean()) {
      n.boolean = s.get<bool>();
      return &n;
    }
    if (!s.is_object()) fail(where, std::string("a schema is an object or a boolean, found ") + s.type_name());
    if (ptr.empty()) set_vocabularies(*res, s, where);
    read_keywords(n, s, res, ptr, where);
    return &n;
  }

  Node* sub(const json& s, const char* key, Resource* res, const std::string& ptr, const std::string& where) {
    std::string k = pointer_escape(key);
    return walk(s.at(key), res, ptr + "/" + k, where + "/" + k);
  }

  std::vector<Node*> sub_array(const json& s, const char* key, Resource* res, const std::string& ptr,
                               const std::string& where) {
    const json& a = s.at(key);
    std::string at = where + "/" + key;
    if (!a.is_array() || a.empty()) fail(at, "expected a non-empty array of schemas");
    std::vector<Node*> out;
    for (size_t i = 0; i < a.size(); ++i)
      out.push_back(walk(a[i], res, ptr + "/" + key + "/" + std::to_string(i), at + "/" + std::to_string(i)));
    return out;
  }

  size_t count(const json& s, const char* key, const std::string& where) {
    const json& v = s.at(key);
    // 3.0 counts as 3; a float past 2^53 (3e30) is clamped rather than cast (undefined behaviour):
    // no document is that long, so the limit means "no limit" either way.
    bool whole = v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0) ||
                 (v.is_number_float() && v.get<double>() >= 0 && std::floor(v.get<double>()) == v.get<double>());
    if (!whole) fail(where + "/" + key, "expected a non-negative integer, found " + v.dump());
    if (v.is_number_float()) return v.get<double>() >= 9007199254740992.0 ? SIZE_MAX : static_cast<size_t>(v.get<double>());
    return v.get<size_t>();
  }

  double number(const json& s, const char* key, const std::string& where) {
    if (!s.at(key).is_number()) fail(where + "/" + key, "expected a number, found " + s.at(key).dump());
    return s.at(key).get<double>();
  }

  std::unique_ptr<Regex> regex(const json& v, const std::string& where) {
    if (!v.is_string()) fail(where, "expected a regular expression string");
    try {
      return std::make_unique<Regex>(v.get<std::string>());
    } catch (const RegexError& e) {
      fail(where, std::string("invalid regular expression: ") + e.what());
    }
  }

  void read_keywords(Node& n, const json& s, Resource* res, const std::string& ptr, const std::string& where) {
    auto has = [&](const char* k) { return s.contains(k); };
    if (has("$anchor")) {
      if (!s["$anchor"].is_string()) fail(where + "/$anchor", "expected a name");
      index_[res->uri + "#" + s["$anchor"].get<std::string>()] = &n;
    }
    if (has("$dynamicAnchor")) {
      if (!s["$dynamicAnchor"].is_string()) fail(where + "/$dynamicAnchor", "expected a name");
      std::string name = s["$dynamicAnchor"].get<std::string>();
      index_[res->uri + "#" + name] = &n;
      res->dynamic_anchors[name] = &n;
    }
    if (has("$ref")) {
      if (!s["$ref"].is_string()) fail(where + "/$ref", "expected a URI reference");
      pending_.push_back({&n, resolve_uri(res->uri, s["$ref"].get<std::string>()), false, where + "/$ref"});
    }
    if (has("$dynamicRef")) {
      if (!s["$dynamicRef"].is_string()) fail(where + "/$dynamicRef", "expected a URI reference");
      pending_.push_back({&n, resolve_uri(res->uri, s["$dynamicRef"].get<std::string>()), true, where + "/$dynamicRef"});
    }
    if (has("$defs")) {
      if (!s["$defs"].is_object()) fail(where + "/$defs", "expected an object of schemas");
      for (auto& [name, d] : s["$defs"].items())
        walk(d, res, ptr + "/$defs/" + pointer_escape(name), where + "/$defs/" + pointer_escape(name));
    }

    // Validation vocabulary.
    if (res->validation_vocab) {
      if (has("type")) {
        const json& t = s["type"];
        auto bit = [&](const json& name) -> uint8_t {
          static const std::map<std::string, uint8_t> names = {{"null", T_NULL}, {"boolean", T_BOOL}, {"object", T_OBJECT},
              {"array", T_ARRAY}, {"number", T_NUMBER}, {"string", T_STRING}, {"integer", T_INTEGER}};
          auto it = name.is_string() ? names.find(name.get<std::string>()) : names.end();
          if (it == names.end()) fail(where + "/type", "unknown type " + name.dump());
          return it->second;
        };
        if (t.is_array()) for (auto& x : t) n.types |= bit(x);
        else n.types = bit(t);
      }
      if (has("const")) n.const_value = &s["const"];
      if (has("enum")) {
        if (!s["enum"].is_array()) fail(where + "/enum", "expected an array");
        n.enum_values = &s["enum"];
        n.enum_strings.clear();
        n.enum_only_strings = std::all_of(n.enum_values->begin(), n.enum_values->end(), [](const json& e) { return e.is_string(); });
        if (n.enum_only_strings)
          for (auto& e : *n.enum_values) n.enum_strings.push_back(e.get_ref<const std::string&>());
      }
      if (has("minimum")) n.minimum = number(s, "minimum", where);
      if (has("maximum")) n.maximum = number(s, "maximum", where);
      if (has("exclusiveMinimum")) n.exclusive_minimum = number(s, "exclusiveMinimum", where);
      if (has("exclusiveMaximum")) n.exclusive_maximum = number(s, "exclusiveMaximum", where);
      if (has("multipleOf")) {
        n.multiple_of = number(s, "multipleOf", where);
        if (*n.multiple_of <= 0) fail(where + "/multipleOf", "expected a number above 0");
      }
      if (has("minLength")) n.min_length = count(s, "minLength", where);
      if (has("maxLength")) n.max_length = count(s, "maxLength", where);
      if (has("pattern")) {
        n.pattern = regex(s["pattern"], where + "/pattern");
        n.pattern_source = &s["pattern"];
      }
      if (has("minItems")) n.min_items = count(s, "minItems", where);
      if (has("maxItems")) n.max_items = count(s, "maxItems", where);
      if (has("uniqueItems")) n.unique_items = s["uniqueItems"] == true;
      if (has("minContains")) n.min_contains = count(s, "minContains", where);
      if (has("maxContains")) n.max_contains = count(s, "maxContains", where);
      if (has("minProperties")) n.min_properties = count(s, "minProperties", where);
      if (has("maxProperties")) n.max_properties = count(s, "maxProperties", where);
      if (has("required")) {
        if (!s["required"].is_array()) fail(where + "/required", "expected an array of property names");
        n.required_names = &s["required"];
        for (auto& r : s["required"]) {
          if (!r.is_string()) fail(where + "/required", "expected property names, found " + r.dump());
          n.required.push_back(r.get<std::string>());
        }
      }
      if (has("dependentRequired")) {
        if (!s["dependentRequired"].is_object()) fail(where + "/dependentRequired", "expected an object");
        for (auto& [name, list] : s["dependentRequired"].items()) {
          if (!list.is_array()) fail(where + "/dependentRequired/" + pointer_escape(name), "expected an array");
          std::vector<std::string> names;
          for (auto& x : list) names.push_back(x.get<std::string>());
          n.dependent_required.push_back({name, std::move(names)});
        }
      }
    }
    if (has("format")) {
      if (!s["format"].is_string()) fail(where + "/format", "expected a format name");
      n.format_name = &s["format"];
      n.format_check = format_check(s["format"].get<std::string>());
    }

    // Applicator vocabulary.
    if (has("properties")) {
      if (!s["properties"].is_object()) fail(where + "/properties", "expected an object of schemas");
      for (auto& [name, p] : s["properties"].items()) {  // a json object iterates in byte order
        bool required = std::find(n.required.begin(), n.required.end(), name) != n.required.end();
        uint64_t bit = n.properties.size() < 64 ? uint64_t{1} << n.properties.size() : 0;
        n.properties.push_back({name, walk(p, res, ptr + "/properties/" + pointer_escape(name),
                                           where + "/properties/" + pointer_escape(name)), required,
                                name.find_first_of("~/") == std::string::npos, bit, name_key(name)});
      }
    }
    n.required_properties = static_cast<size_t>(
        std::count_if(n.properties.begin(), n.properties.end(), [](const Node::Property& p) { return p.required; }));
    n.required_elsewhere = std::any_of(n.required.begin(), n.required.end(), [&](const std::string& r) {
      return std::none_of(n.properties.begin(), n.properties.end(), [&](const Node::Property& p) { return p.name == r; });
    });
    if (!n.required_elsewhere)
      for (auto& r : n.required)
        n.required_property.push_back(static_cast<size_t>(
            std::find_if(n.properties.begin(), n.properties.end(), [&](const Node::Property& p) { return p.name == r; }) -
            n.properties.begin()));
    if (has("patternProperties")) {
      if (!s["patternProperties"].is_object()) fail(where + "/patternProperties", "expected an object of schemas");
      for (auto& [pat, p] : s["patternProperties"].items()) {
        std::string at = "/patternProperties/" + pointer_escape(pat);
        auto re = regex(json(pat), where + at);
        n.pattern_properties.push_back({std::move(re), walk(p, res, ptr + at, where + at)});
      }
    }
    if (has("additionalProperties")) n.additional_properties = sub(s, "additionalProperties", res, ptr, where);
    if (has("propertyNames")) n.property_names = sub(s, "propertyNames", res, ptr, where);
    if (has("allOf")) n.all_of = sub_array(s, "allOf", res, ptr, where);
    if (has("anyOf")) n.any_of = sub_array(s, "anyOf", res, ptr, where);
    if (has("oneOf")) n.one_of = sub_array(s, "oneOf", res, ptr, where);
    if (has("not")) n.not_ = sub(s, "not", res, ptr, where);
    if (has("if")) n.if_ = sub(s, "if", res, ptr, where);
    if (has("then")) n.then_ = sub(s, "then", res, ptr, where);
    if (has("else")) n.else_ = sub(s, "else", res, ptr, where);
    if (has("dependentSchemas")) {
      if (!s["dependentSchemas"].is_object()) fail(where + "/dependentSchemas", "expected an object of schemas");
      for (auto& [name, d] : s["dependentSchemas"].items())
        n.dependent_schemas.push_back({name, walk(d, res, ptr + "/dependentSchemas/" + pointer_escape(name),
                                                  where + "/dependentSchemas/" + pointer_escape(name))});
    }
    if (has("prefixItems")) n.prefix_items = sub_array(s, "prefixItems", res, ptr, where);
    if (has("items")) {
      if (s["items"].is_array()) fail(where + "/items", "in 2020-12 \"items\" is one schema; use \"prefixItems\" for a list");
      n.items = sub(s, "items", res, ptr, where);
    }
    if (has("contains")) n.contains = sub(s, "contains", res, ptr, where);
    if (has("unevaluatedItems")) n.unevaluated_items = sub(s, "unevaluatedItems", res, ptr, where);
    if (has("unevaluatedProperties")) n.unevaluated_properties = sub(s, "unevaluatedProperties", res, ptr, where);
    if (n.types) n.type_names = type_names(n.types);
  }

  // Every node's Has bits, once references are resolved.
  void summarise(Node& n) {
    const bool annotations = n.unevaluated_items || n.unevaluated_properties;
    const bool properties_only = !n.properties.empty() && n.pattern_properties.empty() && !n.additional_properties && !n.property_names;
    const std::pair<bool, uint32_t> bits[] = {
        {n.boolean.has_value(), HAS_BOOLEAN},
        {n.ref || n.dynamic_ref, HAS_REFS},
        {n.types != 0, HAS_TYPES},
        {n.const_value != nullptr, HAS_CONST},
        {n.enum_values != nullptr, HAS_ENUM},
        {n.minimum || n.maximum || n.exclusive_minimum || n.exclusive_maximum || n.multiple_of, HAS_NUMBER_CHECKS},
        {n.min_length || n.max_length || n.pattern, HAS_STRING_CHECKS},
        {n.format_check && (impl_.options.format_assertion || n.resource->format_assertion), HAS_ASSERTED_FORMAT},
        {n.min_properties || n.max_properties || !n.required.empty() || !n.dependent_required.empty() || !n.properties.empty() ||
             !n.pattern_properties.empty() || n.additional_properties || n.property_names || !n.dependent_schemas.empty(),
         HAS_OBJECT_CHECKS},
        {n.min_items || n.max_items || n.unique_items || !n.prefix_items.empty() || n.items || n.contains, HAS_ARRAY_CHECKS},
        {!n.all_of.empty() || !n.any_of.empty() || !n.one_of.empty() || n.not_ || n.if_ || annotations, HAS_APPLICATORS},
        {annotations, HAS_ANNOTATIONS},
        {properties_only, HAS_ONLY_PROPERTIES},
    };
    n.has = 0;
    for (auto [present, bit] : bits)
      if (present) n.has |= bit;
    if ((n.has & ~kValueChecks) == 0) n.has |= IS_LEAF;
  }

  // Documents referenced by URI are read from the caller's map or the installed meta-schemas.
  bool load_document(const std::string& uri) {
    if (!attempted_.insert(uri).second) return false;
    std::string path;
    for (auto& [prefix, dir] : impl_.options.uri_map)
      if (uri.rfind(prefix, 0) == 0) path = dir + "/" + uri.substr(prefix.size());
    std::string metadir = metaschema_dir();
    const std::string meta_prefix = "https://json-schema.org/draft/2020-12/";
    if (path.empty() && !metadir.empty() && uri.rfind(meta_prefix, 0) == 0) {
      if (uri == kDialect) {
        path = metadir + "/draft2020-12.json";
      } else {
        std::ifstream in(metadir + "/vocabularies.json");
        json all = json::parse(in, nullptr, false);
        if (all.is_object() && all.contains(uri)) {
          add_document(impl_.documents.emplace_back(all[uri]), uri);
          return true;
        }
        // python3-jsonschema 4.10 lacks the format-assertion meta-schema; it is this small.
        if (uri == meta_prefix + "meta/format-assertion") {
          add_document(impl_.documents.emplace_back(json{
              {"$schema", kDialect}, {"$id", uri}, {"$dynamicAnchor", "meta"},
              {"$vocabulary", {{std::string(kVocabPrefix) + "format-assertion", true}}},
              {"type", {"object", "boolean"}}, {"properties", {{"format", {{"type", "string"}}}}}}), uri);
          return true;
        }
      }
    }
    if (path.empty()) return false;
    if (!std::filesystem::exists(path)) return false;
    json doc;
    try {
      doc = forms::read_json(path);
    } catch (const forms::JsonInputError& e) {
      fail(uri, std::string("referenced document unusable: ") + e.what());
    }
    add_document(impl_.documents.emplace_back(std::move(doc)), uri);
    return true;
  }

  Node* lookup(const std::string& uri) {
    std::string doc = strip_fragment(uri);
    std::string frag = percent_decode(fragment_of(uri));
    std::string key = doc + "#" + frag;
    if (auto it = index_.find(key); it != index_.end()) return it->second;
    if (!resources_.count(doc) && load_document(doc)) return lookup(uri);
    // A pointer to a place no keyword compiled (an unknown keyword, "definitions"): compile it now.
    auto r = resources_.find(doc);
    if (r == resources_.end() || (!frag.empty() && frag[0] != '/')) return nullptr;
    const json* at = r->second->root;
    size_t pos = 1;
    while (!frag.empty() && pos <= frag.size()) {
      size_t end = frag.find('/', pos);
      std::string token = pointer_unescape(frag.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
      if (at->is_object() && at->contains(token)) at = &(*at)[token];
      else if (at->is_array() && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(token) < at->size()) at = &(*at)[std::stoul(token)];
      else return nullptr;
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    return walk(*at, r->second, frag, doc + "#" + frag);
  }

  void resolve_pending() {
    for (size_t i = 0; i < pending_.size(); ++i) {  // lookups may add documents and more pending refs
      Pending p = pending_[i];
      Node* target = lookup(p.uri);
      if (!target) fail(p.where, "cannot resolve reference \"" + p.uri + "\"");
      if (!p.dynamic) {
        p.node->ref = target;
        continue;
      }
      p.node->dynamic_ref = target;
      // Dynamic only when the static target is itself a matching $dynamicAnchor ("bookending").
      std::string frag = fragment_of(p.uri);
      auto& anchors = target->resource->dynamic_anchors;
      auto it = anchors.find(frag);
      if (!frag.empty() && frag[0] != '/' && it != anchors.end() && it->second == target) {
        p.node->dynamic_anchor = frag;
        impl_.dynamic_scope = true;
      }
    }
  }

  // A chain of schemas that only refer to each other never reaches an assertion: refuse it.
  void check_ref_cycles() {
    for (auto& n : impl_.nodes) {
      std::set<const Node*> seen;
      const Node* at = &n;
      while (at && at->ref && !at->boolean) {
        if (!seen.insert(at).second) {
          fail(n.pointer + "/$ref", "reference cycle (" + n.resource->uri + "#" + n.pointer + " refers back to itself)");
        }
        bool only_ref = at->types == 0 && !at->const_value && !at->enum_values && at->properties.empty() &&
                        at->all_of.empty() && at->any_of.empty() && at->one_of.empty() && !at->not_ && !at->if_ &&
                        !at->items && at->prefix_items.empty() && at->required.empty() && !at->dynamic_ref;
        if (!only_ref) break;
        at = at->ref;
      }
    }
  }

  Validator::Impl& impl_;
  std::string origin_;
  std::map<std::string, Node*> index_;
  std::map<std::string, Resource*> resources_;
  std::set<std::string> attempted_;
  std::set<std::string> vocab_in_progress_;
  std::vector<Pending> pending_;
};

}  // namespace

std::string metaschema_dir() {
  const char* dir = "/usr/lib/python3/dist-packages/jsonschema/schemas";
  return std::filesystem::exists(std::string(dir) + "/draft2020-12.json") ? dir : "";
}

void compile_schema(Validator::Impl& impl, const json& schema, const std::string& origin) {
  Compiler c(impl, origin);
  impl.root = c.compile_root(schema);
}

}  // namespace motcua::schema
