#include "forms/schema/params.h"

#include <cstring>
#include <stdexcept>
#include <utility>

namespace motcua::schema {

using nlohmann::json;

// Moves and swaps exchange the values in place: nlohmann's move assignment goes through a
// temporary it then destroys, and an error moves a few times on its way into its list.
Params::Params(Params&& other) noexcept { swap(*this, other); }

Params& Params::operator=(Params&& other) noexcept {
  swap(*this, other);
  other.count_ = 0;  // what it still holds is past its count: ignored, freed with it
  other.owner_.reset();
  other.owner_used_ = false;
  return *this;
}

void swap(Params& a, Params& b) noexcept {
  for (size_t i = 0; i < a.entries_.size(); ++i) {
    std::swap(a.entries_[i].key, b.entries_[i].key);
    std::swap(a.entries_[i].shared, b.entries_[i].shared);
    a.entries_[i].own.swap(b.entries_[i].own);
  }
  std::swap(a.count_, b.count_);
  a.owner_.swap(b.owner_);
  std::swap(a.owner_used_, b.owner_used_);
}

Params::Entry& Params::next(const char* key) {
  if (count_ == entries_.size()) throw std::logic_error("an error has at most two parameters");
  // An entry past count_ may hold what a move left there: reset what value_at reads first.
  Entry& e = entries_[count_++];
  e.key = key;
  e.shared = nullptr;
  return e;
}

void Params::add(const char* key, json value) { next(key).own = std::move(value); }

void Params::add_shared(const char* key, const json& value, const std::shared_ptr<const void>& owner) {
  // One owner per error: a second would have to be kept too, and nothing needs it. An owner no
  // entry uses any more (the list was cleared) is replaced.
  if (owner_.owner_before(owner) || owner.owner_before(owner_)) {
    if (owner_used_) throw std::logic_error("an error's shared parameters come from one schema");
    owner_ = owner;
  }
  next(key).shared = &value;
  owner_used_ = true;
}

void Params::add_static(const char* key, const json& value) { next(key).shared = &value; }

void Params::put(const char* key, json value) {
  for (size_t i = 0; i < count_; ++i)
    if (std::strcmp(entries_[i].key, key) == 0) {
      entries_[i].shared = nullptr;
      entries_[i].own = std::move(value);
      return;
    }
  add(key, std::move(value));
}

const json* Params::find(std::string_view key) const {
  for (size_t i = 0; i < count_; ++i)
    if (key == entries_[i].key) return &value_at(i);
  return nullptr;
}

const json& Params::operator[](std::string_view key) const {
  static const json& null = *new json();  // never destroyed: read safely from other statics' destructors
  const json* v = find(key);
  return v ? *v : null;
}

std::string Params::value(std::string_view key, const char* fallback) const {
  const json* v = find(key);
  return v && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

json Params::to_json() const {
  json out(json::value_t::object);
  for (size_t i = 0; i < count_; ++i) out[entries_[i].key] = value_at(i);
  return out;
}

bool operator==(const Params& a, const Params& b) { return a.to_json() == b.to_json(); }

}  // namespace motcua::schema
