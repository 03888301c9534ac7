// Evaluates an instance against compiled Nodes. Two modes share one walk: with an error list
// every failing keyword is reported; without one the first failure ends the evaluation.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>
#include <unordered_set>

#include "forms/schema/compiled.h"
#include "forms/schema/formats.h"
#include "forms/schema/uri.h"
#include "forms/text.h"

namespace motcua::schema {

namespace {

// Nested evaluations. A reference loop is told apart exactly (below), so this bound is only for
// the stack: a recursive schema over an instance hundreds of levels deep (a few evaluations per
// level) fits; 100,000 levels are refused cleanly, never a SIGSEGV.
constexpr int kMaxDepth = 3000;

// One step of a path: a keyword or property name (view into the schema or instance), or an index.
// A name known to hold no '~' or '/' (a keyword, a property the schema names) is marked so, and
// to_pointer copies it without looking. A property the schema names is one step of the keyword
// path, "properties/" and its name: the walk's commonest step, pushed once.
constexpr long kName = -1, kPlainName = -2, kNoSeg = -3, kProperty = -4, kPlainProperty = -5;
constexpr std::string_view kPropertiesStep = "properties/";
struct Seg {
  std::string_view name;
  long index = kName;  // >= 0: an array index
};

// What a successful evaluation looked at, for unevaluatedProperties/unevaluatedItems.
struct Evaluated {
  std::unordered_set<std::string_view> properties;
  bool all_properties = false;
  size_t items = 0;  // a prefix of the array was evaluated
  bool all_items = false;
  std::vector<bool> contained;

  void merge(const Evaluated& o) {
    properties.insert(o.properties.begin(), o.properties.end());
    all_properties |= o.all_properties;
    items = std::max(items, o.items);
    all_items |= o.all_items;
    if (contained.size() < o.contained.size()) contained.resize(o.contained.size());
    for (size_t i = 0; i < o.contained.size(); ++i) if (o.contained[i]) contained[i] = true;
  }
};

// A stack held in place for the usual few levels, so an evaluation allocates nothing for it;
// past N entries it moves to the heap. Only for trivially copyable T; the room in place is left
// uninitialised (a union member) until an entry is pushed.
template <class T, size_t N> class Stack {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  Stack() {}
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  [[gnu::always_inline]] void push_back(const T& x) {
    if (size_ == capacity_) [[unlikely]] grow();
    std::construct_at(data_ + size_++, x);
  }
  void pop_back() { --size_; }
  void resize(size_t n) { size_ = n; }  // shrinks only
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& back() const { return data_[size_ - 1]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  [[gnu::noinline]] void grow() {
    std::vector<T> bigger(capacity_ * 2);
    std::copy(data_, data_ + size_, bigger.begin());
    heap_ = std::move(bigger);
    data_ = heap_.data();
    capacity_ *= 2;
  }
  union {
    T in_place_[N];
  };
  T* data_ = in_place_;
  size_t size_ = 0, capacity_ = N;
  std::vector<T> heap_;
};

struct Aborted {
  bool loop;  // a reference re-entered on the same value without a step into it
};

// A path as a JSON pointer (RFC 6901: '~' → "~0", '/' → "~1"). Built only when an error is
// recorded, sized first so the string is allocated once (or not at all when it fits inline);
// names almost never hold '~' or '/', so they are checked with memchr, and when none does, all
// are copied whole.
bool plain(std::string_view name) {
  return !std::memchr(name.data(), '/', name.size()) && !std::memchr(name.data(), '~', name.size());
}

template <class Path> void to_pointer(const Path& path, std::string& out) {
  size_t size = 0, escapes = 0;
  char digits[24];
  for (auto& s : path) {
    if (s.index >= 0) {
      size += 1 + static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, s.index).ptr - digits);
      continue;
    }
    size += 1 + s.name.size();
    if (s.index <= kProperty) size += kPropertiesStep.size();
    if ((s.index == kName || s.index == kProperty) && !plain(s.name))
      for (char c : s.name) escapes += c == '~' || c == '/';
  }
  size += escapes;
  out.resize(size);  // an error written over keeps its string's room
  char* at = out.data();
  for (auto& s : path) {
    *at++ = '/';
    if (s.index >= 0) {
      at = std::to_chars(at, out.data() + size, s.index).ptr;
      continue;
    }
    if (s.index <= kProperty) {
      std::memcpy(at, kPropertiesStep.data(), kPropertiesStep.size());
      at += kPropertiesStep.size();
    }
    if (escapes == 0) {
      if (!s.name.empty()) std::memcpy(at, s.name.data(), s.name.size());
      at += s.name.size();
    } else {
      for (char c : s.name) {
        if (c == '~' || c == '/') {
          *at++ = '~';
          *at++ = c == '~' ? '0' : '1';
        } else {
          *at++ = c;
        }
      }
    }
  }
}

// An error's parameter the schema holds (a name, a pattern, an enum list): pointed at, not copied.
struct Shared {
  const char* key;
  const json& value;
};

// A "type" error on an instance: the schema's names, and the instance's own type.
struct TypeMismatch {
  const Node* node;
  const json& instance;
};

bool is_integer(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

// The text of a value known to be a string: get_ref's type check and throw are not inlined.
[[gnu::always_inline]] inline const std::string& text_of(const json& v) { return *v.get_ptr<const std::string*>(); }

[[gnu::always_inline]] inline uint8_t type_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return T_NULL;
    case json::value_t::boolean: return T_BOOL;
    case json::value_t::object: return T_OBJECT;
    case json::value_t::array: return T_ARRAY;
    case json::value_t::string: return T_STRING;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return T_NUMBER | T_INTEGER;
    case json::value_t::number_float: return is_integer(v) ? (T_NUMBER | T_INTEGER) : T_NUMBER;
    default: return 0;
  }
}

