// The keystroke planner the visit bench counts with: its keys, pressed on the kiosk's keyboard
// logic, give the text back, and what the keyboard has no key for is named.
#include <doctest/doctest.h>

#include "forms/text.h"
#include "tests/support/key_plan.h"

using namespace motcua;

namespace {

std::string replayed(const test::KeyPlan& plan, KeyboardState state) {
  std::pmr::string text;
  for (const auto& k : plan.keys) REQUIRE_MESSAGE(press_key(text, k, state, TonePlacement::Modern), k);
  return std::string(text);
}

std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : " ") + k;
  return out;
}

}  // namespace

TEST_CASE("key plan: a name field capitalises each word itself, marks follow the word") {
  KeyboardState name;
  name.name = true;
  auto plan = test::plan_keys("Nguyễn Văn Người", name, TonePlacement::Modern);
  CHECK(plan.untypeable.empty());
  CHECK(joined(plan.keys) == "n g u y e n shape:circumflex tone:tilde space v a n shape:breve space n g u o i shape:horn tone:grave");
  CHECK(replayed(plan, name) == "Nguyễn Văn Người");
}

TEST_CASE("key plan: other fields need shift for capitals and the 123 key for digits, and đ is d then its stroke") {
  KeyboardState plain;
  auto plan = test::plan_keys("Số 12 đường Hà", plain, TonePlacement::Modern);
  CHECK(plan.untypeable.empty());
  CHECK(joined(plan.keys) ==
        "shift s o shape:circumflex tone:acute space layout 1 2 space layout d shape:stroke u o n g shape:horn tone:grave space shift h a tone:grave");
  CHECK(replayed(plan, plain) == "Số 12 đường Hà");
}

TEST_CASE("key plan: an ID number on the digit pad is one key per digit, an address's comma is on the digit pad") {
  KeyboardState id;
  id.layout = KeyboardLayout::Digits;
  id.digits_only = true;
  auto plan = test::plan_keys("001099012345", id, TonePlacement::Modern);
  CHECK(plan.keys.size() == 12);
  CHECK(replayed(plan, id) == "001099012345");
  KeyboardState plain;
  auto address = test::plan_keys("Nội, Việt", plain, TonePlacement::Modern);
  CHECK(address.untypeable.empty());
  CHECK(joined(address.keys) == "shift n o i shape:circumflex tone:dot layout , space layout shift v i e t shape:circumflex tone:dot");
  CHECK(replayed(address, plain) == "Nội, Việt");
  CHECK(test::plan_keys("Số 5 (cũ)", plain, TonePlacement::Modern).untypeable == "(");
}

TEST_CASE("key plan: classic tone placement typed on a modern kiosk counts the same keys") {
  KeyboardState plain;
  auto plan = test::plan_keys("hòa", plain, TonePlacement::Modern);
  CHECK(plan.untypeable.empty());
  CHECK(joined(plan.keys) == "h o a tone:grave");
  CHECK(text::tone_placement_key(replayed(plan, plain)) == text::tone_placement_key("hòa"));
}
