#include "devices/printer/layout.h"

#include <algorithm>

#include "devices/printer/codes.h"
#include "devices/printer/escpos.h"

namespace motcua::printer {

namespace {

using nlohmann::json;

const int kMargin = 8;  // dots left and right: printers clip the outermost columns

std::string field_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// "@key" is a locale text; "{name}" placeholders come from the fields.
std::string expand(const std::string& pattern, const json& fields, const Texts& texts) {
  std::string s = pattern.rfind('@', 0) == 0 ? texts(pattern.substr(1)) : pattern;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '{') {
      size_t close = s.find('}', i);
      if (close != std::string::npos) {
        std::string name = s.substr(i + 1, close - i - 1);
        if (fields.contains(name)) { out += field_text(fields[name]); i = close + 1; continue; }
      }
    }
    out += s[i++];
  }
  return out;
}

bool present(const json& fields, const std::string& name) {
  if (!fields.contains(name)) return false;
  const json& v = fields[name];
  return !(v.is_null() || v == "" || v == false);
}

Align align_of(const json& b) {
  std::string a = b.value("align", "left");
  return a == "center" ? Align::Center : a == "right" ? Align::Right : Align::Left;
}

Bitmap centered(const Bitmap& b, int width) {
  Bitmap out(width, b.height);
  out.blit(b, std::max(0, (width - b.width) / 2), 0);
  return out;
}

// A QR symbol's side in modules (without quiet zone), as the printer and libqrencode draw it.
int qr_modules(const std::string& data) { return qr_bitmap(data, 1).width - 2 * kQuietModules; }

}  // namespace

