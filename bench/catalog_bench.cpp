// Catalog search at the size of a province's list (2,500 procedures, each with two everyday
// names): the time one keystroke in the search box costs, against the naive baseline of folding
// every title again per search. Then whole phrases typed a letter at a time (any order, missing
// words and typos tolerated), each keystroke against the previous search (one substring over
// the pre-folded keys, which found none of these).
// Then the address picker's search over the 3,321 communes of the places list, same baseline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "forms/admin_units.h"
#include "forms/text.h"
#include "terminal/core/catalog.h"

int main() {
  using namespace motcua;
  const char* verbs[] = {"Đăng ký", "Cấp", "Cấp lại", "Điều chỉnh", "Xác nhận", "Thay đổi", "Gia hạn", "Thu hồi"};
  const char* things[] = {"khai sinh", "kết hôn", "thường trú", "tạm trú", "giấy phép kinh doanh", "hộ kinh doanh",
                          "phiếu lý lịch tư pháp", "quyền sử dụng đất", "giấy phép xây dựng", "chứng chỉ hành nghề"};
  const char* places[] = {"tại Hà Nội", "tại Thành phố Hồ Chí Minh", "tại Đà Nẵng", "cấp xã", "cấp tỉnh", "có yếu tố nước ngoài",
                          "cho người nước ngoài", "lần đầu", "trực tuyến", "theo yêu cầu", "tại Huế", "tại Cần Thơ"};
  Catalog catalog;
  std::vector<std::string> titles;
  int n = 0;
  for (auto* v : verbs)
    for (auto* t : things)
      for (auto* p : places) {
        for (int copy = 0; copy < 3 && n < 2500; ++copy, ++n) {
          forms::FormPackage f;
          f.id = std::string("p").append(std::to_string(n));
          f.procedure_code = "1." + std::to_string(100000 + n);
          f.category = std::string("c").append(std::to_string(n % 12));
          std::string title = std::string(v) + " " + t + " " + p + (copy ? " (" + std::to_string(copy) + ")" : "");
          f.title.by_lang["vi"] = title;
          f.synonyms = {std::string("giấy ") + t + " " + std::to_string(n % 97), std::string("làm ") + t + " cho con"};
          titles.push_back(title);
          catalog.add(std::move(f));
        }
      }
  const char* queries[] = {"h", "ho", "ha noi", "khai sinh", "giay phep kinh doanh", "1.1012", "xyz khong co"};
  auto median_us = [](auto f) {
    std::vector<double> us;
    for (int i = 0; i < 41; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      f();
      us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
  };
  std::printf("catalog search over %zu procedures (median of 41)\n", catalog.size());
  std::printf("  %-24s %8s %14s %22s\n", "query", "matches", "motcua us", "baseline: fold per search");
  for (auto* q : queries) {
    size_t matches = 0;
    double ours = median_us([&] { matches = catalog.find("", q).size(); });
    double naive = median_us([&] {
      std::string needle = text::search_key(q);
      size_t m = 0;
      for (auto& t : titles) m += text::search_matches(text::search_key(t), needle);
      (void)m;
    });
    std::printf("  %-24s %8zu %14.1f %22.1f\n", q, matches, ours, naive);
  }
  // Phrases as people type them, one keystroke at a time: each prefix is one search.
  const char* phrases[] = {"giay khai sinh cho con", "thuong tru ha noi dang ky", "xac nhan ket hon lan dau",
                           "cap lai giay phep kinh doan", "ho kinh doanh tai hue", "phieu ly lich tu phap"};
  std::vector<std::string> keys;
  for (auto& t : titles) keys.push_back(text::search_key(t));
  std::vector<double> per_key, per_key_before;
  size_t keystrokes = 0, found_before = 0, found_now = 0;
  for (auto* phrase : phrases) {
    std::string typed;
    for (const char* p = phrase; *p; ++p) {
      typed += *p;
      ++keystrokes;
      size_t now_n = 0, before_n = 0;
      per_key.push_back(median_us([&] { now_n = catalog.find("", typed).size(); }));
      per_key_before.push_back(median_us([&] {
        std::string needle = text::search_key(typed);
        before_n = 0;
        for (auto& k : keys) before_n += text::search_matches(k, needle);
      }));
    }
    found_now += catalog.find("", phrase).size() > 0;
    found_before += [&] { std::string n = text::search_key(phrase); for (auto& k : keys) if (text::search_matches(k, n)) return 1; return 0; }();
  }
  auto median_of = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  auto max_of = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
  std::printf("typing %zu phrases a letter at a time over %zu procedures: %zu keystrokes (each the median of 41)\n",
              std::size(phrases), catalog.size(), keystrokes);
  std::printf("  motcua (words, order, typos, synonyms): median %.1f us per keystroke, slowest %.1f us; phrases found %zu of %zu\n",
              median_of(per_key), max_of(per_key), found_now, std::size(phrases));
  std::printf("  baseline (one substring, pre-folded):   median %.1f us per keystroke, slowest %.1f us; phrases found %zu of %zu\n",
              median_of(per_key_before), max_of(per_key_before), found_before, std::size(phrases));
  std::printf("  ratio motcua / baseline (medians): %.2f; target under 1000 us per keystroke\n",
              median_of(per_key) / median_of(per_key_before));
  const std::string places_file = std::string(MOTCUA_SOURCE_ROOT) + "/assets/places/vn-2025-07-01.csv";
  forms::AdminUnits units = forms::AdminUnits::load(places_file);
  double load_us = median_us([&] { forms::AdminUnits::load(places_file); });
  std::printf("places file load at kiosk start (NFC + search keys for 3,355 lines): %.2f ms, median of 41\n", load_us / 1000);
  std::printf("address picker search over %zu communes, whole country, first 6 shown (median of 41)\n", units.units().size());
  std::printf("  %-24s %8s %14s %22s\n", "query", "matches", "motcua us", "baseline: fold per search");
  for (const char* q : {"xa", "hoa binh", "lam binh", "tan phong", "xyz"}) {
    size_t matches = 0;
    double ours = median_us([&] { units.search(q, nullptr, 6, &matches); });
    double naive = median_us([&] {
      std::string needle = forms::compact_search_key(q);
      size_t m = 0;
      for (const auto& u : units.units()) m += text::search_matches(forms::compact_search_key(u.name), needle);
      (void)m;
    });
    std::printf("  %-24s %8zu %14.1f %22.1f\n", q, matches, ours, naive);
  }
  return 0;
}
