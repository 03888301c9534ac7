// Card read cost: APDUs and time for DG1+DG13+SOD (with EF.COM) and with DG2, against the
// minimum the chunk size allows (research/chip.md §3): access APDUs + Σ ceil(file / chunk).
// In process against the virtual CCCD (crypto and parsing only), then through pcscd + vpcd when
// they can be started here (a loopback socket per APDU). Prints; asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "devices/card/card_service.h"
#include "devices/card/cccd_reader.h"
#include "tests/card/virtual_cccd.h"
#include "tests/support/files.h"
#include "tests/support/pcscd.h"

using namespace motcua::card;
using namespace motcua::card::testing;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

size_t chunks(size_t bytes, size_t chunk) { return (bytes + chunk - 1) / chunk; }

struct Case {
  const char* name;
  bool pace, photo;
  Faults faults;
  size_t chunk;
};

void run_in_process(const Citizen& citizen, const TestPki& pki, const Bytes& face, int runs) {
  std::printf("%-44s %6s %8s %12s\n", "in process (virtual CCCD)", "APDUs", "minimum", "median ms");
  Faults small;
  small.max_le = 0xA0;
  Faults extended;
  extended.extended_length = true;
  std::vector<Case> cases = {
      {"PACE-AES, DG1+DG13+SOD, 0xDF reads", true, false, {}, 0xDF},
      {"PACE-AES, + DG2, 0xDF reads", true, true, {}, 0xDF},
      {"PACE-AES, + DG2, card takes 0xA0 at most", true, true, small, 0xA0},
      {"PACE-AES, + DG2, extended length", true, true, extended, extended_chunk},
      {"BAC-3DES, DG1+DG13+SOD, 0xDF reads", false, false, {}, 0xDF},
      {"BAC-3DES, + DG2, 0xDF reads", false, true, {}, 0xDF},
  };
  for (const Case& c : cases) {
    CardFiles files = make_card_files(citizen, pki, c.pace, face);
    // Access: PACE = CardAccess + MSE + 4 GA + SELECT; BAC = CardAccess (absent) + SELECT + GET CHALLENGE + EXT AUTH.
    size_t minimum = c.pace ? 7 : 4;
    // The minimum the chunk allows; a card that takes 0xA0 at most costs one refused 0xDF ask on
    // top, after which the reader keeps to 0xA0 for that card.
    for (size_t size : {files.com.size(), files.groups[1].size(), files.groups[13].size(), files.sod.size()})
      minimum += chunks(size, c.chunk);
    if (c.photo) minimum += chunks(files.groups[2].size(), c.chunk);
    std::vector<double> ms;
    int apdus = 0;
    for (int i = 0; i < runs; ++i) {
      VirtualCccd chip(citizen, files, c.faults);
      VirtualChannel channel(chip);
      ReadRequest r;
      r.id_number = citizen.id_number;
      r.photo = c.photo;
      if (!c.pace) {
        r.date_of_birth = citizen.date_of_birth;
        r.date_of_expiry = citizen.date_of_expiry;
      }
      auto t0 = std::chrono::steady_clock::now();
      CardRead read = read_cccd(channel, r);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      apdus = read.apdus;
    }
    std::printf("%-44s %6d %8zu %12.2f\n", c.name, apdus, minimum, median(ms));
  }
  CardFiles files = make_card_files(citizen, pki, true, face);
  std::printf("(file sizes: COM %zu, DG1 %zu, DG13 %zu, SOD %zu, DG2 %zu bytes)\n", files.com.size(),
              files.groups[1].size(), files.groups[13].size(), files.sod.size(), files.groups[2].size());
}

void run_through_pcscd(int runs) {
  std::printf("\n%-44s %6s %12s %12s\n", "through pcscd + vpcd (loopback)", "APDUs", "median s", "ms / APDU");
  try {
    motcua::test::Pcscd pcscd(35963);
    for (bool photo : {false, true}) {
      motcua::test::VirtualCardProcess card(35963);
      if (!motcua::test::wait_for_card(pcscd.reader(), true)) throw std::runtime_error("the virtual card did not arrive");
      std::vector<double> s;
      int apdus = 0;
      for (int i = 0; i < runs; ++i) {
        ReadRequest r;
        r.id_number = "001099012345";
        r.photo = photo;
        auto t0 = std::chrono::steady_clock::now();
        CardRead read = read_with_deadline(pcscd.reader(), r, std::chrono::seconds(5));
        s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        apdus = read.apdus;
      }
      double med = median(s);
      std::printf("%-44s %6d %12.2f %12.1f\n", photo ? "PACE, + DG2 (11.6 KB), 0xDF reads" : "PACE, DG1+DG13+SOD, 0xDF reads",
                  apdus, med, med * 1000 / apdus);
      card.stop();
      motcua::test::wait_for_card(pcscd.reader(), false);
    }
  } catch (const std::exception& e) {
    std::printf("(skipped: %s)\n", e.what());
  }
}
}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
  Citizen citizen;
  TestPki pki = TestPki::generate();
  Bytes face = synthetic_face_jpeg(320, 420);  // about the 15–20 KB of a real CCCD photo
  std::printf("Card read (median of %d)\n", runs);
  run_in_process(citizen, pki, face, runs);
  run_through_pcscd(std::max(1, runs / 7));
  std::printf("\nOn a real chip at 20–50 ms per secure-messaging READ BINARY (chip.md §3.3) the APDU counts above\n"
              "are the time: multiply by 20–50 ms.\n");
}
