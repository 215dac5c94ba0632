// Table tests of the pure request decisions: which endpoint a target names, which methods are
// served and which content coding an Accept-Encoding value asks for.

#include "http/request.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace lagwatch::http {
namespace {

struct RouteCase {
  std::string target;
  Route expected;
};

class RouteTest : public ::testing::TestWithParam<RouteCase> {};

TEST_P(RouteTest, NamesOnlyTheDocumentedPaths) {
  EXPECT_EQ(route(GetParam().target), GetParam().expected) << "target: " << GetParam().target;
}

INSTANTIATE_TEST_SUITE_P(
    Targets, RouteTest,
    ::testing::Values(
        RouteCase{"/metrics", Route::kMetrics}, RouteCase{"/healthz", Route::kHealthz},
        RouteCase{"/readyz", Route::kReadyz}, RouteCase{"/", Route::kRoot},
        RouteCase{"/metrics?", Route::kMetrics}, RouteCase{"/metrics?name[]=up", Route::kMetrics},
        RouteCase{"/?x", Route::kRoot}, RouteCase{"/metricsfoo", Route::kNotFound},
        RouteCase{"/metrics/", Route::kNotFound}, RouteCase{"/metrics%00.html", Route::kNotFound},
        RouteCase{std::string("/metrics\0.html", 14), Route::kNotFound},
        RouteCase{std::string("/metrics\0", 9), Route::kNotFound},
        RouteCase{"/metrics#x", Route::kNotFound}, RouteCase{"/Metrics", Route::kNotFound},
        RouteCase{"/METRICS", Route::kNotFound}, RouteCase{"/%6detrics", Route::kNotFound},
        RouteCase{"//metrics", Route::kNotFound}, RouteCase{"/./metrics", Route::kNotFound},
        RouteCase{"/metrics/..", Route::kNotFound}, RouteCase{"metrics", Route::kNotFound},
        RouteCase{"http://localhost/metrics", Route::kNotFound}, RouteCase{"*", Route::kNotFound},
        RouteCase{"", Route::kNotFound}, RouteCase{"?", Route::kNotFound},
        RouteCase{"/index.html", Route::kNotFound}, RouteCase{"/healthz/", Route::kNotFound},
        RouteCase{"/readyz.json", Route::kNotFound}, RouteCase{" /metrics", Route::kNotFound},
        RouteCase{"/metrics ", Route::kNotFound},
        RouteCase{std::string(40000, '/'), Route::kNotFound},
        RouteCase{"/api/v1/clusters", Route::kApiClusters},
        RouteCase{"/api/v1/groups", Route::kApiGroups},
        RouteCase{"/api/v1/groups?x=1", Route::kApiGroups},
        RouteCase{"/api/v1/groups/", Route::kApiGroup},
        RouteCase{"/api/v1/groups/c/g", Route::kApiGroup},
        RouteCase{"/api/v1/clusters/", Route::kNotFound},
        RouteCase{"/api/v1/groups%2Fc", Route::kNotFound}, RouteCase{"/api/v1", Route::kNotFound},
        RouteCase{"/api/v2/groups", Route::kNotFound}));

TEST(GroupTarget, DecodesEachSegment) {
  const auto target = group_target("/api/v1/groups/prod%2Feu/my%20group%00%FF+x?ignored=1");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->cluster, "prod/eu");
  EXPECT_EQ(target->group, std::string("my group\0\xFF+x", 12));
  const auto plain = group_target("/api/v1/groups/c/g");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->cluster, "c");
  EXPECT_EQ(plain->group, "g");
}

TEST(GroupTarget, RefusesOtherShapesAndBadEscapes) {
  for (const std::string_view bad :
       {"/api/v1/groups/", "/api/v1/groups/c", "/api/v1/groups/c/", "/api/v1/groups//g",
        "/api/v1/groups/c/g/h", "/api/v1/groups/c/%", "/api/v1/groups/c/%4", "/api/v1/groups/c/%zz",
        "/api/v1/groups/%g1/g", "/api/v1/clusters/c/g"}) {
    EXPECT_FALSE(group_target(bad)) << bad;
  }
}

