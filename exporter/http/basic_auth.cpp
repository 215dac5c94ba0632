#include "http/internal/basic_auth.h"

#include <crypt.h>

#include <memory>

namespace lagwatch::http {
namespace {

bool equal_in_constant_time(const std::string& a, const std::string& b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::string& longer = a.size() >= b.size() ? a : b;
  for (size_t i = 0; i < longer.size(); ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    difference = static_cast<unsigned char>(difference | (x ^ y));
  }
  return difference == 0;
}

// Checked for unknown users, so that they take as long as known ones.
constexpr const char* kDummyHash = "$2b$10$LOFWd7m0i4cot32OBWLOTe8uK8Eh/z70ptm6Uo9HKDGZXocXEYILq";

}  // namespace

bool bcrypt_matches(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();
  const char* result = crypt_rn(password.c_str(), hash.c_str(), data.get(), sizeof *data);
  return result != nullptr && result[0] != '*' && equal_in_constant_time(result, hash);
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, int checks_per_second)
    : checks_per_second_(checks_per_second) {
  for (auto& [name, hash] : users) users_[name] = User{std::move(hash), std::nullopt};
}

bool BasicAuth::take_check(Clock::time_point now) {
  if (now - window_start_ >= std::chrono::seconds(1)) {
    window_start_ = now;
    checks_in_window_ = 0;
  }
  if (checks_in_window_ >= checks_per_second_) return false;
  ++checks_in_window_;
  return true;
}

BasicAuth::Verdict BasicAuth::check(const std::optional<BasicCredentials>& credentials,
                                    Clock::time_point now) {
  if (!credentials) return Verdict::kDenied;
  const auto found = users_.find(credentials->user);
  if (found != users_.end() && found->second.verified &&
      equal_in_constant_time(*found->second.verified, credentials->password)) {
    return Verdict::kAllowed;
  }
  if (!take_check(now)) return Verdict::kThrottled;
  if (found == users_.end()) {
    bcrypt_matches(credentials->password, kDummyHash);
    return Verdict::kDenied;
  }
  if (!bcrypt_matches(credentials->password, found->second.hash)) return Verdict::kDenied;
  found->second.verified = credentials->password;
  return Verdict::kAllowed;
}

}  // namespace lagwatch::http
