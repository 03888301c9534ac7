// Where a session keeps citizen data: every byte lives in one arena that wipe() zeroes.
// Rule: personal data (typed answers, search text, later chip fields) is stored only here,
// never in std::string on the general heap, so a session end can prove it left nothing.
#pragma once
#include <cstddef>
#include <map>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "terminal/core/captured_documents.h"

namespace motcua {

// Upstream for arena overflow: zeroes every block before returning it to the heap.
class ZeroingResource : public std::pmr::memory_resource {
  void* do_allocate(size_t bytes, size_t align) override;
  void do_deallocate(void* p, size_t bytes, size_t align) override;
  bool do_is_equal(const memory_resource& other) const noexcept override { return this == &other; }
};

class PersonalData {
 public:
  using Text = std::pmr::string;

  explicit PersonalData(size_t arena_bytes = 256 * 1024);
  PersonalData(const PersonalData&) = delete;
  PersonalData& operator=(const PersonalData&) = delete;

  Text& field(std::string_view scope);             // creates an empty field on first use
  const Text* find(std::string_view scope) const;  // nullptr when never set
  Text& search_text() { return *search_; }
  // Scanned component papers (their JPEG pages): outside the arena, in self-zeroing buffers.
  CapturedDocuments& documents() { return documents_; }
  const CapturedDocuments& documents() const { return documents_; }
  std::pmr::memory_resource* resource() { return &pool_; }
  bool empty() const;
  // Empty but for fields that hold exactly their preset (a form's own defaults, the same for
  // everyone): what a citizen typed, chose or scanned is none of it.
  bool empty_except(const std::map<std::string, std::string, std::less<>>& presets) const;

  // Destroys every container, zeroes the whole arena and returns overflow blocks zeroed.
  void wipe();

  std::span<const std::byte> arena() const { return arena_; }  // for tests: proves the wipe

 private:
  void reset_containers();

  std::vector<std::byte> arena_;  // sized once; never reallocated, so its bytes can be audited
  ZeroingResource overflow_;
  std::pmr::monotonic_buffer_resource pool_;
  std::optional<std::pmr::map<Text, Text, std::less<>>> fields_;
  std::optional<Text> search_;
  CapturedDocuments documents_;
};

// Zeroes memory in a way the optimiser may not drop.
void secure_zero(void* p, size_t n);

// A heap resource that zeroes every block it takes back: for short-lived buffers that hold
// personal data outside a session's arena (a dossier being serialised and sealed).
std::pmr::memory_resource* zeroing_resource();

// Zeroes 128 KiB of stack below the caller: what deeper calls (a dossier being built, sealed,
// validated) left in their dead frames. Called where a session ends, from the loop's top level.
void scrub_stack();

}  // namespace motcua
