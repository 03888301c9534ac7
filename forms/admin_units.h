// Vietnam's administrative units (provinces and their communes, wards and special zones) as a
// versioned data file (assets/places/), for the address picker. No UI.
// Rule: the kiosk only ever stores a unit that is in this list, with its official 5-digit code.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::forms {

struct AdminUnit {
  std::string code, name;  // "02266", "Xã Lâm Bình"
  std::string key;         // search key: no diacritics, tones, spaces or hyphens ("xalambinh")
  size_t province = 0;     // index into AdminUnits::provinces()
};

struct Province {
  std::string code, name, key;
  std::vector<size_t> units;  // indexes into AdminUnits::units(), in the official list's order
};

// Unusable file: what() names the file and line.
struct AdminUnitsError : std::runtime_error { using std::runtime_error::runtime_error; };

class AdminUnits {
 public:
  // "version,<date>", then lines "code,name": 2-digit codes start a province, 5-digit codes are
  // its units; '#' lines are comments. Throws AdminUnitsError.
  static AdminUnits load(const std::string& path);
  static AdminUnits parse(std::string_view text, const std::string& origin);

  const std::string& version() const { return version_; }
  const std::vector<Province>& provinces() const { return provinces_; }
  const std::vector<AdminUnit>& units() const { return units_; }
  const AdminUnit* unit(std::string_view code) const;            // by 5-digit code
  const Province* province_named(std::string_view name) const;   // exact name, after NFC

  // Units whose name matches `query` (the same folding as the key), in list order; only in
  // `province` unless it is null. At most `limit` returned; `total` gets the number matching.
  std::vector<const AdminUnit*> search(std::string_view query, const Province* province, size_t limit,
                                       size_t* total = nullptr) const;
  std::vector<const Province*> search_provinces(std::string_view query) const;

 private:
  std::string version_;
  std::vector<Province> provinces_;
  std::vector<AdminUnit> units_;
};

// The search folding the picker uses: text::search_key without spaces and hyphens, so "ede"
// finds "Ê Đê" and "lam binh" finds "Lâm Bình".
std::string compact_search_key(std::string_view utf8);

}  // namespace motcua::forms
