// Validation speed, in one run: motcua's 2020-12 validator against two baselines on the same
// schemas (their draft-07 twin: the same keywords under draft-07's $schema):
//   - ajv 6.12 (Debian's node-ajv, draft-07; not ajv 8, which Debian does not ship), compiled to
//     JavaScript once and timed by bench/ajv_bench.js under node (the best of three rounds'
//     medians), formats asserted by both;
//   - valijson 1.0 (Debian's libvalijson-dev, draft-07), on the 60-field dossier only (it takes
//     about half a millisecond a call).
// Cases: the 60-field dossier of bench/dossier.h, and each bundled form (assets/forms) with a
// dossier built from its schema (bench/form_sample.h). Prints each side's best of three rounds'
// medians (ajv: the best of three node processes' three rounds each), and their ratios. The sides
// alternate (ajv's process, then motcua's round, three times): this machine sometimes runs
// everything at half speed for tens of seconds, and a side measured wholly inside such a spell
// would be compared with the other's good one.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "bench/dossier.h"
#include "bench/form_sample.h"
#include "forms/schema/validator.h"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* kDraft2020 = "https://json-schema.org/draft/2020-12/schema";
const char* kDraft7 = "http://json-schema.org/draft-07/schema#";

// CPU time, not wall time: on a shared machine the other processes' share would otherwise be
// counted, differently in each process. ajv_bench.js counts the same way (process.cpuUsage).
double cpu_us() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