// The instance's type as "actual" reports it: one shared value per type.
const json& type_name_json(const json& v) {
  // Never destroyed: an error may be read from another static's destructor.
  static const json* names = new const json[10]{"null", "object", "array", "string", "boolean", "number", "number", "number", "binary", "discarded"};
  return names[static_cast<size_t>(v.type())];
}

bool in_enum(const Node* n, const json& v, uint8_t t) {
  if (!n->enum_only_strings) return std::any_of(n->enum_values->begin(), n->enum_values->end(), [&](const json& e) { return e == v; });
  if (t != T_STRING) return false;
  const std::string& s = text_of(v);
  for (std::string_view e : n->enum_strings)
    if (e.size() == s.size() && std::memcmp(e.data(), s.data(), s.size()) == 0) return true;
  return false;
}

bool multiple_of(const json& v, double m) {
  if (v.is_number_unsigned() && std::floor(m) == m && m < 9e15)
    return v.get<unsigned long long>() % static_cast<unsigned long long>(m) == 0;
  if (v.is_number_integer() && std::floor(m) == m && m < 9e15)
    return v.get<long long>() % static_cast<long long>(m) == 0;
  double q = v.get<double>() / m;
  if (!std::isfinite(q)) return false;
  return std::fabs(q - std::round(q)) < 1e-9 * std::max(1.0, std::fabs(q));
}

class Evaluator {
 public:
  // owner holds impl: errors that point into the schema keep it alive through it.
  Evaluator(const Validator::Impl& impl, const std::shared_ptr<const void>& owner, std::vector<ValidationError>* errors)
      : impl_(impl), owner_(owner), errors_(errors), dynamic_scope_(impl.dynamic_scope) {}

  // The list's elements are written over from the front (their strings' room reused), and what
  // this run did not write is cut off at the end.
  bool run(const json& instance) {
    bool ok;
    try {
      ok = eval(impl_.root, instance, nullptr);
    } catch (const Aborted& a) {
      if (errors_) {
        ValidationError& e = slot();
        e.instance_location.clear();
        e.keyword_location.clear();
        e.keyword = "$ref";
        e.params.clear(owner_);
        e.params.add("reason", a.loop ? "reference loop: the schema's recursion takes no step into the instance"
                                      : "instance nested too deep for the schema's recursion");
      }
      ok = false;
    }
    if (errors_) errors_->resize(used_);
    return ok;
  }

