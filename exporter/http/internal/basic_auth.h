#pragma once
// Checks basic auth credentials against bcrypt hashes (libxcrypt's crypt, no crypto of our own).
// bcrypt is slow by design and runs on the serving thread, so two things keep it off the hot
// path: the password last verified for each user is remembered (a scrape with it costs a
// comparison), and hash checks are limited per second, so wrong passwords cannot keep the
// thread busy.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "http/request.h"

namespace lagwatch::http {

class BasicAuth {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Verdict { kAllowed, kDenied, kThrottled };

  // users: name -> bcrypt hash. At most `checks_per_second` hash checks run in any second.
  explicit BasicAuth(std::map<std::string, std::string> users, int checks_per_second = 8);

  bool enabled() const { return !users_.empty(); }
  Verdict check(const std::optional<BasicCredentials>& credentials, Clock::time_point now);

 private:
  struct User {
    std::string hash;
    std::optional<std::string> verified;  // the password last found to match
  };
  bool take_check(Clock::time_point now);

  std::map<std::string, User> users_;
  int checks_per_second_;
  Clock::time_point window_start_{};
  int checks_in_window_ = 0;
};

// Whether `password` matches the bcrypt `hash` (crypt(3) of libxcrypt).
bool bcrypt_matches(const std::string& password, const std::string& hash);

}  // namespace lagwatch::http