TEST(PercentEncoding, EveryByteRoundTrips) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  const std::string encoded = percent_encode(every_byte);
  EXPECT_EQ(encoded.find('/'), std::string::npos);
  EXPECT_EQ(encoded.find('?'), std::string::npos);
  EXPECT_EQ(percent_decode(encoded), every_byte);
  EXPECT_EQ(percent_encode("a-b_c.d~e f/"), "a-b_c.d~e%20f%2F");
  const auto target =
      group_target("/api/v1/groups/" + percent_encode("c/1") + "/" + percent_encode(every_byte));
  ASSERT_TRUE(target);
  EXPECT_EQ(target->cluster, "c/1");
  EXPECT_EQ(target->group, every_byte);
}

TEST(MethodAllowed, OnlyGetAndHeadExactly) {
  EXPECT_TRUE(method_allowed("GET"));
  EXPECT_TRUE(method_allowed("HEAD"));
  for (std::string_view method : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
                                  "get", "Head", "GET ", "", "GETX"}) {
    EXPECT_FALSE(method_allowed(method)) << method;
  }
}

struct CodingCase {
  std::string value;
  Coding expected;
};

class CodingTest : public ::testing::TestWithParam<CodingCase> {};

TEST_P(CodingTest, FollowsRfc9110) {
  EXPECT_EQ(negotiate_coding(GetParam().value), GetParam().expected)
      << "Accept-Encoding: " << GetParam().value;
}

constexpr Coding kGzip = Coding::kGzip;
constexpr Coding kIdentity = Coding::kIdentity;

INSTANTIATE_TEST_SUITE_P(
    Values, CodingTest,
    ::testing::Values(
        // Plain lists; tokens are case-insensitive, whitespace around elements is optional.
        CodingCase{"gzip", kGzip}, CodingCase{"GZIP", kGzip}, CodingCase{"GZip", kGzip},
        CodingCase{"x-gzip", kGzip}, CodingCase{"gzip, deflate, br", kGzip},
        CodingCase{"br,gzip", kGzip}, CodingCase{"  gzip  ", kGzip},
        CodingCase{"deflate ,\tgzip", kGzip}, CodingCase{",,gzip,,", kGzip},
        // Substrings are not gzip.
        CodingCase{"notgzip", kIdentity}, CodingCase{"gzipx", kIdentity},
        CodingCase{"gzip2", kIdentity}, CodingCase{"x-gzip-no", kIdentity},
        CodingCase{"deflate, br", kIdentity}, CodingCase{"", kIdentity},
        CodingCase{"identity", kIdentity}, CodingCase{"\"gzip\"", kIdentity},
        // q-values: 0 refuses; the highest weight wins; gzip wins a tie with identity.
        CodingCase{"gzip;q=0", kIdentity}, CodingCase{"gzip; q=0", kIdentity},
        CodingCase{"gzip ; Q=0", kIdentity}, CodingCase{"gzip;q=0.0", kIdentity},
        CodingCase{"gzip;q=0.000", kIdentity}, CodingCase{"gzip;q=0.001", kGzip},
        CodingCase{"gzip;q=0.5", kGzip}, CodingCase{"gzip;q=1", kGzip},
        CodingCase{"gzip;q=1.000", kGzip}, CodingCase{"gzip;q=1.0, identity;q=1", kGzip},
        CodingCase{"gzip;q=0.5, identity;q=0.8", kIdentity},
        CodingCase{"gzip;q=0.8, identity;q=0.5", kGzip}, CodingCase{"identity;q=0.9, gzip", kGzip},
        CodingCase{"gzip;q=0, gzip;q=0", kIdentity}, CodingCase{"gzip, gzip;q=0", kIdentity},
        CodingCase{"GZIP;q=0, x-gzip", kIdentity},
        // Invalid weights make the element void, not gzip.
        CodingCase{"gzip;q=2", kIdentity}, CodingCase{"gzip;q=1.5", kIdentity},
        CodingCase{"gzip;q=0.0001", kIdentity}, CodingCase{"gzip;q=-1", kIdentity},
        CodingCase{"gzip;q=", kIdentity}, CodingCase{"gzip;q=abc", kIdentity},
        CodingCase{"gzip;q=.5", kIdentity}, CodingCase{"gzip;q=0.5x", kIdentity},
        CodingCase{"gzip;q=0 5", kIdentity}, CodingCase{"gzip;", kGzip},
        CodingCase{"gzip;level=9", kGzip}, CodingCase{"gzip;level=9;q=0", kIdentity},
        // The wildcard covers every coding not listed.
        CodingCase{"*", kGzip}, CodingCase{"*;q=0.5", kGzip}, CodingCase{"*;q=0", kIdentity},
        CodingCase{"gzip;q=0, *", kIdentity}, CodingCase{"*, gzip;q=0", kIdentity},
        CodingCase{"*;q=0, gzip", kGzip}, CodingCase{"*;q=0, identity", kIdentity},
        CodingCase{"identity;q=0.5, *;q=0.4", kIdentity},
        CodingCase{"identity;q=0.4, *;q=0.5", kGzip},
        // Nothing acceptable: identity anyway.
        CodingCase{"identity;q=0", kIdentity}, CodingCase{"identity;q=0, *;q=0", kIdentity},
        CodingCase{"br, identity;q=0", kIdentity}, CodingCase{"gzip, identity;q=0", kGzip}));

