#include "terminal/core/captured_documents.h"

#include <algorithm>

#include "terminal/core/personal_data.h"

namespace motcua {

CapturedPage::CapturedPage() : jpeg(zeroing_resource()) {}

CapturedDocument& CapturedDocuments::slot(const std::string& id) {
  for (auto& d : docs_)
    if (d.id == id) return d;
  docs_.push_back(CapturedDocument{id, {}, false});
  return docs_.back();
}

const CapturedDocument* CapturedDocuments::find(const std::string& id) const {
  for (auto& d : docs_)
    if (d.id == id) return &d;
  return nullptr;
}

size_t CapturedDocuments::total_bytes() const {
  size_t n = 0;
  for (auto& d : docs_)
    for (auto& p : d.pages) n += p.jpeg.size();
  return n;
}

int CapturedDocuments::page_count() const {
  int n = 0;
  for (auto& d : docs_) n += static_cast<int>(d.pages.size());
  return n;
}

PageRefusal CapturedDocuments::add_page(const forms::Document& doc, CapturedPage page, int replace) {
  if (page.jpeg.empty() || doc.id.empty()) return PageRefusal::UnknownDocument;
  if (page.jpeg.size() > kMaxPageBytes) return PageRefusal::PageTooLarge;
  const CapturedDocument* have = find(doc.id);
  size_t replaced = 0;
  bool retake = have && replace >= 0 && static_cast<size_t>(replace) < have->pages.size();
  if (retake) replaced = have->pages[static_cast<size_t>(replace)].jpeg.size();
  else if (have && doc.max_pages >= 0 && static_cast<int>(have->pages.size()) >= std::max(doc.max_pages, 1))
    return PageRefusal::DocumentFull;
  if (total_bytes() - replaced + page.jpeg.size() > kMaxDossierBytes) return PageRefusal::DossierFull;
  CapturedDocument& d = slot(doc.id);
  d.at_counter = false;
  if (retake) d.pages[static_cast<size_t>(replace)] = std::move(page);
  else d.pages.push_back(std::move(page));
  return PageRefusal::None;
}

void CapturedDocuments::remove_page(const std::string& id, size_t index) {
  for (auto& d : docs_)
    if (d.id == id && index < d.pages.size()) d.pages.erase(d.pages.begin() + static_cast<long>(index));
}

void CapturedDocuments::bring_to_counter(const std::string& id) {
  CapturedDocument& d = slot(id);
  d.pages.clear();
  d.at_counter = true;
}

std::vector<const forms::Document*> CapturedDocuments::missing(const forms::FormPackage& form) const {
  std::vector<const forms::Document*> out;
  for (auto& doc : form.documents) {
    if (!doc.required) continue;
    const CapturedDocument* d = find(doc.id);
    if (!d || (d->pages.empty() && !d->at_counter)) out.push_back(&doc);
  }
  return out;
}

void CapturedDocuments::wipe() {
  docs_.clear();  // each page's buffer is zeroed by the resource it came from
  docs_.shrink_to_fit();
}

}  // namespace motcua