 private:
  // Reporting is out of line and cold: the walk of a valid dossier stays compact. Each form
  // writes its parameters straight into the error's place (no Params made and moved).
  [[gnu::noinline, gnu::cold]] void report(std::string_view keyword) {
    if (errors_) error(keyword);
  }
  [[gnu::noinline, gnu::cold]] void report(std::string_view keyword, const char* key, json value) {
    if (errors_) error(keyword).add(key, std::move(value));
  }
  [[gnu::noinline, gnu::cold]] void report(std::string_view keyword, const char* key, json value, const char* key2, json value2) {
    if (!errors_) return;
    Params& p = error(keyword);
    p.add(key, std::move(value));
    p.add(key2, std::move(value2));
  }
  // The error keeps the schema alive: an error may outlive its validator.
  [[gnu::noinline, gnu::cold]] void report(std::string_view keyword, Shared shared) {
    if (errors_) error(keyword).add_shared(shared.key, shared.value, owner_);
  }
  [[gnu::noinline, gnu::cold]] void report(std::string_view keyword, TypeMismatch m) {
    if (!errors_) return;
    Params& p = error(keyword);
    p.add_shared("expected", m.node->type_names, owner_);
    p.add_static("actual", type_name_json(m.instance));
  }

  // A new error at the current paths, its parameters empty for the caller to add.
  Params& error(std::string_view keyword) {
    // A form's few errors without regrowing, in a block small enough for malloc's per-thread
    // cache (glibc's tcache serves up to 1,032 bytes).
    static_assert(4 * sizeof(ValidationError) <= 1032);
    if (errors_->capacity() == 0) errors_->reserve(4);
    kpath_.push_back({keyword, kPlainName});
    ValidationError& e = slot();
    to_pointer(ipath_, e.instance_location);
    to_pointer(kpath_, e.keyword_location);
    e.keyword.assign(keyword.data(), keyword.size());
    e.params.clear(owner_);
    kpath_.pop_back();
    return e.params;
  }

  // The next error's place: an element of an earlier run's list to write over, else a new one
  // built in place (no whole error moved).
  ValidationError& slot() {
    if (used_ < errors_->size()) return (*errors_)[used_++];
    ++used_;
    return errors_->emplace_back();
  }

  // Evaluates a subschema reached through keyword (and index or name) without moving in the instance.
  bool in_place(const Node* n, const json& v, Evaluated* ev, std::string_view keyword, Seg kseg = {{}, kNoSeg}) {
    // A real loop: the same schema reached by reference again on the very same value. Deep
    // recursion over a deep instance always moves into a child first, so it never matches.
    bool ref = keyword[0] == '$';  // "$ref" or "$dynamicRef": no other keyword comes here with a '$'
    if (ref) {
      for (auto it = refs_.rbegin(); it != refs_.rend() && it->second == &v; ++it)
        if (it->first == n) throw Aborted{true};
      refs_.push_back({n, &v});
    }
    struct Pop {
      std::vector<std::pair<const Node*, const json*>>* refs;
      ~Pop() { if (refs) refs->pop_back(); }
    } pop{ref ? &refs_ : nullptr};
    if (!errors_) return eval(n, v, ev);  // paths only name errors: none to name here
    kpath_.push_back({keyword, kPlainName});
    bool extra = kseg.index != kNoSeg;
    if (extra) kpath_.push_back(kseg);
    bool ok = eval(n, v, ev);
    kpath_.resize(kpath_.size() - 1 - extra);
    return ok;
  }

  // A leaf (a form's answer, mostly) is checked quietly first: no level, no step of the paths.
  // True when that settles it: it passed, or it failed and no errors are wanted. A failing leaf
  // is evaluated again by the caller with its paths, to report it.
  [[gnu::always_inline]] bool settled_as_leaf(const Node* n, const json& v, bool& ok) {
    if (!(n->has & IS_LEAF)) return false;
    auto* saved = errors_;
    errors_ = nullptr;
    ok = keywords(n, v, nullptr);
    errors_ = saved;
    return ok || !errors_;
  }

  // Evaluates a subschema on a child of the instance.
  // child, eval and keywords are inlined into each other's callers: a call per level of each
  // cost about a fifth of a form's walk, and one frame per level instead of four takes less
  // stack for deep instances (object_keywords' frame with them inlined is smaller than the four).
  [[gnu::always_inline]] bool child(const Node* n, const json& v, Seg at, std::string_view keyword,
                                    Seg kseg = {{}, kNoSeg}) {
    bool leaf_ok;
    if (settled_as_leaf(n, v, leaf_ok)) return leaf_ok;
    if (!errors_) return eval(n, v, nullptr);
    kpath_.push_back({keyword, kPlainName});
    bool extra = kseg.index != kNoSeg;
    if (extra) kpath_.push_back(kseg);
    ipath_.push_back(at);
    bool ok = eval(n, v, nullptr);
    ipath_.pop_back();
    kpath_.resize(kpath_.size() - 1 - extra);
    return ok;
  }

