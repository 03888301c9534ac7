// The component papers a citizen scanned during a session (meta.documents), page by page.
// Rule (personal data): a page's JPEG bytes live only in buffers that zero themselves when freed,
// and wipe() at session end frees them all; nothing here is ever written to a plain file.
// Rule (limits, docs/documents.md): a page is at most kMaxPageBytes as JPEG, a document at most
// its package's maxPages, all documents of a dossier together at most kMaxDossierBytes; what
// would go past a limit is refused whole with the reason, and what was kept stays.
#pragma once
#include <cstddef>
#include <memory_resource>
#include <string>
#include <vector>

#include "forms/package.h"

namespace motcua {

constexpr size_t kMaxPageBytes = 2u * 1024 * 1024;
constexpr size_t kMaxDossierBytes = 6u * 1024 * 1024;

struct CapturedPage {
  std::pmr::vector<unsigned char> jpeg;
  int width = 0, height = 0, dpi = 0;  // pixels, and the resolution they were scanned at
  CapturedPage();
};

struct CapturedDocument {
  std::string id;
  std::vector<CapturedPage> pages;
  bool at_counter = false;  // the citizen skipped it: the paper is brought to the counter
};

enum class PageRefusal { None, PageTooLarge, DocumentFull, DossierFull, UnknownDocument };

class CapturedDocuments {
 public:
  ~CapturedDocuments() { wipe(); }

  // Appends a page to the document (or replaces page `replace`, for a retake); None when kept.
  PageRefusal add_page(const forms::Document& doc, CapturedPage page, int replace = -1);
  void remove_page(const std::string& id, size_t index);
  // "Skip: bring the paper to the counter"; drops any pages scanned for it.
  void bring_to_counter(const std::string& id);

  const CapturedDocument* find(const std::string& id) const;
  const std::vector<CapturedDocument>& all() const { return docs_; }
  size_t total_bytes() const;
  int page_count() const;
  bool empty() const { return docs_.empty(); }
  // Required documents of the package with neither a page nor a promise to bring the paper.
  std::vector<const forms::Document*> missing(const forms::FormPackage& form) const;

  void wipe();

 private:
  CapturedDocument& slot(const std::string& id);
  std::vector<CapturedDocument> docs_;
};

}  // namespace motcua
