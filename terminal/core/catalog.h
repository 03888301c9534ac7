// The procedures a citizen can start: form packages grouped by field (hộ tịch, cư trú...).
#pragma once
#include <string>
#include <vector>

#include "forms/package.h"

namespace motcua {

struct Category {
  std::string id;
  forms::LocalText title;
  std::string queue_prefix;  // queue ticket series for this field ("A"); empty: no tickets
  std::string counter;       // counters serving it, printed on the ticket
};

class Catalog {
 public:
  // Loads dir/categories.json and every other dir/*.json as a form package.
  // A broken package is left out and reported in `problems`; the rest still load.
  static Catalog load(const std::string& dir);
  void add(forms::FormPackage form);
  void add_category(Category c) { categories_.push_back(std::move(c)); }

  const std::vector<Category>& categories() const { return categories_; }
  const forms::FormPackage* form(const std::string& id) const;
  const Category* category(const std::string& id) const;
  size_t size() const { return entries_.size(); }

  // Forms in category (empty: all) whose title or code matches query in any language,
  // ignoring diacritics, tone placement and case. Order: category order, then title.
  std::vector<const forms::FormPackage*> find(std::string_view category, std::string_view query) const;

  std::vector<std::string> problems;

 private:
  struct Entry {
    forms::FormPackage form;
    std::string search_key;  // every title's key plus the procedure code
  };
  std::vector<Category> categories_;
  std::vector<Entry> entries_;
};

}  // namespace motcua