  // A property the schema names, on the instance's value under key (the same name).
  [[gnu::always_inline]] bool property(const Node::Property& p, const json& v, std::string_view key) {
    bool leaf_ok;
    if (settled_as_leaf(p.node, v, leaf_ok)) return leaf_ok;
    if (!errors_) return eval(p.node, v, nullptr);
    kpath_.push_back({p.name, p.plain_name ? kPlainProperty : kProperty});
    ipath_.push_back({key, p.plain_name ? kPlainName : kName});
    bool ok = eval(p.node, v, nullptr);
    ipath_.pop_back();
    kpath_.pop_back();
    return ok;
  }

  // $dynamicRef: its static target, unless an anchor of that name is in the dynamic scope.
  bool dynamic_ref(const Node* n, const json& v, Evaluated* ev) {
    const Node* target = n->dynamic_ref;
    if (!n->dynamic_anchor.empty())
      for (const Resource* r : scope_) {  // outermost first
        auto it = r->dynamic_anchors.find(n->dynamic_anchor);
        if (it != r->dynamic_anchors.end()) { target = it->second; break; }
      }
    return in_place(target, v, ev, "$dynamicRef");
  }

  // Runs f with error collection off: for branches whose own errors are not the answer.
  template <class F> bool quietly(F f) {
    auto* saved = errors_;
    errors_ = nullptr;
    bool ok;
    try {
      ok = f();
    } catch (...) {
      errors_ = saved;
      throw;
    }
    errors_ = saved;
    return ok;
  }

  [[gnu::always_inline]] bool eval(const Node* n, const json& v, Evaluated* parent) {
    if (n->has & HAS_BOOLEAN) [[unlikely]] {
      if (!*n->boolean) report("false");
      return *n->boolean;
    }
    if (++depth_ > kMaxDepth) throw Aborted{false};
    // The scope is only read to resolve a $dynamicRef through its anchor: not kept otherwise.
    bool entered = dynamic_scope_ && (scope_.empty() || scope_.back() != n->resource);
    if (entered) scope_.push_back(n->resource);
    // Annotations cost a set per evaluation: only kept where an unevaluated* keyword reads them.
    bool ok = (parent || (n->has & HAS_ANNOTATIONS)) ? annotated(n, v, parent) : keywords(n, v, nullptr);
    if (entered) scope_.pop_back();
    --depth_;
    return ok;
  }

  bool annotated(const Node* n, const json& v, Evaluated* parent) {
    Evaluated mine;
    bool ok = keywords(n, v, &mine);
    if (ok && parent) parent->merge(mine);
    return ok;
  }

#define FAIL(...)                     \
  do {                                \
    ok = false;                       \
    if (!errors_) return false;       \
    report(__VA_ARGS__);              \
  } while (0)
#define CHECK_SUB(expr)               \
  do {                                \
    if (!(expr)) {                    \
      ok = false;                     \
      if (!errors_) return false;     \
    }                                 \
  } while (0)

