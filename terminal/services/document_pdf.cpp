#include "terminal/services/document_pdf.h"

#include <stdexcept>

#include "terminal/core/personal_data.h"
#include "terminal/services/paper_libraries.h"

namespace motcua {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::pmr::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::pmr::string document_pdf(const CapturedDocument& doc) {
  if (doc.pages.empty()) throw std::runtime_error("document " + doc.id + ": no page to put in a PDF");
  std::pmr::string out(zeroing_resource());
  auto points = [](int pixels, int dpi) { return pixels * 72.0 / (dpi > 0 ? dpi : 200); };
  const CapturedPage& first = doc.pages.front();
  cairo_surface_t* pdf = cairo_pdf_surface_create_for_stream(append, &out, points(first.width, first.dpi),
                                                             points(first.height, first.dpi));
  cairo_t* cr = cairo_create(pdf);
  for (const CapturedPage& page : doc.pages) {
    cairo_pdf_surface_set_size(pdf, points(page.width, page.dpi), points(page.height, page.dpi));
    // The pixels Cairo would fall back to are blank: the PDF takes the JPEG itself, and no decoded
    // copy of the citizen's page is made for it.
    cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, page.width, page.height);
    cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, page.jpeg.data(), page.jpeg.size(), nullptr, nullptr);
    cairo_save(cr);
    double scale = 72.0 / (page.dpi > 0 ? page.dpi : 200);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_show_page(cr);
    cairo_surface_destroy(img);
  }
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  cairo_status_t status = cairo_surface_status(pdf);
  cairo_surface_destroy(pdf);
  if (status != CAIRO_STATUS_SUCCESS) {
    secure_zero(out.data(), out.capacity());
    throw std::runtime_error(std::string("document PDF: ") + cairo_status_to_string(status));
  }
  return out;
}

}  // namespace motcua
