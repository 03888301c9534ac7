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

namespace {

std::vector<std::string_view> split_words(std::string_view key) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < key.size()) {
    while (i < key.size() && (key[i] == ' ' || key[i] == '\n')) ++i;
    size_t start = i;
    while (i < key.size() && key[i] != ' ' && key[i] != '\n') ++i;
    if (i > start) out.push_back(key.substr(start, i - start));
  }
  return out;
}

// At most one edit between a and b: a letter changed, added, dropped, or two neighbours swapped.
bool one_typo(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one letter more at the end
  if (a.size() == b.size())
    return a.substr(i + 1) == b.substr(i + 1) ||
           (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2));
  return a.substr(i) == b.substr(i + 1);
}

// How well a query word fits a catalog word: 3 the same word, 2 its beginning, 1 one typo away
// from it (or from its beginning), 0 no match. Only the word still being typed (typing: the
// last, with no space after it) may be a beginning: "ha noi" is not "cửa hàng". Keys are
// toneless ASCII for Vietnamese, so a byte is a letter; short words get no typo: "cho", "con"
// and "co" are one letter apart and would all match each other. Nor does a word the catalog
// has, or one with digits (exact): "khai" is meant as typed, not as "khẩu" one letter away.
int fit(std::string_view query_word, std::string_view word, bool typing, bool exact) {
  if (query_word == word) return 3;
  if (typing && word.size() > query_word.size() && word.compare(0, query_word.size(), query_word) == 0) return 2;
  if (query_word.size() < 4 || exact) return 0;
  if (one_typo(query_word, word)) return 1;
  if (!typing) return 0;
  // The word still being typed, with a typo in what is there so far ("thuogn" for "thuong tru").
  for (size_t n : {query_word.size() - 1, query_word.size(), query_word.size() + 1})
    if (n < word.size() && one_typo(query_word, word.substr(0, n))) return 1;
  return 0;
}

}  // namespace

void Catalog::add(forms::FormPackage form) {
  Entry e{std::move(form), {}, {}};
  for (auto& [_, title] : e.form.title.by_lang) e.search_key += text::search_key(title) + "\n";
  for (auto& name : e.form.synonyms) e.search_key += text::search_key(name) + "\n";
  e.search_key += text::search_key(e.form.procedure_code);
  for (std::string_view w : split_words(e.search_key)) {
    auto [it, fresh] = word_index_.emplace(std::string(w), static_cast<uint32_t>(words_.size()));
    if (fresh) words_.emplace_back(w);
    if (std::find(e.words.begin(), e.words.end(), it->second) == e.words.end()) e.words.push_back(it->second);
  }
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
  std::vector<std::string_view> asked = split_words(needle);
  if (asked.size() > 16) asked.resize(16);  // a pasted paragraph costs no more than a sentence
  // fits[q * words + w]: how well query word q fits catalog word w, computed once per keystroke.
  const size_t nw = words_.size();
  std::vector<uint8_t> fits(asked.size() * nw);
  bool trailing_space = !query.empty() && (query.back() == ' ' || query.back() == '\n');
  for (size_t q = 0; q < asked.size(); ++q) {
    bool typing = q + 1 == asked.size() && !trailing_space;
    // A procedure code is typed exactly: "1.1012" one digit off is another procedure.
    bool exact = word_index_.count(std::string(asked[q])) > 0 ||
                 asked[q].find_first_of("0123456789") != std::string_view::npos;
    for (size_t w = 0; w < nw; ++w) fits[q * nw + w] = static_cast<uint8_t>(fit(asked[q], words_[w], typing, exact));
  }
  size_t needed = (asked.size() + 1) / 2;

  struct Hit {
    const Entry* entry;
    const std::string* title;  // vi title: the last tie-breaker, looked up once per hit
    int matched, quality, phrase;
    size_t category;
  };
  static const std::string vi = "vi";
  std::unordered_map<std::string_view, size_t> rank;
  for (size_t i = 0; i < categories_.size(); ++i) rank.emplace(categories_[i].id, i);
  std::vector<Hit> hits;
  hits.reserve(entries_.size());
  for (auto& e : entries_) {
    if (!category.empty() && e.form.category != category) continue;
    int matched = 0, quality = 0;
    for (size_t q = 0; q < asked.size(); ++q) {
      const uint8_t* row = fits.data() + q * nw;
      int best = 0;
      for (uint32_t w : e.words) best = std::max(best, static_cast<int>(row[w]));
      matched += best > 0;
      quality += best;
    }
    if (!asked.empty() && matched == 0) continue;
    int phrase = asked.size() > 1 && text::search_matches(e.search_key, needle);
    auto r = rank.find(e.form.category);
    hits.push_back({&e, &e.form.title.in(vi), matched, quality, phrase, r == rank.end() ? categories_.size() : r->second});
  }
  // Half the words, or as many as the best procedure has when none has half: a long sentence
  // with few catalog words still shows its closest procedures rather than nothing.
  int best = 0;
  for (auto& h : hits) best = std::max(best, h.matched);
  int least = std::min(static_cast<int>(needed), best);
  hits.erase(std::remove_if(hits.begin(), hits.end(), [&](const Hit& h) { return h.matched < least; }), hits.end());
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.matched != b.matched) return a.matched > b.matched;
    if (a.quality != b.quality) return a.quality > b.quality;
    if (a.phrase != b.phrase) return a.phrase > b.phrase;
    if (a.category != b.category) return a.category < b.category;
    int c = a.title->compare(*b.title);
    return c != 0 ? c < 0 : a.entry->form.id < b.entry->form.id;
  });
  std::vector<const forms::FormPackage*> out;
  out.reserve(hits.size());
  for (auto& h : hits) out.push_back(&h.entry->form);
  return out;
}

}  // namespace motcua
