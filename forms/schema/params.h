// A validation error's parameters: at most two named values (limit, pattern, missing...).
// Rule: reporting an error allocates nothing for a value the schema already holds (a name, a
// pattern, an enum list, type names); the error points at it and keeps the compiled schema
// alive, so an error may outlive its validator. Values made from the instance are kept here.
#pragma once
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace motcua::schema {

class Params {
 public:
  Params() = default;
  Params(const Params&) = default;
  Params& operator=(const Params&) = default;
  // A moved-from Params is empty: its entries would point into a schema it no longer keeps.
  Params(Params&& other) noexcept;
  Params& operator=(Params&& other) noexcept;

  // Empties the list to be written again: the entries' room is kept, and so is the owner when it
  // is keep (an error written over from the same schema touches no reference count); any other
  // schema is let go, as nothing points into it any more.
  void clear(const std::shared_ptr<const void>& keep = {}) {
    count_ = 0;
    owner_used_ = false;
    if (owner_.owner_before(keep) || keep.owner_before(owner_)) owner_.reset();
  }
  // Every key is a string literal (static storage): stored as a pointer, never copied.
  void add(const char* key, nlohmann::json value);
  // value lives in what owner keeps alive; every shared entry of one error has the same owner.
  void add_shared(const char* key, const nlohmann::json& value, const std::shared_ptr<const void>& owner);
  // value has static storage duration.
  void add_static(const char* key, const nlohmann::json& value);
  // Replaces the value of key (or adds it): how a form shows its own label instead of a name.
  template <size_t N> void set(const char (&key)[N], nlohmann::json value) { put(key, std::move(value)); }

  size_t size() const { return count_; }
  const char* key(size_t i) const { return entries_[i].key; }
  const nlohmann::json& value_at(size_t i) const { return entries_[i].shared ? *entries_[i].shared : entries_[i].own; }

  bool contains(std::string_view key) const { return find(key) != nullptr; }
  const nlohmann::json& operator[](std::string_view key) const;  // null when absent
  std::string value(std::string_view key, const char* fallback) const;  // a text value, else fallback
  template <std::integral T> std::string value(std::string_view, T) const = delete;  // not json::value: no numbers

  nlohmann::json to_json() const;
  std::string dump() const { return to_json().dump(); }
  friend bool operator==(const Params& a, const Params& b);
  friend void swap(Params& a, Params& b) noexcept;

 private:
  struct Entry {
    const char* key = nullptr;
    const nlohmann::json* shared = nullptr;  // the schema's own (or a static) value, when not null
    nlohmann::json own;
  };
  Entry& next(const char* key);
  const nlohmann::json* find(std::string_view key) const;
  void put(const char* key, nlohmann::json value);

  std::array<Entry, 2> entries_;
  uint8_t count_ = 0;
  std::shared_ptr<const void> owner_;  // the compiled schema the shared values live in
  bool owner_used_ = false;            // some entry points into owner_ (after clear(), maybe none)
};

inline void to_json(nlohmann::json& out, const Params& p) { out = p.to_json(); }

}  // namespace motcua::schema
