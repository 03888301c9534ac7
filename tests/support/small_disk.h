// A tmpfs of a few megabytes mounted for one test, to fill to the last byte or remount read-only.
// Mounting needs root with CAP_SYS_ADMIN: tests check `mounted` and say why they skip otherwise.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace motcua::test {

struct SmallDisk {
  std::string path;
  bool mounted = false;
  SmallDisk(const std::string& where, const std::string& size) : path(where) {
    std::filesystem::create_directories(path);
    mounted = std::system(("mount -t tmpfs -o size=" + size + " motcua-test " + path + " 2>/dev/null").c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted && std::system(("umount -l " + path).c_str()) != 0) {}
  }
  bool remount(const char* mode) { return std::system(("mount -o remount," + std::string(mode) + " " + path).c_str()) == 0; }
  // Fills the disk to the last byte; returns the filler's path (and filler + "2", the last partial block).
  std::string fill() {
    std::string filler = path + "/filler";
    FILE* f = std::fopen(filler.c_str(), "wb");
    std::string block(65536, 'x');
    while (f && std::fwrite(block.data(), 1, block.size(), f) == block.size()) {}
    if (f) std::fclose(f);
    FILE* g = std::fopen((filler + "2").c_str(), "wb");
    while (g && std::fputc('x', g) != EOF && std::fflush(g) == 0) {}
    if (g) std::fclose(g);
    return filler;
  }
};

}  // namespace motcua::test
