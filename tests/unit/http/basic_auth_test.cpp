// Basic auth against real bcrypt hashes made by libxcrypt, with the verified-password memory and
// the limit on hash checks per second.

#include "http/internal/basic_auth.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace lagwatch::http {
namespace {

using Verdict = BasicAuth::Verdict;
using std::chrono::milliseconds;

// A bcrypt hash of `password` at the lowest cost, so the tests stay fast.
std::string bcrypt(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt), nullptr);
  crypt_data data{};
  const char* hash = crypt_rn(password.c_str(), salt, &data, sizeof data);
  EXPECT_NE(hash, nullptr);
  return hash;
}

BasicCredentials as(std::string user, std::string password) {
  return BasicCredentials{std::move(user), std::move(password)};
}

TEST(Bcrypt, MatchesOnlyItsPassword) {
  const std::string hash = bcrypt("s3cret");
  EXPECT_TRUE(hash.starts_with("$2b$04$"));
  EXPECT_TRUE(bcrypt_matches("s3cret", hash));
  EXPECT_FALSE(bcrypt_matches("s3cret ", hash));
  EXPECT_FALSE(bcrypt_matches("", hash));
  EXPECT_FALSE(bcrypt_matches("s3cret", "$2b$04$not-a-hash"));
  EXPECT_FALSE(bcrypt_matches("s3cret", ""));
}

TEST(BasicAuth, AllowsKnownUsersWithTheirPasswordOnly) {
  BasicAuth auth({{"prometheus", bcrypt("p1")}, {"other", bcrypt("p2")}});
  const auto now = BasicAuth::Clock::now();
  EXPECT_TRUE(auth.enabled());
  EXPECT_EQ(auth.check(as("prometheus", "p1"), now), Verdict::kAllowed);
  EXPECT_EQ(auth.check(as("other", "p2"), now), Verdict::kAllowed);
  EXPECT_EQ(auth.check(as("prometheus", "p2"), now), Verdict::kDenied);
  EXPECT_EQ(auth.check(as("nobody", "p1"), now), Verdict::kDenied);
  EXPECT_EQ(auth.check(as("Prometheus", "p1"), now), Verdict::kDenied);
  EXPECT_EQ(auth.check(std::nullopt, now), Verdict::kDenied);
  EXPECT_FALSE(BasicAuth({}).enabled());
}

TEST(BasicAuth, WrongPasswordsAreThrottledButAKnownGoodOneIsNot) {
  BasicAuth auth({{"prometheus", bcrypt("good")}}, 2);
  const auto t0 = BasicAuth::Clock::now();
  EXPECT_EQ(auth.check(as("prometheus", "good"), t0), Verdict::kAllowed);  // one check
  EXPECT_EQ(auth.check(as("prometheus", "bad"), t0), Verdict::kDenied);    // two
  EXPECT_EQ(auth.check(as("prometheus", "bad"), t0), Verdict::kThrottled);
  EXPECT_EQ(auth.check(as("nobody", "x"), t0 + milliseconds(999)), Verdict::kThrottled);
  // The password verified before needs no hash check.
  EXPECT_EQ(auth.check(as("prometheus", "good"), t0 + milliseconds(999)), Verdict::kAllowed);
  // The next second has checks again.
  EXPECT_EQ(auth.check(as("prometheus", "bad"), t0 + milliseconds(1000)), Verdict::kDenied);
}

TEST(BasicAuth, AChangedPasswordIsCheckedAgain) {
  BasicAuth auth({{"prometheus", bcrypt("new")}});
  const auto now = BasicAuth::Clock::now();
  EXPECT_EQ(auth.check(as("prometheus", "old"), now), Verdict::kDenied);
  EXPECT_EQ(auth.check(as("prometheus", "new"), now), Verdict::kAllowed);
  EXPECT_EQ(auth.check(as("prometheus", "old"), now), Verdict::kDenied);
}

}  // namespace
}  // namespace lagwatch::http
