// Frees and reallocates buffers holding a marker, then looks at the bytes left behind (glibc keeps
// the freed chunks mapped), and does the same with a GLib slice as Pango's blocks are made. Built
// twice: with the kiosk program's zeroing heap (terminal/services/zeroing_heap.cpp) and without it,
// the control. Prints how many of the probes still held the marker, the GLib slice's last; exits 0
// when none did.
#include <dlfcn.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace {
const char kMarker[] = "Hoang Thi Xuyen Khue 079304017718";

// Past glibc's free-list pointers, which overwrite the first 16 bytes of a freed chunk.
bool marker_left(const char* p) { return std::memcmp(p + 32, kMarker, sizeof kMarker - 1) == 0; }

void fill(char* p, size_t n) {
  std::memset(p, 'x', n);
  std::memcpy(p + 32, kMarker, sizeof kMarker - 1);
}
}  // namespace

int main() {
  int left = 0;
  for (size_t size : {size_t(100), size_t(600), size_t(5000), size_t(20000)}) {
    // Each probe block has a live neighbour after it, so glibc never merges it into the top of
    // the heap and gives it back to the kernel: its bytes stay readable after free.
    char* p = static_cast<char*>(std::malloc(size));
    char* after_p = static_cast<char*>(std::malloc(64));
    fill(p, size);
    char* volatile freed = p;
    std::free(p);
    left += marker_left(freed);

    // A realloc that moves the text: the block it leaves must not keep it.
    char* q = static_cast<char*>(std::malloc(size));
    char* after_q = static_cast<char*>(std::malloc(64));
    fill(q, size);
    char* volatile old = q;
    char* r = static_cast<char*>(std::realloc(q, size * 4));
    if (r != old) left += marker_left(old);
    std::free(r);
    std::free(after_q);
    std::free(after_p);
  }
  // GLib's slice allocator, opened as the first paper opens it: a slice freed into its magazine
  // keeps its bytes, one that came from malloc is zeroed by free().
  int slice_left = 0;
  if (void* glib = dlopen("libglib-2.0.so.0", RTLD_NOW | RTLD_LOCAL)) {
    auto alloc = reinterpret_cast<void* (*)(size_t)>(dlsym(glib, "g_slice_alloc"));
    auto release = reinterpret_cast<void (*)(size_t, void*)>(dlsym(glib, "g_slice_free1"));
    if (alloc && release) {
      char* p = static_cast<char*>(alloc(96));
      fill(p, 96);
      char* volatile freed = p;
      release(96, p);
      slice_left = marker_left(freed);
    }
  } else {
    std::printf("no GLib: %s\n", dlerror());
    return 2;
  }
  std::printf("%d %d\n", left, slice_left);
  return left + slice_left == 0 ? 0 : 1;
}