std::vector<Part> lay_out(const json& layout, const json& fields, const Texts& texts, const Profile& profile,
                          const TextRenderer& renderer, std::vector<std::string>* notes) {
  if (!layout.contains("blocks") || !layout["blocks"].is_array()) throw LayoutError("layout has no \"blocks\" list");
  const int width = profile.width_dots, inner = width - 2 * kMargin;
  std::vector<Part> parts;
  int height = 0;
  std::string where;
  auto grew = [&](int rows) {
    height += rows;
    if (height > kMaxPaperDots)
      throw LayoutError(where + ": the document would be over " + std::to_string(kMaxPaperDots / 8 / 10) + " cm long");
  };
  auto add_bitmap = [&](const Bitmap& b) {
    if (b.width > width) throw LayoutError(where + ": " + std::to_string(b.width) + " dots do not fit the paper's " + std::to_string(width));
    grew(b.height);
    // Consecutive pictures merge into one, so the job has few raster commands.
    if (!parts.empty() && std::holds_alternative<Bitmap>(parts.back())) {
      Bitmap& last = std::get<Bitmap>(parts.back());
      int y = last.height;
      last.grow(last.height + b.height);
      last.blit(b, 0, y);
    } else {
      parts.push_back(b);
    }
  };
  auto text_block = [&](const std::string& text, int px, Weight w, Align a, bool shrink = false, int indent = 0) {
    if (shrink) {
      int fitted = renderer.fit_size(text, px, w, inner - indent, 8);
      if (!fitted) throw LayoutError(where + ": \"" + text.substr(0, 60) + "\" does not fit on one line even at 8 px");
      px = fitted;
    }
    Bitmap t = renderer.render(text, px, w, inner - indent, a);
    Bitmap line(width, t.height);
    line.blit(t, kMargin + indent, 0);
    add_bitmap(line);
  };
  for (size_t i = 0; i < layout["blocks"].size(); ++i) {
    const json& b = layout["blocks"][i];
    where = "block " + std::to_string(i);
    try {
      if (b.contains("when") && !present(fields, b["when"].get<std::string>())) continue;
      if (b.contains("unless") && present(fields, b["unless"].get<std::string>())) continue;
      int px = b.value("size", 24);
      if (px < 8 || px > 400) throw LayoutError(where + ": \"size\" must be 8 to 400 px");
      Weight weight = b.value("bold", false) ? Weight::Bold : Weight::Regular;
      if (b.contains("text")) {
        text_block(expand(b["text"].get<std::string>(), fields, texts), px, weight, align_of(b), b.value("fit", "") == "shrink");
      } else if (b.contains("label")) {
        text_block(expand(b["label"].get<std::string>(), fields, texts), b.value("labelSize", 20), Weight::Regular, Align::Left);
        text_block(expand(b.value("value", ""), fields, texts), px, Weight::Bold, Align::Left, b.value("fit", "") == "shrink");
      } else if (b.contains("list")) {
        // One entry per line of a list field: a label alone is a heading, a label and value a
        // question and its answer; depth indents the items of a repeat.
        const std::string name = b["list"].get<std::string>();
        if (!fields.contains(name) || !fields[name].is_array()) throw LayoutError(where + ": the list \"" + name + "\" is missing");
        for (const json& e : fields[name]) {
          std::string label = e.value("label", ""), value = e.value("value", "");
          int indent = std::clamp(e.value("depth", 0), 0, 8) * 24;
          if (!label.empty() && value.empty()) {
            add_bitmap(Bitmap(width, 6));
            text_block(label, px, Weight::Bold, Align::Left, false, indent);
          } else {
            if (!label.empty()) text_block(label, b.value("labelSize", 20), Weight::Regular, Align::Left, false, indent);
            text_block(value, px, Weight::Bold, Align::Left, false, indent + 16);
          }
        }
      } else if (b.contains("qr")) {
        std::string data = expand(b["qr"].get<std::string>(), fields, texts);
        int module = b.value("module", 6), side = qr_modules(data) + 2 * kQuietModules;
        while (module > kMinQrModule && side * module > width) --module;  // smaller modules before clipping
        if (side * module > width)
          throw LayoutError(where + ": a QR code of " + std::to_string(data.size()) + " bytes does not fit " + std::to_string(width) + " dots");
        if (profile.native_qr) {
          grew(side * module);
          parts.emplace_back(std::in_place_type<NativeQr>, NativeQr{data, module});
        } else {
          add_bitmap(centered(qr_bitmap(data, module), width));
        }
      } else if (b.contains("code128")) {
        std::string data = expand(b["code128"].get<std::string>(), fields, texts);
        int module = std::max(kMinCode128Module, b.value("module", 2));
        Bitmap code = code128_bitmap(data, module, b.value("height", 64));
        if (code.width > width && module > kMinCode128Module) code = code128_bitmap(data, kMinCode128Module, b.value("height", 64));
        if (code.width > width) {
          if (notes)
            notes->push_back(where + ": Code128 of \"" + data + "\" left out: " + std::to_string(code.width) +
                             " dots at a readable 2-dot module exceed the paper's " + std::to_string(width) +
                             "; the code prints as text and QR");
        } else {
          add_bitmap(centered(code, width));
        }
      } else if (b.contains("rule")) {
        Bitmap r(width, 12);
        r.fill(kMargin, 5, inner, b["rule"].get<int>());
        add_bitmap(r);
      } else if (b.contains("space")) {
        int rows = b["space"].get<int>();
        if (rows < 0 || rows > 1000) throw LayoutError(where + ": \"space\" must be 0 to 1000 dots");
        add_bitmap(Bitmap(width, rows));
      } else {
        throw LayoutError(where + ": unknown block " + b.dump());
      }
    } catch (const nlohmann::json::exception& e) {
      throw LayoutError(where + ": " + e.what());
    } catch (const CodeError& e) {
      throw LayoutError(where + ": " + e.what());
    }
  }
  return parts;
}

Bitmap picture(const std::vector<Part>& parts, int width) {
  Bitmap out(width, 0);
  for (auto& p : parts) {
    Bitmap b = std::holds_alternative<Bitmap>(p) ? std::get<Bitmap>(p)
                                                 : centered(qr_bitmap(std::get<NativeQr>(p).data, std::get<NativeQr>(p).module), width);
    int y = out.height;
    out.grow(out.height + b.height);
    out.blit(b, 0, y);
  }
  return out;
}

std::vector<uint8_t> escpos_job(const std::vector<Part>& parts, const Profile& profile) {
  EscPos e;
  e.init().line_spacing(0);
  for (auto& p : parts) {
    if (std::holds_alternative<Bitmap>(p)) {
      e.align(0).raster(std::get<Bitmap>(p));
    } else {
      // The printer draws the bare symbol: the quiet zone above and below is fed here, so the
      // paper matches the preview (qr_bitmap, quiet zone included) dot for dot.
      const NativeQr& q = std::get<NativeQr>(p);
      e.feed_dots(kQuietModules * q.module).align(1).qr_native(q.data, q.module).feed_dots(kQuietModules * q.module);
    }
  }
  e.feed_dots(profile.tail_dots);
  if (profile.cutter) e.cut(true);
  return e.bytes();
}

}  // namespace motcua::printer
