#include "terminal/services/declaration_pdf.h"

#include <qrencode.h>

#include <cmath>
#include <map>
#include <memory>

#include "forms/display.h"
#include "devices/printer/print_libraries.h"
#include "forms/text.h"
#include "terminal/core/answer_lines.h"
#include "terminal/services/paper_libraries.h"

namespace motcua {
namespace {

using nlohmann::json;

// Points; A4 with the margins of administrative papers (Nghị định 30/2020: left 30-35 mm, right
// 15-20 mm), a little narrower on the left so long answers fit on one line more often.
constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 210 * kMm, kPageH = 297 * kMm;
constexpr double kLeft = 25 * kMm, kRight = kPageW - 18 * kMm, kTop = 15 * kMm, kBottom = kPageH - 20 * kMm;
constexpr double kQrX = 10 * kMm, kQrY = 8 * kMm, kQrSize = 20 * kMm;
constexpr double kContinuedSize = 11;  // points: the heading of a later page
constexpr double kBody = 13;  // pt, as typed declarations are

struct GFree {
  void operator()(void* p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GFree>;

// One paragraph of the page: a Pango layout at x, and where its lines went.
struct Block {
  LayoutPtr layout;
  double x = kLeft, space_before = 0;
  bool dots = false;            // dotted leader from the end of the last line to the right margin
  bool keep_with_next = false;  // never the last thing on a page (headings, the signature block)
  bool rule_under = false;      // a short line under the last line (the motto)
};

struct PlacedLine {
  int page;
  size_t block, line;
  double baseline;
};

class Writer {
 public:
  Writer(const Declaration& d, const Strings& strings) : d_(d), strings_(strings) {
    fonts_ = pango_cairo_font_map_new();
    context_ = pango_font_map_create_context(fonts_);
    pango_cairo_context_set_resolution(context_, 72);  // Pango units are points, whatever the surface
    cairo_font_options_t* o = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);  // the same line breaks on PDF and PNG
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, o);
    cairo_font_options_destroy(o);
    build();
    paginate();
  }
  ~Writer() {
    blocks_.clear();
    g_object_unref(context_);
    g_object_unref(fonts_);
  }

  int pages() const { return pages_; }

