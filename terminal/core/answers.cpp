#include "terminal/core/answers.h"

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <streambuf>

#include "forms/widget_values.h"
#include "terminal/core/input.h"

namespace motcua {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

nlohmann::json dossier_of(const forms::FormModel& model, const PersonalData& data, const std::string& dossier_id) {
  nlohmann::json d = model.dossier(dossier_id);
  const auto* checked = data.find("provenance.cardVerification");
  if (checked && !checked->empty() && *checked != "valid")
    for (auto& source : d["provenance"])
      if (source == "card") source = "card-" + std::string(*checked);
  return d;
}

namespace {
// Appends straight into the caller's string: no intermediate std::string to outgrow and leak.
class AppendBuf : public std::streambuf {
 public:
  explicit AppendBuf(std::pmr::string& out) : out_(out) {}

 private:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<size_t>(n));
    return n;
  }
  std::pmr::string& out_;
};
}  // namespace

void dump_into(const nlohmann::json& j, std::pmr::string& out) {
  AppendBuf buf(out);
  std::ostream os(&buf);
  os << j;
}

void wipe_json(nlohmann::json& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    secure_zero(s.data(), s.capacity());
  } else if (j.is_structured()) {
    for (auto& e : j) wipe_json(e);
  }
}

void load_answers(forms::FormModel& model, const PersonalData& data) {
  // "provenance.card" lists the scopes the chip card filled, one per line.
  std::string_view from_card;
  if (const auto* p = data.find("provenance.card")) from_card = *p;
  auto source_of = [&](const std::string& scope) {
    for (std::string_view line : lines_of(from_card))
      if (line == scope) return forms::Source::Card;
    return forms::Source::Typed;
  };
  auto load = [&](const forms::Element& c, const std::string& scope) {
    if (c.widget == "address") {  // its parts, each in its own field
      for (const std::string& part : forms::address_parts(model.form(), scope))
        if (const auto* v = data.find(scope + "/" + part); v && !v->empty()) model.set(scope + "/" + part, std::string(*v));
      return;
    }
    const auto* v = data.find(scope);
    if (c.widget == "yes-no") {  // one tick: unticked is an answer too, false
      model.set(scope, v && forms::tick_value(*v), source_of(scope));
      return;
    }
    if (!v || v->empty()) return;
    if (c.widget == "checkboxes") {  // one value per line → an array
      nlohmann::json list = nlohmann::json::array();
      for (std::string_view line : lines_of(*v)) list.push_back(std::string(line));
      model.set(scope, list, source_of(scope));
    } else if (c.widget == "number" || c.widget == "money") {
      char* end = nullptr;
      std::string text(*v);
      double d = std::strtod(text.c_str(), &end);
      model.set(scope, *end == '\0' ? nlohmann::json(d) : nlohmann::json(text));
      secure_zero(text.data(), text.size());
    } else {
      model.set(scope, std::string(*v), source_of(scope));
    }
  };
  // Repeats keep their item count in "repeat:<scope>"; each item's fields at <scope>/<i><child>.
  auto repeats = [&](const std::vector<forms::Element>& elements) {
    forms::for_each_repeat(elements, [&](const forms::Element& e) {
      const auto* count = data.find("repeat:" + e.scope);
      int n = count && !count->empty() ? std::atoi(std::string(*count).c_str()) : 0;
      if (n > 0) model.set(e.scope, nlohmann::json::array());
      for (int i = 0; i < n; ++i) {
        std::string item = e.scope + "/" + std::to_string(i);
        model.set(item, nlohmann::json::object());
        forms::for_each_control(e.elements, [&](const forms::Element& k) { load(k, item + k.scope); });
      }
    });
  };
  for (auto& s : model.form().steps) {
    for (const forms::Element* c : s.controls) load(*c, c->scope);
    repeats(s.elements);
  }
}

std::string address_line(const forms::FormPackage& form, const PersonalData& data, const std::string& scope) {
  auto parts = forms::address_parts(form, scope);
  std::string out;
  for (const char* part : {"street", "commune", "province"}) {
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) continue;
    const auto* v = data.find(scope + "/" + part);
    if (v && !v->empty()) out += (out.empty() ? "" : ", ") + std::string(*v);
  }
  return out;
}

std::vector<StepError> validate_step(const forms::FormPackage& form, size_t step, const PersonalData& data,
                                     const std::string& lang) {
  forms::FormModel model(form, local_time("%Y-%m-%d"));
  load_answers(model, data);
  std::vector<StepError> out;
  for (auto& e : model.errors(step, lang)) out.push_back({e.scope, e.message});
  model.wipe();  // the copies of the answers are zeroed before they are freed
  return out;
}

}  // namespace motcua
