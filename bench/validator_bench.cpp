// Validation speed: motcua's 2020-12 validator against valijson 1.0 (draft-07, Debian's
// libvalijson-dev) on the same 60-field dossier, in one run. Prints medians and the ratio.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "bench/dossier.h"
#include "forms/schema/validator.h"

namespace {

template <class F> double median_us(F f, int batches = 15, int per_batch = 2000) {
  std::vector<double> us;
  for (int b = 0; b < batches; ++b) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < per_batch; ++i) f();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / per_batch);
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

}  // namespace

int main() {
  using namespace motcua;
  nlohmann::json instance = bench::dossier();
  nlohmann::json invalid = instance;
  invalid["child"]["idNumber"] = "12";
  invalid["request"]["copies"] = 20;

  schema::Validator ours(bench::dossier_schema("https://json-schema.org/draft/2020-12/schema"));
  nlohmann::json draft7 = bench::dossier_schema("http://json-schema.org/draft-07/schema#");
  valijson::Schema theirs;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(draft7);
  parser.populateSchema(schema_adapter, theirs);
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter target(instance), bad_target(invalid);

  if (!ours.valid(instance) || ours.valid(invalid) || !validator.validate(theirs, target, nullptr) ||
      validator.validate(theirs, bad_target, nullptr)) {
    std::fprintf(stderr, "validators disagree with the expected results\n");
    return 1;
  }
  volatile bool sink = false;
  double ours_valid = median_us([&] { sink = ours.valid(instance); });
  double ours_errors = median_us([&] { sink = ours.validate(invalid).size() == 2; });
  double theirs_valid = median_us([&] { sink = validator.validate(theirs, target, nullptr); });
  double theirs_errors = median_us([&] {
    valijson::ValidationResults results;
    sink = validator.validate(theirs, bad_target, &results);
  });
  std::printf("validate a 60-field dossier (median of 15 batches x 2000)\n");
  std::printf("  %-34s %9s %9s\n", "", "valid", "invalid+errors");
  std::printf("  %-34s %8.2f us %8.2f us\n", "motcua 2020-12", ours_valid, ours_errors);
  std::printf("  %-34s %8.2f us %8.2f us\n", "baseline: valijson 1.0 (draft-07)", theirs_valid, theirs_errors);
  std::printf("  %-34s %8.1fx %8.1fx\n", "speed-up", theirs_valid / ours_valid, theirs_errors / ours_errors);
  std::printf("  reference (issue #3, not measured here): ajv in Chromium ~9 us\n");
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) schema::Validator again(bench::dossier_schema("https://json-schema.org/draft/2020-12/schema"));
  std::printf("  compile the schema once: %.1f us\n",
              std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 200);
  return 0;
}