  void draw_page(cairo_t* cr, int page) const {
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (auto& p : placed_) {
      if (p.page != page) continue;
      const Block& b = blocks_[p.block];
      PangoLayoutLine* line = pango_layout_get_line_readonly(b.layout.get(), static_cast<int>(p.line));
      PangoRectangle logical;
      pango_layout_line_get_extents(line, nullptr, &logical);
      double x = b.x + line_x(b, p.line);
      cairo_move_to(cr, x, p.baseline);
      pango_cairo_show_layout_line(cr, line);
      bool last = p.line + 1 == static_cast<size_t>(pango_layout_get_line_count(b.layout.get()));
      double end = x + (logical.x + logical.width) / double(PANGO_SCALE);
      if (last && b.dots)
        for (double dx = end + 3; dx < kRight - 1; dx += 3) {
          cairo_arc(cr, dx, p.baseline, 0.45, 0, 2 * G_PI);
          cairo_fill(cr);
        }
      if (last && b.rule_under) {
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, x + logical.x / double(PANGO_SCALE), p.baseline + 4);
        cairo_line_to(cr, end, p.baseline + 4);
        cairo_stroke(cr);
      }
    }
    if (page > 0) {  // a loose sheet still says what it continues
      LayoutPtr h = text_layout(continued(page), kContinuedSize, true, false, kRight - kLeft, PANGO_ALIGN_CENTER);
      cairo_move_to(cr, kLeft, page_top());
      pango_cairo_show_layout(cr, h.get());
    }
    if (!d_.code.empty()) draw_qr(cr);
    if (pages_ > 1) {
      LayoutPtr n = text_layout(strings_.format(d_.lang, "declaration.page", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages_)}}),
                                9, false, false, kRight - kLeft, PANGO_ALIGN_CENTER);
      cairo_move_to(cr, kLeft, kPageH - 12 * kMm);
      pango_cairo_show_layout(cr, n.get());
    }
  }

 private:
  LayoutPtr text_layout(const std::string& text, double size, bool bold, bool italic, double width, PangoAlignment align) const {
    LayoutPtr l(pango_layout_new(context_));
    PangoFontDescription* f = pango_font_description_new();
    pango_font_description_set_family(f, "Noto Serif");
    pango_font_description_set_size(f, static_cast<int>(size * PANGO_SCALE));
    if (bold) pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    if (italic) pango_font_description_set_style(f, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l.get(), f);
    pango_font_description_free(f);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_text(l.get(), text.c_str(), -1);
    return l;
  }

  Block& add(const std::string& text, double size, bool bold, bool italic = false, PangoAlignment align = PANGO_ALIGN_LEFT,
             double x = kLeft, double width = kRight - kLeft) {
    Block b;
    b.layout = text_layout(text, size, bold, italic, width, align);
    b.x = x;
    blocks_.push_back(std::move(b));
    return blocks_.back();
  }

  // "Label: value" with a dotted leader; the value in bold so that it reads as the answer.
  void field_line(const std::string& label, const std::string& answer, double indent) {
    std::string value = text::nfc(answer);  // data from a file may come decomposed
    std::string text = label + ": " + value;
    Block& b = add(text, kBody, false, false, PANGO_ALIGN_LEFT, kLeft + indent, kRight - kLeft - indent - 8);
    PangoAttrList* attrs = pango_attr_list_new();
    PangoAttribute* a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    a->start_index = static_cast<guint>(label.size() + 2);
    a->end_index = static_cast<guint>(text.size());
    pango_attr_list_insert(attrs, a);
    pango_layout_set_attributes(b.layout.get(), attrs);
    pango_attr_list_unref(attrs);
    b.dots = true;
    b.space_before = 4;
  }

  double line_x(const Block& b, size_t i) const {
    PangoLayoutIter* it = pango_layout_get_iter(b.layout.get());
    for (size_t n = 0; n < i; ++n) pango_layout_iter_next_line(it);
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    pango_layout_iter_free(it);
    PangoRectangle line_logical;
    pango_layout_line_get_extents(pango_layout_get_line_readonly(b.layout.get(), static_cast<int>(i)), nullptr, &line_logical);
    return (logical.x - line_logical.x) / double(PANGO_SCALE);  // alignment offset within the block
  }

  const json* value_at(const std::string& scope) const {
    try {
      json::json_pointer p(scope);
      return d_.data.contains(p) ? &d_.data.at(p) : nullptr;
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  // A value as papers write it: option labels, dates dd/mm/yyyy, an address on one line, money
  // grouped. Empty when there is nothing to print.
  std::string value_text(const forms::Element* c, const std::string& scope) const {
    const json* v = value_at(scope);
    if (!v || v->is_null()) return "";
    const std::string& lang = d_.lang;
    if (v->is_object()) {  // an address
      std::string out;
      for (const char* part : {"street", "commune", "province"})
        if (v->contains(part) && (*v)[part].is_string() && !(*v)[part].get<std::string>().empty())
          out += (out.empty() ? "" : ", ") + (*v)[part].get<std::string>();
      return out;
    }
    auto label_of = [&](const json& x) {
      if (c)
        for (auto& o : forms::choices(*d_.form, *c, scope))
          if (o.value == x) return o.label.in(lang);
      return x.is_string() ? x.get<std::string>() : x.dump();
    };
    if (v->is_array()) {
      std::string out;
      for (auto& x : *v)
        if (!x.is_object()) out += (out.empty() ? "" : "; ") + label_of(x);
      return out;
    }
    if (v->is_boolean()) return *v ? strings_.get(lang, "declaration.yes") : strings_.get(lang, "declaration.no");
    if (v->is_number()) {
      // A whole number reads as the citizen typed it: the kiosk's model keeps numbers as doubles
      // ("0" becomes 0.0), and "0.0 bản" is not what the screen showed.
      std::string n = v->dump();
      if (v->is_number_float()) {
        double d = v->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) n = std::to_string(static_cast<long long>(d));
      }
      return c ? forms::display_value(*d_.form, *c, scope, n, lang) : n;
    }
    std::string s = v->get<std::string>();
    if (c && c->widget == "date" && s.size() == 10 && s[4] == '-' && s[7] == '-')
      return s.substr(8, 2) + "/" + s.substr(5, 2) + "/" + s.substr(0, 4);
    return label_of(*v);
  }

  void build() {
    const forms::FormPackage& form = *d_.form;
    const std::string& lang = d_.lang;
    forms::PrintLayout l = forms::print_layout(form);
    continued_title_ = !l.title.empty() && !l.title[0].in(lang).empty() ? l.title[0].in(lang) : form.title.in(lang);
    for (size_t i = 0; i < l.header.size(); ++i) {
      Block& b = add(l.header[i].in(lang), kBody, true, false, PANGO_ALIGN_CENTER);
      b.rule_under = i + 1 == l.header.size();
      b.keep_with_next = true;
    }
    for (size_t i = 0; i < l.title.size(); ++i) {
      Block& b = add(l.title[i].in(lang), i == 0 ? 15 : kBody, true, false, PANGO_ALIGN_CENTER);
      b.space_before = i == 0 ? 12 * kMm : 1;
      b.keep_with_next = true;
    }
    std::string recipient = l.recipient.in(lang);
    if (recipient.empty() && !form.print && !form.agency.empty())
      recipient = strings_.format(lang, "declaration.recipient", {{"agency", form.agency.in(lang)}});
    if (!recipient.empty()) add(recipient, kBody, false, false, PANGO_ALIGN_CENTER).space_before = 4 * kMm;

    std::map<std::string, const forms::Element*> by_scope;  // controls and repeats outside repeats
    for (auto& step : form.steps) {
      forms::for_each_control(step.elements, [&](const forms::Element& c) { by_scope.emplace(c.scope, &c); });
      forms::for_each_repeat(step.elements, [&](const forms::Element& r) { by_scope.emplace(r.scope, &r); });
    }
    for (auto& sec : l.sections) {
      size_t first = blocks_.size();
      if (!sec.heading.empty()) {
        Block& h = add(sec.heading.in(lang), kBody, true);
        h.space_before = 4 * kMm;
        h.keep_with_next = true;
      }
      size_t before = blocks_.size();
      bool blanks = l.fill_blanks && !sec.answered_only;
      for (auto& f : sec.fields) {
        auto it = by_scope.find(f.scope);
        const forms::Element* e = it == by_scope.end() ? nullptr : it->second;
        std::string label = !f.label.empty() ? f.label.in(lang) : e ? e->label.in(lang) : f.scope;
        if (e && e->kind == forms::Element::Kind::Repeat) {
          add_repeat(*e, label, blanks);
          continue;
        }
        std::string value = value_text(e, f.scope);
        if (!value.empty() || blanks) field_line(label, value, 0);
      }
      if (blocks_.size() == before) blocks_.resize(first);  // nothing answered: no heading either
      else if (sec.heading.empty()) blocks_[before].space_before = 3 * kMm;
    }

    std::string pledge = l.pledge.empty() ? strings_.get(lang, "declaration.pledge") : l.pledge.in(lang);
    add(pledge, kBody, false, true, PANGO_ALIGN_LEFT).space_before = 5 * kMm;
    // The signature block, in the right half, kept whole on one page.
    double col = (kLeft + kRight) / 2 - 5 * kMm, colw = kRight - col;
    std::string date = d_.date.size() == 10 ? strings_.format(lang, "declaration.date",
        {{"day", d_.date.substr(8, 2)}, {"month", d_.date.substr(5, 2)}, {"year", d_.date.substr(0, 4)}}) : "";
    if (!date.empty()) {
      Block& b = add(date, kBody, false, true, PANGO_ALIGN_CENTER, col, colw);
      b.space_before = 5 * kMm;
      b.keep_with_next = true;
    }
    Block& t = add(l.signer.empty() ? strings_.get(lang, "declaration.signer") : l.signer.in(lang), kBody, true, false,
                   PANGO_ALIGN_CENTER, col, colw);
    t.space_before = date.empty() ? 5 * kMm : 1;
    t.keep_with_next = true;
    Block& n = add(l.signer_note.empty() ? strings_.get(lang, "declaration.signer_note") : l.signer_note.in(lang), kBody - 1,
                   false, true, PANGO_ALIGN_CENTER, col, colw);
    std::string name = l.signer_name.empty() ? "" : text::nfc(value_text(nullptr, l.signer_name));
    if (!name.empty()) {
      n.keep_with_next = true;
      add(name, kBody, true, false, PANGO_ALIGN_CENTER, col, colw).space_before = 24 * kMm;
    }
  }

  void add_repeat(const forms::Element& r, const std::string& label, bool fill_blanks) {
    const json* items = value_at(r.scope);
    size_t n = items && items->is_array() ? items->size() : 0;
    if (n == 0) {
      if (fill_blanks) field_line(label, "", 0);
      return;
    }
    Block& h = add(label + ":", kBody, false);
    h.space_before = 2;
    h.keep_with_next = true;
    for (size_t i = 0; i < n; ++i) {
      std::string item = r.scope + "/" + std::to_string(i);
      Block& ih = add(repeat_word(strings_, d_.lang, r, RepeatWord::Item, static_cast<int>(i + 1)), kBody, false, true,
                      PANGO_ALIGN_LEFT, kLeft + 6 * kMm, kRight - kLeft - 6 * kMm);
      ih.space_before = 2;
      ih.keep_with_next = true;
      forms::for_each_control(r.elements, [&](const forms::Element& c) {
        if (c.widget == "signature") return;
        std::string value = value_text(&c, item + c.scope);
        if (!value.empty() || fill_blanks) field_line(c.label.in(d_.lang), value, 12 * kMm);
      });
    }
  }

  // Lines go down the page; a line that does not fit starts the next page, so none is ever cut.
  // A run of keep-with-next blocks moves whole with the block after it when it would be split.
  void paginate() {
    auto line_metrics = [](const Block& b, size_t i, double& height, double& baseline) {
      PangoLayoutIter* it = pango_layout_get_iter(b.layout.get());
      for (size_t n = 0; n < i; ++n) pango_layout_iter_next_line(it);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      height = logical.height / double(PANGO_SCALE);
      baseline = (pango_layout_iter_get_baseline(it) - logical.y) / double(PANGO_SCALE);
      pango_layout_iter_free(it);
    };
    auto block_height = [&](size_t k) {
      double h = blocks_[k].space_before, lh, bl;
      for (int i = 0; i < pango_layout_get_line_count(blocks_[k].layout.get()); ++i) {
        line_metrics(blocks_[k], i, lh, bl);
        h += lh;
      }
      return h;
    };
    int page = 0;
    double top = kTop, y = top;
    // Later pages begin below the QR, with the continuation heading ("... (tiếp theo), trang 2") above the lines.
    PangoRectangle heading;
    pango_layout_get_extents(text_layout(continued(98), kContinuedSize, true, false, kRight - kLeft, PANGO_ALIGN_CENTER).get(),
                             nullptr, &heading);
    auto new_page = [&] {
      ++page;
      y = top = page_top() + heading.height / double(PANGO_SCALE) + 4 * kMm;
    };
    for (size_t k = 0; k < blocks_.size(); ++k) {
      const Block& b = blocks_[k];
      if (b.keep_with_next && (k == 0 || !blocks_[k - 1].keep_with_next)) {  // the run and the first line after it
        double h = 0;
        size_t j = k;
        for (; j < blocks_.size() && blocks_[j].keep_with_next; ++j) h += block_height(j);
        if (j < blocks_.size()) {
          double lh, bl;
          line_metrics(blocks_[j], 0, lh, bl);
          h += blocks_[j].space_before + lh;
        }
        if (y > top && y + h > kBottom) new_page();
      }
      if (y > top) y += b.space_before;
      for (int i = 0; i < pango_layout_get_line_count(b.layout.get()); ++i) {
        double lh, bl;
        line_metrics(b, i, lh, bl);
        if (y + lh > kBottom && y > top) new_page();
        placed_.push_back({page, k, static_cast<size_t>(i), y + bl});
        y += lh;
      }
    }
    pages_ = page + 1;
  }

  double page_top() const { return d_.code.empty() ? kTop : kQrY + kQrSize + 8 * kMm; }  // below the QR
  std::string continued(int page) const {
    return strings_.format(d_.lang, "declaration.continued", {{"title", continued_title_}, {"page", std::to_string(page + 1)}});
  }

  void draw_qr(cairo_t* cr) const {
    QRcode* qr = QRcode_encodeString(d_.code.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    int quiet = 2;
    double m = kQrSize / (qr->width + 2 * quiet);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < qr->width; ++y)
      for (int x = 0; x < qr->width; ++x)
        if (qr->data[y * qr->width + x] & 1) cairo_rectangle(cr, kQrX + (x + quiet) * m, kQrY + (y + quiet) * m, m, m);
    cairo_fill(cr);
    QRcode_free(qr);
    LayoutPtr c = text_layout(strings_.format(d_.lang, "declaration.code", {{"code", d_.code}}), 7, false, false, 60 * kMm,
                              PANGO_ALIGN_LEFT);
    cairo_move_to(cr, kQrX + quiet * m, kQrY + kQrSize);
    pango_cairo_show_layout(cr, c.get());
  }

  const Declaration& d_;
  const Strings& strings_;
  PangoFontMap* fonts_ = nullptr;
  PangoContext* context_ = nullptr;
  std::vector<Block> blocks_;
  std::vector<PlacedLine> placed_;
  int pages_ = 1;
  std::string continued_title_;  // the declaration's title, repeated on every later page
};

