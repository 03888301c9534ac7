#include "forms/schema/messages.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace motcua::schema {

namespace {

using nlohmann::json;

struct Template {
  const char* vi;
  const char* en;
};

const std::map<std::string, Template>& templates() {
  static const std::map<std::string, Template> t = {
      {"type", {"Giá trị phải là {expected}.", "The value must be {expected}."}},
      {"required", {"Vui lòng điền mục bắt buộc \"{missing}\".", "Please fill in the required item \"{missing}\"."}},
      {"minLength", {"Cần ít nhất {limit} ký tự.", "Enter at least {limit} characters."}},
      {"maxLength", {"Không quá {limit} ký tự.", "Enter no more than {limit} characters."}},
      {"pattern", {"Giá trị chưa đúng định dạng.", "The value is not in the expected form."}},
      {"minimum", {"Giá trị phải từ {limit} trở lên.", "The value must be {limit} or more."}},
      {"maximum", {"Giá trị không được lớn hơn {limit}.", "The value must be {limit} or less."}},
      {"exclusiveMinimum", {"Giá trị phải lớn hơn {limit}.", "The value must be more than {limit}."}},
      {"exclusiveMaximum", {"Giá trị phải nhỏ hơn {limit}.", "The value must be less than {limit}."}},
      {"multipleOf", {"Giá trị phải là bội số của {multipleOf}.", "The value must be a multiple of {multipleOf}."}},
      {"enum", {"Vui lòng chọn một trong các giá trị cho phép.", "Please choose one of the allowed values."}},
      {"const", {"Giá trị không đúng với yêu cầu.", "The value is not the one required."}},
      {"format", {"Giá trị chưa đúng định dạng {format}.", "The value is not a valid {format}."}},
      {"minItems", {"Cần ít nhất {limit} mục.", "Add at least {limit} items."}},
      {"maxItems", {"Không quá {limit} mục.", "Add no more than {limit} items."}},
      {"uniqueItems", {"Các mục không được trùng nhau.", "Items must not repeat."}},
      {"minProperties", {"Cần ít nhất {limit} mục thông tin.", "At least {limit} entries are needed."}},
      {"maxProperties", {"Không quá {limit} mục thông tin.", "No more than {limit} entries are allowed."}},
      {"dependentRequired", {"Khi đã điền \"{property}\" thì cần điền cả \"{missing}\".",
                             "When \"{property}\" is filled in, \"{missing}\" is needed too."}},
      {"propertyNames", {"Tên mục \"{property}\" không hợp lệ.", "The entry name \"{property}\" is not allowed."}},
      {"contains", {"Danh sách chưa có mục phù hợp.", "The list has no matching item."}},
      {"minContains", {"Danh sách cần ít nhất {limit} mục phù hợp.", "The list needs at least {limit} matching items."}},
      {"maxContains", {"Danh sách có quá {limit} mục phù hợp.", "The list has more than {limit} matching items."}},
      {"anyOf", {"Giá trị chưa thỏa mãn điều kiện nào.", "The value meets none of the allowed conditions."}},
      {"oneOf", {"Giá trị phải thỏa mãn đúng một điều kiện.", "The value must meet exactly one condition."}},
      {"not", {"Giá trị này không được chấp nhận.", "This value is not accepted."}},
      {"false", {"Mục này không được phép có.", "This item is not allowed."}},
      {"$ref", {"Biểu mẫu có lỗi tham chiếu vòng; vui lòng báo cán bộ.", "The form has a reference loop; please tell staff."}},
  };
  return t;
}

const std::map<std::string, Template>& type_words() {
  static const std::map<std::string, Template> t = {
      {"string", {"văn bản", "text"}},       {"integer", {"số nguyên", "a whole number"}},
      {"number", {"số", "a number"}},         {"boolean", {"có/không", "yes or no"}},
      {"object", {"nhóm thông tin", "a group of answers"}}, {"array", {"danh sách", "a list"}},
      {"null", {"để trống", "empty"}}};
  return t;
}

const std::map<std::string, Template>& format_words() {
  static const std::map<std::string, Template> t = {
      {"date", {"ngày (năm-tháng-ngày)", "date (year-month-day)"}}, {"time", {"giờ", "time"}},
      {"date-time", {"ngày giờ", "date and time"}},                 {"email", {"thư điện tử", "email address"}},
      {"uri", {"địa chỉ web", "web address"}},                      {"hostname", {"tên miền", "host name"}},
      {"ipv4", {"địa chỉ IPv4", "IPv4 address"}},                   {"ipv6", {"địa chỉ IPv6", "IPv6 address"}},
      {"uuid", {"mã UUID", "UUID"}},                                {"duration", {"khoảng thời gian", "duration"}}};
  return t;
}

const char* pick(const Template& t, bool vi) { return vi ? t.vi : t.en; }

std::string text_of(const json& v, const std::string& key, bool vi) {
  if (v.is_string()) {
    const auto& words = key == "format" ? format_words() : type_words();
    auto it = words.find(v.get<std::string>());
    if ((key == "format" || key == "expected") && it != words.end()) return pick(it->second, vi);
    return v.get<std::string>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", d);
    return buf;
  }
  if (v.is_array() && key == "expected") {  // type names joined: "văn bản hoặc số"
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? (vi ? " hoặc " : " or ") : "") + text_of(v[i], key, vi);
    return out;
  }
  return v.dump();
}

// One pass over the pattern: a {name} of the error's params becomes its text, anything else
// stays as written. What a value brings in is never read again, so a property named
// "{missing}" is shown as it is, whatever the order of the params.
std::string fill(const std::string& pattern, const Params& params, bool vi) {
  std::string out;
  size_t at = 0;
  for (size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', at)) {
    size_t close = pattern.find('}', open);
    if (close == std::string::npos) break;
    std::string key = pattern.substr(open + 1, close - open - 1);
    out.append(pattern, at, open - at);
    if (params.contains(key)) {
      out += text_of(params[key], key, vi);
      at = close + 1;
    } else {
      out += '{';  // not a parameter: kept, and what follows it is read on
      at = open + 1;
    }
  }
  return out.append(pattern, at, std::string::npos);
}

}  // namespace

std::string error_message(const ValidationError& e, const std::string& lang, const json* field_messages) {
  bool vi = lang != "en";
  if (field_messages && field_messages->is_object() && field_messages->contains(e.keyword)) {
    const json& m = (*field_messages)[e.keyword];
    if (m.is_string()) return fill(m.get<std::string>(), e.params, vi);
    if (m.is_object()) {
      if (m.contains(lang) && m[lang].is_string()) return fill(m[lang].get<std::string>(), e.params, vi);
      if (m.contains("vi") && m["vi"].is_string()) return fill(m["vi"].get<std::string>(), e.params, vi);
    }
  }
  auto it = templates().find(e.keyword);
  if (it == templates().end()) return vi ? "Giá trị không hợp lệ." : "The value is not valid.";
  return fill(pick(it->second, vi), e.params, vi);
}

std::string choice_required_message(const ValidationError& e, const std::string& lang) {
  // "Điền" (fill in) is not what a citizen does with a list of options: one is chosen.
  static const Template t = {"Vui lòng chọn một ý cho mục \"{missing}\".", "Please choose an answer for \"{missing}\"."};
  return fill(pick(t, lang != "en"), e.params, lang != "en");
}

std::string optional_hint(const std::string& lang) {
  return lang == "en" ? "This item is optional: if you have none, clear it to leave it empty."
                      : "Mục này không bắt buộc: nếu không có, ông/bà có thể xoá hết để bỏ trống.";
}

}  // namespace motcua::schema