template <class F> double median_us(F f, int batches = 15, int per_batch = 2000) {
  std::vector<double> us;
  for (int b = 0; b < batches; ++b) {
    double t0 = cpu_us();
    for (int i = 0; i < per_batch; ++i) f();
    us.push_back((cpu_us() - t0) / per_batch);
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

// Each side's figure is the best of three rounds' medians: a round sometimes runs at 1.8x the
// others on this machine (form-60 valid 2.9 against 1.6 us, about one run in four, the same code
// in the same process), so each side is measured at its best.
constexpr int kRounds = 3;

struct Case {
  std::string name;
  json schema;  // 2020-12
  json valid, invalid;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  json dossier = motcua::bench::dossier();
  json bad = dossier;
  bad["child"]["idNumber"] = "12";
  bad["request"]["copies"] = 20;
  out.push_back({"form-60", motcua::bench::dossier_schema(kDraft2020), dossier, bad});
  std::vector<fs::path> forms;
  for (auto& e : fs::directory_iterator(fs::path(MOTCUA_SOURCE_ROOT) / "assets" / "forms"))
    if (e.path().extension() == ".json" && e.path().stem() != "categories") forms.push_back(e.path());
  std::sort(forms.begin(), forms.end());
  for (auto& path : forms) {
    json schema = json::parse(std::ifstream(path))["schema"];
    json sample = motcua::bench::form_sample(schema);
    // Invalid: the first required answer missing, the second of the wrong type.
    json wrong = sample;
    const json& required = schema["required"];
    wrong.erase(required[0].get<std::string>());
    if (required.size() > 1) wrong[required[1].get<std::string>()] = 12;
    out.push_back({path.stem().string(), schema, sample, wrong});
  }
  return out;
}

json draft7(json schema) {
  schema["$schema"] = kDraft7;
  return schema;
}

struct Times {
  double valid = 0, invalid = 0, first_failure = 0;  // invalid: every error; first failure: yes/no
  double kept = 0;  // every error into a list kept between calls (motcua only)

  // Each figure the better of the two.
  void keep_best(const Times& o) {
    auto best = [](double a, double b) { return a == 0 ? b : std::min(a, b); };
    valid = best(valid, o.valid);
    invalid = best(invalid, o.invalid);
    first_failure = best(first_failure, o.first_failure);
    kept = best(kept, o.kept);
  }
};

// ajv's figures per case name (the best of three rounds' medians in one node process: V8's code
// for a case settles over the first rounds), from bench/ajv_bench.js; empty (with the reason
// printed) when node or node-ajv is missing.
std::map<std::string, Times> ajv_medians(const std::vector<Case>& all) {
  json input = json::array();
  for (auto& c : all) input.push_back({{"name", c.name}, {"schema", draft7(c.schema)}, {"valid", c.valid}, {"invalid", c.invalid}});
  fs::path file = fs::temp_directory_path() / ("motcua-ajv-cases-" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << input.dump();
  std::string command = "NODE_PATH=/usr/share/nodejs node " + (fs::path(MOTCUA_SOURCE_ROOT) / "bench" / "ajv_bench.js").string() +
                        " " + file.string();
  std::map<std::string, Times> out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char name[128];
    Times t;
    while (std::fscanf(p, "%127s %lf %lf %lf", name, &t.valid, &t.invalid, &t.first_failure) == 4) out[name] = t;
    if (pclose(p) != 0) std::printf("  ajv 6 not measured: `%s` failed (bash scripts/setup installs node-ajv)\n", command.c_str());
  }
  fs::remove(file);
  return out;
}

}  // namespace

int main() {
  using namespace motcua;
  std::vector<Case> all = cases();
  schema::Options formats;
  formats.format_assertion = true;  // as ajv asserts them
  std::vector<schema::Validator> ours;
  for (auto& c : all) {
    ours.emplace_back(c.schema, formats, c.name);
    if (!ours.back().valid(c.valid) || ours.back().valid(c.invalid)) {
      std::fprintf(stderr, "%s: motcua disagrees with the expected results\n", c.name.c_str());
      for (auto& e : ours.back().validate(c.valid))
        std::fprintf(stderr, "  the valid sample fails at %s (%s)\n", e.instance_location.c_str(), e.keyword_location.c_str());
      return 1;
    }
  }
  // Rounds alternate between the two sides; each figure is the best of its side's rounds.
  std::map<std::string, Times> ajv;
  std::vector<Times> mine(all.size());
  std::vector<std::vector<schema::ValidationError>> kept(all.size());
  volatile bool sink = false;
  for (int round = 0; round < kRounds; ++round) {
    if (round == 0 || !ajv.empty())  // node or node-ajv missing: said once
      for (auto& [name, t] : ajv_medians(all)) ajv[name].keep_best(t);
    for (size_t i = 0; i < all.size(); ++i) {
      const Case& c = all[i];
      Times t;
      t.valid = median_us([&] { sink = ours[i].valid(c.valid); });
      t.first_failure = median_us([&] { sink = ours[i].valid(c.invalid); });  // valid() stops at the first failure
      t.invalid = median_us([&] { sink = ours[i].validate(c.invalid).empty(); });
      t.kept = median_us([&] { sink = ours[i].validate(c.invalid, kept[i]); });
      mine[i].keep_best(t);
    }
  }

  std::printf("validate a dossier (CPU us per call: the best of three rounds' medians of 15 batches x 2000, both sides, rounds\n"
              "  alternating between them; formats asserted)\n");
  std::printf("  %-18s %23s   %23s   %23s\n", "", "valid", "invalid, first failure", "invalid, every error");
  std::printf("  %-18s", "case");
  for (int k = 0; k < 3; ++k) std::printf(" %7s %7s %7s  ", "motcua", "ajv 6", "ratio");
  std::printf("\n");
  for (size_t i = 0; i < all.size(); ++i) {
    const Case& c = all[i];
    const Times& ours_t = mine[i];
    auto it = ajv.find(c.name);
    std::printf("  %-18s", c.name.c_str());
    // Ratio: ajv's time over ours; above 1 means motcua is faster.
    auto column = [&](double ours_us, double theirs) {
      if (it == ajv.end()) std::printf(" %7.2f %7s %7s  ", ours_us, "-", "-");
      else std::printf(" %7.2f %7.2f %6.2fx  ", ours_us, theirs, theirs / ours_us);
    };
    Times a = it == ajv.end() ? Times{} : it->second;
    column(ours_t.valid, a.valid);
    column(ours_t.first_failure, a.first_failure);
    column(ours_t.invalid, a.invalid);
    std::printf("\n");
  }
  // A caller validating again and again (the form model) keeps one list and has it written over.
  std::printf("  invalid, every error, into a list kept between calls (Validator::validate's second form):\n");
  for (size_t i = 0; i < all.size(); ++i) {
    const Case& c = all[i];
    const double kept_us = mine[i].kept;
    auto it = ajv.find(c.name);
    if (it == ajv.end()) std::printf("  %-18s %7.2f\n", c.name.c_str(), kept_us);
    else std::printf("  %-18s %7.2f %7.2f %6.2fx\n", c.name.c_str(), kept_us, it->second.invalid, it->second.invalid / kept_us);
  }
  std::printf("  ratio = ajv 6 time / motcua time (above 1: motcua faster); ajv 6: the best of three node\n"
              "  processes' three rounds' medians. ajv 6 is Debian's node-ajv 6.12\n"
              "  on draft-07 (not ajv 8); it ignores contentEncoding/contentMediaType, as motcua does.\n");

  // valijson on the 60-field dossier.
  const Case& dossier = all.front();
  json draft7_schema = draft7(dossier.schema);
  valijson::Schema theirs;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(draft7_schema);
  parser.populateSchema(schema_adapter, theirs);
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter target(dossier.valid), bad_target(dossier.invalid);
  if (!validator.validate(theirs, target, nullptr) || validator.validate(theirs, bad_target, nullptr)) {
    std::fprintf(stderr, "valijson disagrees with the expected results\n");
    return 1;
  }
  double ours_valid = median_us([&] { sink = ours.front().valid(dossier.valid); });
  double theirs_valid = median_us([&] { sink = validator.validate(theirs, target, nullptr); }, 5, 200);
  std::printf("  form-60 valid against valijson 1.0 (draft-07): %.2f us vs %.2f us, %.0fx\n", ours_valid, theirs_valid,
              theirs_valid / ours_valid);

  double t0 = cpu_us();
  for (int i = 0; i < 200; ++i) schema::Validator again(dossier.schema, formats);
  std::printf("  compile the form-60 schema once: %.1f us\n", (cpu_us() - t0) / 200);
  return 0;
}