void check_surface(cairo_surface_t* s, const std::string& path) {
  cairo_status_t st = cairo_surface_status(s);
  if (st == CAIRO_STATUS_SUCCESS) return;
  cairo_surface_destroy(s);
  throw DeclarationError(path + ": cannot write: " + cairo_status_to_string(st));
}

// Pango that cannot be opened is a paper that cannot be made, said as such, like missing fonts;
// so is a dossier code whose QR code libqrencode is not there to draw (never a page without it).
void open_paper_libraries(const Declaration& d) {
  try {
    paper::functions();
  } catch (const std::runtime_error& e) {
    throw DeclarationError(e.what());
  }
  if (!d.code.empty() && !qrencode::library_error().empty()) throw DeclarationError(qrencode::library_error());
}

}  // namespace

int write_declaration_pdf(const Declaration& d, const Strings& strings, const std::string& path) {
  open_paper_libraries(d);
  Writer w(d, strings);
  cairo_surface_t* s = cairo_pdf_surface_create(path.c_str(), kPageW, kPageH);
  check_surface(s, path);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d.form->title.in(d.lang).c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "MotCua");
  cairo_t* cr = cairo_create(s);
  for (int p = 0; p < w.pages(); ++p) {
    w.draw_page(cr, p);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) throw DeclarationError(path + ": cannot write: " + cairo_status_to_string(st));
  return w.pages();
}

std::vector<std::string> write_declaration_png(const Declaration& d, const Strings& strings, const std::string& path, double dpi) {
  open_paper_libraries(d);
  Writer w(d, strings);
  std::vector<std::string> files;
  double scale = dpi / 72.0;
  for (int p = 0; p < w.pages(); ++p) {
    std::string file = path;
    if (w.pages() > 1) {
      size_t dot = path.size() >= 4 && path.compare(path.size() - 4, 4, ".png") == 0 ? path.size() - 4 : path.size();
      file = path.substr(0, dot) + "-" + std::to_string(p + 1) + path.substr(dot);
    }
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(kPageW * scale + 0.5),
                                                    static_cast<int>(kPageH * scale + 0.5));
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    w.draw_page(cr, p);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, file.c_str());
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) throw DeclarationError(file + ": cannot write: " + cairo_status_to_string(st));
    files.push_back(file);
  }
  return files;
}

}  // namespace motcua
