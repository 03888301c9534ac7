// Receipt printing cost: time to lay out and rasterise a receipt, and bytes sent per receipt,
// for raster-only and native-QR profiles (the named baseline: raster everything).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <vector>

#include "devices/printer/documents.h"
#include "devices/printer/layout.h"
#include "terminal/core/locale.h"

int main() {
  using namespace motcua;
  const std::string root = MOTCUA_SOURCE_ROOT;
  nlohmann::json dossier = nlohmann::json::parse(R"({"centerName": "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
    "kioskId": "HN-HK-02", "procedureName": "Đăng ký khai sinh", "dossierCode": "HK-20261121-0042",
    "receivedAt": "2026-11-21T09:30:00+07:00", "appointmentAt": "2026-11-24T14:00:00+07:00",
    "resultDelivery": "Nhận trực tiếp tại quầy số 3", "idNumber": "001190012345", "fee": 50000, "feePaid": false,
    "hotline": "1900 1234", "payment": {"bankBin": "970436", "account": "0011004123456"}})");
  Strings strings = Strings::load(root + "/locales", {"vi"});
  std::ifstream in(root + "/assets/print/receipt.json");
  nlohmann::json layout = nlohmann::json::parse(in);
  printer::TextRenderer renderer;
  auto texts = [&](const std::string& k) { return strings.get("vi", k); };
  std::printf("receipt (vi, fee unpaid with VietQR), median of 25\n");
  std::printf("  %-36s %10s %10s %12s\n", "profile", "layout ms", "bytes", "paper dots");
  for (const char* name : {"80mm-raster", "80mm", "58mm"}) {
    const printer::Profile& profile = *printer::find_profile(name);
    std::vector<double> ms;
    std::vector<uint8_t> job;
    int height = 0;
    for (int i = 0; i < 25; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto parts = printer::lay_out(layout, printer::receipt_fields(dossier, "vi"), texts, profile, renderer);
      job = printer::escpos_job(parts, profile);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      height = printer::picture(parts, profile.width_dots).height;
    }
    std::sort(ms.begin(), ms.end());
    std::string label = std::string(name) + (std::string(name) == "80mm-raster" ? " (baseline: all raster)" : "");
    std::printf("  %-36s %10.2f %10zu %8dx%d\n", label.c_str(), ms[ms.size() / 2], job.size(), profile.width_dots, height);
  }
  // Wrapping a word wider than the paper: linear means 10x the text costs about 10x the time
  // (the named baseline is the 100-character word; quadratic re-measuring would cost 100x).
  std::printf("\nwrapping one unbroken word at 24 px into 560 dots, median of 15\n");
  std::printf("  %-36s %10s %10s\n", "word", "ms", "x baseline");
  double base = 0;
  for (int n : {100, 1000, 10000}) {
    std::string word(static_cast<size_t>(n), 'W');
    std::vector<double> ms;
    for (int i = 0; i < 15; ++i) {
      printer::TextRenderer fresh;  // cold glyph cache each time, as in a new print job
      auto t0 = std::chrono::steady_clock::now();
      auto lines = fresh.wrap(word, 24, printer::Weight::Regular, 560);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    double median = ms[ms.size() / 2];
    if (n == 100) base = median;
    std::string label = std::to_string(n) + " characters" + (n == 100 ? " (baseline)" : "");
    std::printf("  %-36s %10.3f %10.1f\n", label.c_str(), median, median / base);
  }
  return 0;
}
