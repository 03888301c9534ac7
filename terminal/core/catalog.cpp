#include "terminal/core/catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "forms/json_input.h"
#include "forms/text.h"

namespace motcua {

Catalog Catalog::load(const std::string& dir) {
  namespace fs = std::filesystem;
  Catalog c;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    c.problems.push_back(dir + ": forms folder not found");
    return c;
  }
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& path : files) {
    try {
      if (path.filename() == "categories.json") {
        auto doc = forms::read_json(path.string());
        for (auto& cat : doc.at("categories")) {
          Category k;
          k.id = cat.at("id").get<std::string>();
          for (auto& [lang, s] : cat.at("title").items()) k.title.by_lang[lang] = text::nfc(s.get<std::string>());
          k.queue_prefix = cat.value("queuePrefix", "");
          k.counter = cat.value("counter", "");
          c.categories_.push_back(std::move(k));
        }
      } else {
        c.add(forms::load_package(path.string()));
      }
    } catch (const std::exception& e) {
      c.problems.push_back(path.string() + ": " + e.what());
    }
  }
  return c;
}

void Catalog::add(forms::FormPackage form) {
  Entry e{std::move(form), {}};
  for (auto& [_, title] : e.form.title.by_lang) e.search_key += text::search_key(title) + "\n";
  e.search_key += text::search_key(e.form.procedure_code);
  entries_.push_back(std::move(e));
}

const Category* Catalog::category(const std::string& id) const {
  for (auto& c : categories_)
    if (c.id == id) return &c;
  return nullptr;
}

const forms::FormPackage* Catalog::form(const std::string& id) const {
  for (auto& e : entries_)
    if (e.form.id == id) return &e.form;
  return nullptr;
}

std::vector<const forms::FormPackage*> Catalog::find(std::string_view category, std::string_view query) const {
  std::string needle = text::search_key(query);
  auto rank = [&](const std::string& cat) {
    for (size_t i = 0; i < categories_.size(); ++i)
      if (categories_[i].id == cat) return i;
    return categories_.size();
  };
  std::vector<const forms::FormPackage*> out;
  for (auto& e : entries_)
    if ((category.empty() || e.form.category == category) && text::search_matches(e.search_key, needle))
      out.push_back(&e.form);
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) {
    auto ra = rank(a->category), rb = rank(b->category);
    return ra != rb ? ra < rb : a->title.in("vi") < b->title.in("vi");
  });
  return out;
}

}  // namespace motcua
