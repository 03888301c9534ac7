#include "terminal/services/volunteers.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "terminal/services/private_files.h"

namespace motcua {

namespace {

long long unix_seconds(VolunteerGate::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

VolunteerGate::VolunteerGate(std::vector<Volunteer> volunteers, std::string state_path)
    : volunteers_(std::move(volunteers)), state_path_(std::move(state_path)) {
  if (!state_path_.empty()) load(Clock::now());
}

const std::string* VolunteerGate::pin_hash(const std::string& id) const {
  for (auto& v : volunteers_)
    if (v.id == id) {
      auto u = upgraded_.find(id);
      return u != upgraded_.end() && u->second.first == v.pin_hash ? &u->second.second : &v.pin_hash;
    }
  return nullptr;
}

void VolunteerGate::load(Clock::time_point now) {
  std::error_code ec;
  if (!std::filesystem::exists(state_path_, ec)) return;
  std::ifstream in(state_path_);
  auto state = nlohmann::json::parse(in, nullptr, false);
  try {
    if (!state.is_object()) throw std::runtime_error("not a JSON object");
    failures_ = std::clamp(state.value("failures", 0), 0, kMaxFailures);
    long long until = state.value("lockedUntil", 0LL);
    if (until > unix_seconds(now))
      locked_until_ = std::min(Clock::time_point(std::chrono::seconds(until)), now + kLockout);  // a clock set back never locks longer
    nlohmann::json upgraded = state.value("upgraded", nlohmann::json::object());
    for (auto& [id, u] : upgraded.items()) {
      std::string replaces = u.at("replaces").get<std::string>(), hash = u.at("pin").get<std::string>();
      if (well_formed_pin_hash(hash)) upgraded_[id] = {replaces, hash};
    }
  } catch (const std::exception& e) {
    // Damaged (it is only ever replaced whole): fail closed, once, and say so.
    std::fprintf(stderr, "motcua: staff alert: %s is damaged (%s); sign-in is locked for %lld s\n", state_path_.c_str(),
                 e.what(), static_cast<long long>(kLockout.count()));
    failures_ = 0;
    upgraded_.clear();
    locked_until_ = now + kLockout;
  }
}

void VolunteerGate::save() const {
  if (state_path_.empty()) return;
  nlohmann::json upgraded = nlohmann::json::object();
  for (auto& [id, u] : upgraded_) upgraded[id] = {{"replaces", u.first}, {"pin", u.second}};
  nlohmann::json state = {{"failures", failures_}, {"lockedUntil", unix_seconds(locked_until_)}, {"upgraded", upgraded}};
  try {
    write_private_file(state_path_, state.dump(1));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: staff alert: sign-in state not saved: %s\n", e.what());
  }
}

VolunteerGate::Result VolunteerGate::sign_in(std::string_view pin, Clock::time_point now) {
  if (now < locked_until_) {
    if (locked_until_ - now > kLockout) locked_until_ = now + kLockout;  // the clock was set back
    return {std::nullopt, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(locked_until_ - now).count())};
  }
  for (auto& v : volunteers_) {
    const std::string& hash = *pin_hash(v.id);
    if (!verify_pin(pin, hash)) continue;
    bool changed = failures_ != 0;
    failures_ = 0;
    if (pin_hash_outdated(hash)) {  // the PIN is known right now: the one moment a hash can be renewed
      upgraded_[v.id] = {v.pin_hash, hash_pin(pin)};
      changed = true;
    }
    if (changed) save();
    return {v.id, 0};
  }
  if (++failures_ >= kMaxFailures) {
    failures_ = 0;
    locked_until_ = now + kLockout;
    save();
    return {std::nullopt, static_cast<int>(kLockout.count())};
  }
  save();  // a restart between failures must not reset the count
  return {};
}

}  // namespace motcua
