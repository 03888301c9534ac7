#include "forms/expr.h"

#include <cmath>
#include <map>
#include <set>

namespace motcua::forms {

namespace {

using nlohmann::json;

constexpr int kMaxDepth = 32;
constexpr int kMaxNodes = 1000;

struct Arity { int min, max; };  // max -1: any
const std::map<std::string, Arity>& operators() {
  static const std::map<std::string, Arity> ops = {
      {"var", {1, 1}}, {"+", {1, -1}}, {"-", {1, 2}}, {"*", {1, -1}}, {"/", {2, 2}}, {"round", {1, 2}},
      {"==", {2, 2}}, {"!=", {2, 2}}, {"<", {2, 2}}, {"<=", {2, 2}}, {">", {2, 2}}, {">=", {2, 2}},
      {"and", {1, -1}}, {"or", {1, -1}}, {"not", {1, 1}}, {"if", {3, 3}}, {"concat", {1, -1}},
      {"coalesce", {1, -1}}, {"age", {1, 2}}, {"count", {1, 1}}, {"meta", {1, 1}}};
  return ops;
}

// The operator's arguments: a list, or one bare argument.
std::vector<const json*> args_of(const json& v) {
  std::vector<const json*> out;
  if (v.is_array()) for (auto& a : v) out.push_back(&a);
  else out.push_back(&v);
  return out;
}

// The type an operator's arguments must have; "if" and the pickers pass on what their caller needs.
std::string needs_of_args(const std::string& op, size_t i, const std::string& inherited) {
  if (op == "age") return "date";
  if (op == "count") return "array";
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "round") return "number";
  if (op == "if") return i == 0 ? "" : inherited;
  if (op == "coalesce") return inherited;
  return "";
}

void check(const json& e, const std::string& where, int depth, int& nodes, std::vector<ExprInput>& vars,
           const std::string& needs) {
  if (depth > kMaxDepth) throw ExprError(where + ": expression nested deeper than " + std::to_string(kMaxDepth));
  if (++nodes > kMaxNodes) throw ExprError(where + ": expression larger than " + std::to_string(kMaxNodes) + " parts");
  if (e.is_primitive()) return;
  if (e.is_array()) throw ExprError(where + ": a list is only allowed as an operator's arguments");
  if (e.size() != 1) throw ExprError(where + ": an operation is an object with exactly one operator");
  auto it = e.begin();
  auto op = operators().find(it.key());
  if (op == operators().end()) throw ExprError(where + ": unknown operator \"" + it.key() + "\"");
  auto args = args_of(it.value());
  int n = static_cast<int>(args.size());
  if (n < op->second.min || (op->second.max >= 0 && n > op->second.max))
    throw ExprError(where + "/" + it.key() + ": wrong number of arguments for \"" + it.key() + "\"");
  if (it.key() == "var") {
    if (!args[0]->is_string() || (!args[0]->get<std::string>().empty() && args[0]->get<std::string>()[0] != '/'))
      throw ExprError(where + "/var: expected a JSON pointer such as \"/child/dateOfBirth\"");
    vars.push_back({args[0]->get<std::string>(), needs, where + "/var"});
    return;
  }
  if (it.key() == "meta") {
    if (!args[0]->is_string() || args[0]->get<std::string>().empty() || args[0]->get<std::string>()[0] != '/')
      throw ExprError(where + "/meta: expected a JSON pointer into the package's meta such as \"/fees/0/amount\"");
    vars.push_back({args[0]->get<std::string>(), needs, where + "/meta", true});
    return;
  }
  for (int i = 0; i < n; ++i) {
    std::string at = where;
    at.append("/").append(it.key());
    if (it.value().is_array()) at.append("/").append(std::to_string(i));
    check(*args[static_cast<size_t>(i)], at, depth + 1, nodes, vars, needs_of_args(it.key(), static_cast<size_t>(i), needs));
  }
}

bool truthy(const json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  return !v.empty();
}

json number(double d) {
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<long long>(d);
  return std::isfinite(d) ? json(d) : json();
}

std::string text_of(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

bool is_ymd(const json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[static_cast<size_t>(i)] < '0' || s[static_cast<size_t>(i)] > '9') return false;
  return true;
}

json eval(const json& e, const std::function<json(const std::string&)>& var, const std::string& today, const json* meta) {
  if (e.is_primitive()) return e;
  const std::string& op = e.begin().key();
  auto args = args_of(e.begin().value());
  auto arg = [&](size_t i) { return eval(*args[i], var, today, meta); };
  if (op == "var") return var(args[0]->get<std::string>());
  if (op == "meta") {
    try {
      json::json_pointer p(args[0]->get<std::string>());
      return meta && meta->contains(p) ? meta->at(p) : json();
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  if (op == "count") {  // items of a list; an unanswered list has none
    json v = arg(0);
    return v.is_null() ? json(0) : v.is_array() ? json(v.size()) : json();
  }
  if (op == "if") return truthy(arg(0)) ? arg(1) : arg(2);
  if (op == "and") { json last = true; for (size_t i = 0; i < args.size(); ++i) if (!truthy(last = arg(i))) return last; return last; }
  if (op == "or") { json last = false; for (size_t i = 0; i < args.size(); ++i) if (truthy(last = arg(i))) return last; return last; }
  if (op == "not") return !truthy(arg(0));
  if (op == "concat") { std::string s; for (size_t i = 0; i < args.size(); ++i) s += text_of(arg(i)); return s; }
  if (op == "coalesce") { for (size_t i = 0; i < args.size(); ++i) { json v = arg(i); if (!v.is_null() && v != "") return v; } return nullptr; }
  if (op == "==" || op == "!=") { bool eq = arg(0) == arg(1); return op == "==" ? eq : !eq; }
  std::vector<json> vals;
  for (size_t i = 0; i < args.size(); ++i) vals.push_back(arg(i));
  if (op == "age") {
    // Only YYYY-MM-DD counts: anything else typed into the field is "no age", never an exception.
    // Whole years on `on` (second argument), else on today: the day the dossier is submitted.
    json on = vals.size() > 1 ? vals[1] : json(today);
    if (!is_ymd(vals[0]) || !is_ymd(on)) return nullptr;
    const std::string& s = vals[0].get_ref<const std::string&>();
    const std::string& t = on.get_ref<const std::string&>();
    int years = std::stoi(t.substr(0, 4)) - std::stoi(s.substr(0, 4));
    if (t.substr(5, 5) < s.substr(5, 5)) --years;
    return years;
  }
  if (op == "<" || op == "<=" || op == ">" || op == ">=") {
    const json &a = vals[0], &b = vals[1];
    bool nums = a.is_number() && b.is_number(), strs = a.is_string() && b.is_string();
    if (!nums && !strs) return nullptr;
    int cmp = nums ? (a.get<double>() < b.get<double>() ? -1 : a.get<double>() > b.get<double>())
                   : a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    if (op == "<") return cmp < 0;
    if (op == "<=") return cmp <= 0;
    if (op == ">") return cmp > 0;
    return cmp >= 0;
  }
  for (auto& v : vals) if (!v.is_number()) return nullptr;  // arithmetic on numbers only
  double acc = vals[0].get<double>();
  if (op == "+") { for (size_t i = 1; i < vals.size(); ++i) acc += vals[i].get<double>(); return number(acc); }
  if (op == "*") { for (size_t i = 1; i < vals.size(); ++i) acc *= vals[i].get<double>(); return number(acc); }
  if (op == "-") return number(vals.size() == 1 ? -acc : acc - vals[1].get<double>());
  if (op == "/") return vals[1].get<double>() == 0 ? json() : number(acc / vals[1].get<double>());
  if (op == "round") {
    double scale = std::pow(10.0, vals.size() > 1 ? vals[1].get<double>() : 0.0);
    return number(std::round(acc * scale) / scale);
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> expression_inputs(const json& expr, const std::string& where) {
  std::vector<std::string> out;
  for (auto& v : expression_needs(expr, where))
    if (!v.meta) out.push_back(v.pointer);
  return out;
}

std::vector<ExprInput> expression_needs(const json& expr, const std::string& where) {
  std::vector<ExprInput> vars;
  int nodes = 0;
  check(expr, where, 0, nodes, vars, "");
  return vars;
}

json evaluate(const json& expr, const std::function<json(const std::string&)>& var, const std::string& today,
              const json* meta) {
  return eval(expr, var, today, meta);
}

}  // namespace motcua::forms
