// Byte buffers for everything that comes from or goes to the chip.
// Rule: chip data, access keys and session keys live only in Bytes, whose allocator zeroes every
// buffer it frees, so dropping or reallocating a buffer never leaves personal data in the heap.
#pragma once
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::card {

void wipe_memory(void* p, size_t n);

template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, size_t n) {
    wipe_memory(p, n * sizeof(T));
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const WipingAllocator<U>&) const { return true; }
};

using Bytes = std::vector<uint8_t, WipingAllocator<uint8_t>>;
// Text decoded from the chip (names, addresses): same zeroing guarantee as Bytes.
using SecretText = std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;

inline bool operator==(const SecretText& a, std::string_view b) { return std::string_view(a) == b; }
inline bool operator==(const SecretText& a, const std::string& b) { return std::string_view(a) == b; }
inline bool operator==(const SecretText& a, const char* b) { return std::string_view(a) == b; }

inline Bytes bytes_of(std::span<const uint8_t> s) { return Bytes(s.begin(), s.end()); }
inline Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }
// Byte by byte after one reserve: g++ 12 misreads vector range inserts (-Wstringop-overflow).
inline Bytes& append(Bytes& to, std::span<const uint8_t> more) {
  to.reserve(to.size() + more.size());
  for (uint8_t b : more) to.push_back(b);
  return to;
}
Bytes concat(std::initializer_list<std::span<const uint8_t>> parts);
Bytes from_hex(std::string_view hex);  // ignores spaces; throws std::invalid_argument on bad digits
std::string to_hex(std::span<const uint8_t> b);

}  // namespace motcua::card
