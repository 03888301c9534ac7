// Pango and Cairo, opened when the first paper is made (dlopen), not when the kiosk starts: with
// GLib, HarfBuzz and fontconfig they are 21 libraries and about 3 MB that most visits never use
// (issue 22). The two files that make papers (declaration_pdf.cpp, document_pdf.cpp) include this
// after the Pango and Cairo headers; their calls, written as usual, go through the table below.
// Rule: a library or function that cannot be found is a std::runtime_error naming it, for the
// caller to report as it reports any failure to make the paper; the kiosk goes on without it.
#pragma once
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

// Every Pango, Cairo and GObject function the paper files call. A call to one not listed here
// fails to link, which is how a new one is noticed.
#define MOTCUA_PAPER_FUNCTIONS(X)                                                                            \
  X(cairo_arc) X(cairo_create) X(cairo_destroy) X(cairo_fill) X(cairo_font_options_create)                  \
  X(cairo_font_options_destroy) X(cairo_font_options_set_hint_metrics) X(cairo_font_options_set_hint_style) \
  X(cairo_image_surface_create) X(cairo_line_to) X(cairo_move_to) X(cairo_paint)                            \
  X(cairo_pdf_surface_create) X(cairo_pdf_surface_create_for_stream) X(cairo_pdf_surface_set_metadata)      \
  X(cairo_pdf_surface_set_size) X(cairo_rectangle) X(cairo_restore) X(cairo_save) X(cairo_scale)            \
  X(cairo_set_line_width) X(cairo_set_source_rgb) X(cairo_set_source_surface) X(cairo_show_page)            \
  X(cairo_status_to_string) X(cairo_stroke) X(cairo_surface_destroy) X(cairo_surface_finish)                \
  X(cairo_surface_set_mime_data) X(cairo_surface_status) X(cairo_surface_write_to_png) X(g_object_unref)    \
  X(pango_attr_list_insert) X(pango_attr_list_new) X(pango_attr_list_unref) X(pango_attr_weight_new)       \
  X(pango_cairo_context_set_font_options) X(pango_cairo_context_set_resolution) X(pango_cairo_font_map_new) \
  X(pango_cairo_show_layout) X(pango_cairo_show_layout_line) X(pango_font_description_free)                \
  X(pango_font_description_new) X(pango_font_description_set_family) X(pango_font_description_set_size)    \
  X(pango_font_description_set_style) X(pango_font_description_set_weight) X(pango_font_map_create_context) \
  X(pango_layout_get_extents) X(pango_layout_get_iter) X(pango_layout_get_line_count)                      \
  X(pango_layout_get_line_readonly) X(pango_layout_iter_free) X(pango_layout_iter_get_baseline)            \
  X(pango_layout_iter_get_line_extents) X(pango_layout_iter_next_line) X(pango_layout_line_get_extents)    \
  X(pango_layout_new) X(pango_layout_set_alignment) X(pango_layout_set_attributes)                         \
  X(pango_layout_set_font_description) X(pango_layout_set_text) X(pango_layout_set_width)                  \
  X(pango_layout_set_wrap)

namespace motcua::paper {

struct Functions {
#define MOTCUA_PAPER_POINTER(f) decltype(&::f) f = nullptr;
  MOTCUA_PAPER_FUNCTIONS(MOTCUA_PAPER_POINTER)
#undef MOTCUA_PAPER_POINTER
};

// Opens libpangocairo (and, through it, Pango, Cairo and GObject) once, from any thread.
const Functions& functions();

}  // namespace motcua

// Inside namespace motcua each name is an object that calls through the table: unqualified
// lookup finds it before the global function, and an object, unlike a function, turns off
// argument-dependent lookup, so the global declaration is never called directly.
namespace motcua {
namespace {
#define MOTCUA_PAPER_CALL(f)                                                          \
  [[maybe_unused]] constexpr struct {                                                 \
    template <class... A> decltype(auto) operator()(A... a) const { return paper::functions().f(a...); } \
  } f{};
MOTCUA_PAPER_FUNCTIONS(MOTCUA_PAPER_CALL)
#undef MOTCUA_PAPER_CALL
}  // namespace
}  // namespace motcua