TEST(NegotiateCoding, AbsentFieldMeansIdentity) {
  EXPECT_EQ(negotiate_coding("", false), Coding::kIdentity);
  EXPECT_EQ(negotiate_coding("gzip", false), Coding::kIdentity);
}

TEST(NegotiateCoding, LongValuesAreLinear) {
  std::string value;
  for (int i = 0; i < 20000; ++i) value += "br;q=0.5, ";
  EXPECT_EQ(negotiate_coding(value + "gzip"), Coding::kGzip);
  EXPECT_EQ(negotiate_coding(std::string(100000, ',')), Coding::kIdentity);
  EXPECT_EQ(negotiate_coding(std::string(100000, ';')), Coding::kIdentity);
}

struct AuthorizationCase {
  std::string value;
  std::optional<BasicCredentials> expected;
};

class AuthorizationTest : public ::testing::TestWithParam<AuthorizationCase> {};

TEST_P(AuthorizationTest, DecodesOnlyWellFormedBasicCredentials) {
  const auto got = parse_basic_authorization(GetParam().value);
  ASSERT_EQ(got.has_value(), GetParam().expected.has_value()) << GetParam().value;
  if (got) {
    EXPECT_EQ(got->user, GetParam().expected->user) << GetParam().value;
    EXPECT_EQ(got->password, GetParam().expected->password) << GetParam().value;
  }
}

BasicCredentials creds(std::string user, std::string password) {
  return BasicCredentials{std::move(user), std::move(password)};
}

INSTANTIATE_TEST_SUITE_P(
    Values, AuthorizationTest,
    ::testing::Values(
        // "alice:secret", "alice:", ":x", "a:b:c", "user" (no colon), "ab:c" (one padding)
        AuthorizationCase{"Basic YWxpY2U6c2VjcmV0", creds("alice", "secret")},
        AuthorizationCase{"basic YWxpY2U6c2VjcmV0", creds("alice", "secret")},
        AuthorizationCase{"BASIC   YWxpY2U6c2VjcmV0  ", creds("alice", "secret")},
        AuthorizationCase{"Basic YWxpY2U6", creds("alice", "")},
        AuthorizationCase{"Basic Ong=", creds("", "x")},
        AuthorizationCase{"Basic YTpiOmM=", creds("a", "b:c")},
        AuthorizationCase{"Basic YWI6Yw==", creds("ab", "c")},
        AuthorizationCase{"Basic dXNlcg==", std::nullopt},
        AuthorizationCase{"Basic YWxpY2U6c2VjcmV0=", std::nullopt},
        AuthorizationCase{"Basic YWxpY2U6c2VjcmV", std::nullopt},
        AuthorizationCase{"Basic YW=pY2U6", std::nullopt},
        AuthorizationCase{"Basic YWxpY2U6c2VjcmV0!!!!", std::nullopt},
        AuthorizationCase{"Basic", std::nullopt}, AuthorizationCase{"Basic ", std::nullopt},
        AuthorizationCase{"", std::nullopt},
        AuthorizationCase{"Bearer YWxpY2U6c2VjcmV0", std::nullopt},
        AuthorizationCase{"BasicYWxpY2U6c2VjcmV0", std::nullopt},
        AuthorizationCase{"Basic YWxp Y2U6c2VjcmV0", std::nullopt},
        AuthorizationCase{"Basic ====", std::nullopt}));

}  // namespace
}  // namespace lagwatch::http