  [[gnu::always_inline]] bool keywords(const Node* n, const json& v, Evaluated* ev) {
    bool ok = true;
    const uint32_t has = n->has;
    if (has & HAS_REFS) [[unlikely]] {
      if (n->ref) CHECK_SUB(in_place(n->ref, v, ev, "$ref"));
      if (n->dynamic_ref) CHECK_SUB(dynamic_ref(n, v, ev));
    }

    const uint8_t t = type_of(v);
    if ((has & HAS_TYPES) && !(n->types & t)) FAIL("type", TypeMismatch{n, v});
    if ((has & HAS_CONST) && !(v == *n->const_value)) FAIL("const", Shared{"expected", *n->const_value});
    if ((has & HAS_ENUM) && !in_enum(n, v, t)) FAIL("enum", Shared{"expected", *n->enum_values});

    if ((has & HAS_NUMBER_CHECKS) && (t & T_NUMBER)) {
      double d = v.get<double>();
      if (n->minimum && d < *n->minimum) FAIL("minimum", "limit", *n->minimum);
      if (n->maximum && d > *n->maximum) FAIL("maximum", "limit", *n->maximum);
      if (n->exclusive_minimum && d <= *n->exclusive_minimum) FAIL("exclusiveMinimum", "limit", *n->exclusive_minimum);
      if (n->exclusive_maximum && d >= *n->exclusive_maximum) FAIL("exclusiveMaximum", "limit", *n->exclusive_maximum);
      if (n->multiple_of && !multiple_of(v, *n->multiple_of)) FAIL("multipleOf", "multipleOf", *n->multiple_of);
    }

    if ((has & HAS_STRING_CHECKS) && t == T_STRING) {
      const std::string& s = text_of(v);
      // A code point takes 1 to 4 bytes (an ill-formed byte counts as one): the byte size alone
      // settles most limits without counting.
      bool undecided = (n->min_length && *n->min_length > (s.size() + 3) / 4) || (n->max_length && s.size() > *n->max_length);
      if (undecided) {
        size_t len = text::codepoint_count(s);
        if (n->min_length && len < *n->min_length) FAIL("minLength", "limit", *n->min_length);
        if (n->max_length && len > *n->max_length) FAIL("maxLength", "limit", *n->max_length);
      }
      if (n->pattern && !n->pattern->search(s)) FAIL("pattern", Shared{"pattern", *n->pattern_source});
    }
    if ((has & HAS_ASSERTED_FORMAT) && t == T_STRING && !n->format_check(text_of(v)))
      FAIL("format", Shared{"format", *n->format_name});

    if (t == T_OBJECT && (has & HAS_OBJECT_CHECKS)) ok = object_keywords(n, v, ev) && ok;
    else if (t == T_ARRAY && (has & HAS_ARRAY_CHECKS)) ok = array_keywords(n, v, ev) && ok;
    if (!ok && !errors_) return false;
    if (has & HAS_APPLICATORS) ok = applicators(n, v, t, ev) && ok;
    return ok;
  }

  bool applicators(const Node* n, const json& v, uint8_t t, Evaluated* ev) {
    bool ok = true;

    for (size_t i = 0; i < n->all_of.size(); ++i) CHECK_SUB(in_place(n->all_of[i], v, ev, "allOf", {{}, static_cast<long>(i)}));
    if (!n->any_of.empty()) {
      bool any = false;
      for (size_t i = 0; i < n->any_of.size(); ++i) {
        if (quietly([&] { return in_place(n->any_of[i], v, ev, "anyOf", {{}, static_cast<long>(i)}); })) {
          any = true;
          if (!ev) break;  // annotations need every passing branch
        }
      }
      if (!any) FAIL("anyOf");
    }
    if (!n->one_of.empty()) {
      json passing = json::array();
      Evaluated found;
      for (size_t i = 0; i < n->one_of.size(); ++i) {
        Evaluated branch;
        if (quietly([&] { return in_place(n->one_of[i], v, ev ? &branch : nullptr, "oneOf", {{}, static_cast<long>(i)}); })) {
          passing.push_back(i);
          found.merge(branch);
          if (passing.size() > 1 && !errors_) break;
        }
      }
      if (passing.size() != 1) FAIL("oneOf", "passing", std::move(passing));
      else if (ev) ev->merge(found);
    }
    if (n->not_ && quietly([&] { return in_place(n->not_, v, nullptr, "not"); })) FAIL("not");
    if (n->if_) {
      Evaluated cond;
      if (quietly([&] { return in_place(n->if_, v, ev ? &cond : nullptr, "if"); })) {
        if (ev) ev->merge(cond);
        if (n->then_) CHECK_SUB(in_place(n->then_, v, ev, "then"));
      } else if (n->else_) {
        CHECK_SUB(in_place(n->else_, v, ev, "else"));
      }
    }

    if (n->unevaluated_properties && t == T_OBJECT && !ev->all_properties) {
      for (auto& [key, value] : v.items()) {
        std::string_view k = key;
        if (ev->properties.count(k)) continue;
        CHECK_SUB(child(n->unevaluated_properties, value, {k}, "unevaluatedProperties"));
      }
      ev->all_properties = true;
    }
    if (n->unevaluated_items && t == T_ARRAY && !ev->all_items) {
      for (size_t i = ev->items; i < v.size(); ++i) {
        if (i < ev->contained.size() && ev->contained[i]) continue;
        CHECK_SUB(child(n->unevaluated_items, v[i], {{}, static_cast<long>(i)}, "unevaluatedItems"));
      }
      ev->all_items = true;
    }
    return ok;
  }

