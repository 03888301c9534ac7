// The kiosk program's heap zeroes every block before it goes back to the allocator.
// Rule: a citizen's data passes through buffers no code of ours owns: nlohmann's serialiser as it
// grows, libstdc++ stream buffers, utf8proc's UTF-32 work buffers, ImGui's edit copies, OpenSSL's
// and SQLite's pages. Each of them frees through free() or realloc(), so zeroing there (and moving
// instead of resizing in place, which would leave the old bytes behind) is the one place that
// reaches them all. Linked into the motcua program only; sanitizer builds keep their own malloc.
#include <malloc.h>
#include <stdlib.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define MOTCUA_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MOTCUA_SANITIZED 1
#endif

#ifndef MOTCUA_SANITIZED
extern "C" {

// glibc's own entry points, under the names it exports for allocators that wrap it.
void* __libc_malloc(size_t size);
void __libc_free(void* p);

void free(void* p) noexcept {
  if (!p) return;
  explicit_bzero(p, malloc_usable_size(p));
  __libc_free(p);
}

void* realloc(void* p, size_t size) noexcept {
  if (!p) return __libc_malloc(size);
  if (size == 0) {
    free(p);
    return nullptr;
  }
  size_t have = malloc_usable_size(p);
  if (size <= have) return p;  // shrinking in place: the tail is zeroed when the block is freed
  void* q = __libc_malloc(size);
  if (!q) return nullptr;  // p stays valid, as realloc promises
  std::memcpy(q, p, have);
  free(p);
  return q;
}

void* reallocarray(void* p, size_t n, size_t size) noexcept {
  size_t bytes = 0;
  if (__builtin_mul_overflow(n, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, bytes);
}

}  // extern "C"

namespace {
// Freed memory goes back to the system, not only to the heap (issue 22: memory near the graphics
// floor). glibc raises its mmap and trim thresholds each time a big block is freed, up to 32 and
// 64 MB: after the start (fonts, catalog, forms parsed on a loading thread) about 2 MB of freed,
// already zeroed blocks then stay resident in that thread's arena for the kiosk's lifetime. Fixed
// thresholds keep blocks of 128 KiB and more in their own mappings, returned when freed.
[[maybe_unused]] const bool kFixedThresholds = [] {
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  return true;
}();

// GLib 2.74 keeps small blocks (Pango's items, attribute lists and list nodes, made from a
// citizen's text when the first paper is laid out) in its slice allocator's own magazines, which
// never reach free() above. GLib reads G_SLICE once, at its first slice (its constructor, when
// Pango is opened): set here, before main and its threads, its blocks come from malloc and are
// zeroed when freed. An administrator's own G_SLICE is kept.
[[maybe_unused]] const bool kGlibSlicesThroughMalloc = setenv("G_SLICE", "always-malloc", 0) == 0;
}  // namespace
#endif
