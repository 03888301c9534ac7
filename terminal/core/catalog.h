// The procedures a citizen can start: form packages grouped by field (hộ tịch, cư trú...).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
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

  // Forms in category (empty: all) for what a citizen typed, in any language, ignoring
  // diacritics, tone placement, case and word order. A query word matches a word of the title,
  // the procedure code or meta.synonyms that it equals, begins (the word still being typed only),
  // or (four letters or more, not itself a catalog word) is one typo away from (a letter wrong, missing, extra or two
  // swapped). At least half the query's
  // words must match (or, when no procedure has half, as many as the best has); more matched words rank first, then better matches, then the query as one
  // phrase, then category order and title. An empty query: every form, category order then title.
  std::vector<const forms::FormPackage*> find(std::string_view category, std::string_view query) const;

  std::vector<std::string> problems;

 private:
  struct Entry {
    forms::FormPackage form;
    std::string search_key;       // every title's and synonym's key plus the procedure code
    std::vector<uint32_t> words;  // distinct words of search_key, as indexes into words_
  };
  std::vector<Category> categories_;
  std::vector<Entry> entries_;
  // Every distinct word of every entry, so that a query word is compared with each word once
  // per keystroke, not once per procedure that has it.
  std::vector<std::string> words_;
  std::unordered_map<std::string, uint32_t> word_index_;
};

}  // namespace motcua
