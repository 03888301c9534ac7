// One PDF per scanned document (Cairo): each page a PDF page of its physical size (pixels at the
// resolution it was scanned at), its JPEG embedded as it is (CAIRO_MIME_TYPE_JPEG: no re-encoding,
// no second loss). The PDF is built in memory that zeroes itself when freed, never in a file.
#pragma once
#include <memory_resource>
#include <string>

#include "terminal/core/captured_documents.h"

namespace motcua {

// Throws std::runtime_error when Cairo fails or the document has no page.
std::pmr::string document_pdf(const CapturedDocument& doc);

}  // namespace motcua