  bool object_keywords(const Node* n, const json& v, Evaluated* ev) {
    bool ok = true;
    if (n->min_properties && v.size() < *n->min_properties) FAIL("minProperties", "limit", *n->min_properties);
    if (n->max_properties && v.size() > *n->max_properties) FAIL("maxProperties", "limit", *n->max_properties);
    const bool per_key = !n->properties.empty() || !n->pattern_properties.empty() || n->additional_properties || n->property_names;
    // Required properties are counted on the walk below; only when some are missing are the
    // names looked up, and their errors placed before the walk's, in the schema's order.
    const bool count_required = !n->required_elsewhere && per_key;
    size_t required_seen = 0;
    uint64_t seen = 0;  // which of the first 64 properties the walk met: names the missing ones without lookups
    const size_t required_errors_at = used_;
    if (!count_required)
      for (size_t i = 0; i < n->required.size(); ++i)
        if (!v.contains(n->required[i])) FAIL("required", Shared{"missing", (*n->required_names)[i]});
    for (auto& [name, needed] : n->dependent_required)
      if (v.contains(name))
        for (auto& r : needed)
          if (!v.contains(r)) FAIL("dependentRequired", "property", name, "missing", r);

    const auto& object = v.get_ref<const json::object_t&>();
    if (per_key && (n->has & HAS_ONLY_PROPERTIES) && n->properties.size() * 4 <= object.size()) {
      // Few properties against many keys (an "if" naming one answer of a whole form): each looked
      // up rather than every key walked. Properties are in byte order, as the walk meets them, so
      // the errors come in the same order.
      for (auto& p : n->properties) {
        auto found = object.find(p.name);
        if (found == object.end()) continue;
        if (p.required) {
          ++required_seen;
          seen |= p.bit;
        }
        CHECK_SUB(property(p, found->second, found->first));
        if (ev) ev->properties.insert(found->first);
      }
    } else if (per_key) {
      // The instance's keys and the schema's properties are both kept in byte order: one walk
      // along both finds every match, no lookup per key.
      auto it = n->properties.begin();
      const auto end = n->properties.end();
      const bool only_properties = n->has & HAS_ONLY_PROPERTIES;
      for (auto& [key, value] : object) {
        std::string_view k = key;
        bool matched = false;
        int order = 1;
        if (it != end) {
          const NameKey kk = name_key(k);
          while (it != end && (order = compare_names(it->name, it->key, k, kk)) < 0) {
            // Passed over: the instance has no such key. A required one settles a yes/no answer
            // here, as ajv's required check does before the properties (errors wait for the walk).
            if (it->required && !errors_) return false;
            ++it;
          }
        }
        if (order == 0) {
          matched = true;
          if (it->required) {
            ++required_seen;
            seen |= it->bit;
          }
          CHECK_SUB(property(*it, value, k));
          ++it;  // met: only properties the instance lacks are passed over above
        }
        if (only_properties) {  // a form's usual object: nothing else to look at per key
          if (matched && ev) ev->properties.insert(k);
          continue;
        }
        for (auto& [re, sub] : n->pattern_properties) {
          if (!re->search(k)) continue;
          matched = true;
          CHECK_SUB(child(sub, value, {k}, "patternProperties", {re->source()}));
        }
        if (n->additional_properties && !matched) {
          matched = true;
          CHECK_SUB(child(n->additional_properties, value, {k}, "additionalProperties"));
        }
        if (n->property_names) {
          json name(key);
          if (!quietly([&] { return child(n->property_names, name, {k}, "propertyNames"); }))
            FAIL("propertyNames", "property", key);
        }
        if (matched && ev) ev->properties.insert(k);
      }
    }
    if (count_required && required_seen != n->required_properties) {
      ok = false;
      if (!errors_) return false;
      // Appended, then rotated in front of the walk's errors: swaps, no copies. The rotation ends
      // at the last error written: what lies beyond is an earlier run's, about to be cut off.
      const size_t walk_end = used_;
      for (size_t i = 0; i < n->required.size(); ++i) {
        size_t at = n->required_property[i];
        if (at < 64 ? !(seen & n->properties[at].bit) : !v.contains(n->required[i])) report("required", Shared{"missing", (*n->required_names)[i]});
      }
      std::rotate(errors_->begin() + static_cast<long>(required_errors_at), errors_->begin() + static_cast<long>(walk_end),
                  errors_->begin() + static_cast<long>(used_));
    }
    for (auto& [name, sub] : n->dependent_schemas)
      if (v.contains(name)) CHECK_SUB(in_place(sub, v, ev, "dependentSchemas", {name}));
    return ok;
  }

