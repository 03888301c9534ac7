#include "terminal/core/personal_data.h"

#include <cstring>
#include <new>

namespace motcua {

void secure_zero(void* p, size_t n) {
  if (p && n) explicit_bzero(p, n);
}

void* ZeroingResource::do_allocate(size_t bytes, size_t align) {
  return ::operator new(bytes, std::align_val_t(align));
}

void ZeroingResource::do_deallocate(void* p, size_t bytes, size_t align) {
  secure_zero(p, bytes);
  ::operator delete(p, bytes, std::align_val_t(align));
}

[[gnu::noinline]] void scrub_stack() {
  char pad[128 * 1024];
  explicit_bzero(pad, sizeof pad);
  __asm__ volatile("" : : "r"(pad) : "memory");  // the frame is really this deep
}

std::pmr::memory_resource* zeroing_resource() {
  static ZeroingResource resource;
  return &resource;
}

PersonalData::PersonalData(size_t arena_bytes)
    : arena_(arena_bytes), pool_(arena_.data(), arena_.size(), &overflow_) {
  reset_containers();
}

void PersonalData::reset_containers() {
  fields_.emplace(&pool_);
  search_.emplace(&pool_);
}

PersonalData::Text& PersonalData::field(std::string_view scope) {
  auto it = fields_->find(scope);
  if (it == fields_->end()) it = fields_->emplace(Text(scope, &pool_), Text(&pool_)).first;
  return it->second;
}

const PersonalData::Text* PersonalData::find(std::string_view scope) const {
  auto it = fields_->find(scope);
  return it == fields_->end() ? nullptr : &it->second;
}

bool PersonalData::empty() const {
  for (auto& [_, v] : *fields_)
    if (!v.empty()) return false;
  return search_->empty() && documents_.empty();
}

bool PersonalData::empty_except(const std::map<std::string, std::string, std::less<>>& presets) const {
  for (auto& [scope, v] : *fields_) {
    if (v.empty()) continue;
    auto it = presets.find(std::string_view(scope));
    if (it == presets.end() || std::string_view(it->second) != std::string_view(v)) return false;
  }
  return search_->empty() && documents_.empty();
}

void PersonalData::wipe() {
  // Strings free into the monotonic pool, which keeps their bytes until release():
  // zero the arena after release so nothing typed survives, including moved-from buffers.
  // Short strings keep their bytes inside the string object (SSO), outside the arena.
  auto zero = [](Text& t) { secure_zero(t.data(), t.capacity()); };
  for (auto& [_, v] : *fields_) zero(v);
  zero(*search_);
  fields_.reset();
  search_.reset();
  pool_.release();  // overflow blocks go back through ZeroingResource
  secure_zero(arena_.data(), arena_.size());
  reset_containers();
  documents_.wipe();
}

}  // namespace motcua