  bool array_keywords(const Node* n, const json& v, Evaluated* ev) {
    bool ok = true;
    if (n->min_items && v.size() < *n->min_items) FAIL("minItems", "limit", *n->min_items);
    if (n->max_items && v.size() > *n->max_items) FAIL("maxItems", "limit", *n->max_items);
    if (n->unique_items)
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = i + 1; j < v.size(); ++j)
          if (v[i] == v[j]) { FAIL("uniqueItems", "duplicates", json::array({i, j})); i = j = v.size(); }

    size_t prefix = std::min(n->prefix_items.size(), v.size());
    for (size_t i = 0; i < prefix; ++i)
      CHECK_SUB(child(n->prefix_items[i], v[i], {{}, static_cast<long>(i)}, "prefixItems", {{}, static_cast<long>(i)}));
    if (ev) ev->items = std::max(ev->items, prefix);
    if (n->items) {
      for (size_t i = prefix; i < v.size(); ++i) CHECK_SUB(child(n->items, v[i], {{}, static_cast<long>(i)}, "items"));
      if (ev) ev->all_items = true;
    }
    if (n->contains) {
      size_t matches = 0;
      for (size_t i = 0; i < v.size(); ++i) {
        if (quietly([&] { return child(n->contains, v[i], {{}, static_cast<long>(i)}, "contains"); })) {
          ++matches;
          if (ev) {
            if (ev->contained.size() < v.size()) ev->contained.resize(v.size());
            ev->contained[i] = true;
          }
        }
      }
      size_t min = n->min_contains.value_or(1);
      if (matches < min) FAIL(n->min_contains ? "minContains" : "contains", "limit", min, "matches", matches);
      if (n->max_contains && matches > *n->max_contains) FAIL("maxContains", "limit", *n->max_contains, "matches", matches);
    }
    return ok;
  }

#undef FAIL
#undef CHECK_SUB

  const Validator::Impl& impl_;
  const std::shared_ptr<const void>& owner_;
  std::vector<ValidationError>* errors_;
  const bool dynamic_scope_;  // impl_'s, kept here: read on every evaluation
  size_t used_ = 0;  // errors written into *errors_ by this run
  // Room for a form's few levels in place; deeper instances and schemas grow onto the heap.
  Stack<Seg, 16> ipath_;
  Stack<Seg, 32> kpath_;
  Stack<const Resource*, 8> scope_;
  std::vector<std::pair<const Node*, const json*>> refs_;  // references followed, and on which value
  int depth_ = 0;
};

}  // namespace

Validator::Validator(const json& schema, const Options& options, const std::string& origin)
    : impl_(std::make_shared<Impl>()), owner_(impl_) {
  impl_->options = options;
  compile_schema(*impl_, schema, origin);
}

Validator::~Validator() = default;
Validator::Validator(Validator&&) noexcept = default;
Validator& Validator::operator=(Validator&&) noexcept = default;

bool Validator::valid(const json& instance) const {
  Evaluator e(*impl_, owner_, nullptr);
  return e.run(instance);
}

std::vector<ValidationError> Validator::validate(const json& instance) const {
  std::vector<ValidationError> errors;
  validate(instance, errors);
  return errors;
}

bool Validator::validate(const json& instance, std::vector<ValidationError>& errors) const {
  Evaluator e(*impl_, owner_, &errors);
  return e.run(instance);
}

}  // namespace motcua::schema
