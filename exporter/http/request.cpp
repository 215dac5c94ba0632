#include "http/request.h"

#include <cstddef>
#include <optional>

namespace lagwatch::http {

namespace {
constexpr std::string_view kGroupPrefix = "/api/v1/groups/";
}  // namespace

Route route(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/metrics") return Route::kMetrics;
  if (path == "/healthz") return Route::kHealthz;
  if (path == "/readyz") return Route::kReadyz;
  if (path == "/") return Route::kRoot;
  if (path == "/api/v1/clusters") return Route::kApiClusters;
  if (path == "/api/v1/groups") return Route::kApiGroups;
  if (path.starts_with(kGroupPrefix)) return Route::kApiGroup;
  return Route::kNotFound;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::optional<GroupTarget> group_target(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (!path.starts_with(kGroupPrefix)) return std::nullopt;
  path.remove_prefix(kGroupPrefix.size());
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view cluster = path.substr(0, slash);
  const std::string_view group = path.substr(slash + 1);
  if (cluster.empty() || group.empty() || group.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  auto decoded_cluster = percent_decode(cluster);
  auto decoded_group = percent_decode(group);
  if (!decoded_cluster || !decoded_group) return std::nullopt;
  return GroupTarget{std::move(*decoded_cluster), std::move(*decoded_group)};
}

bool method_allowed(std::string_view method) { return method == "GET" || method == "HEAD"; }

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> parse_qvalue(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int thousandths = text[0] == '1' ? 1000 : 0;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.') return std::nullopt;
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (!is_digit(c)) return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  if (thousandths > 1000) return std::nullopt;
  return thousandths;
}

// The weight of one list element's parameters ("; q=0.5"), 1000 when none is given; nullopt
// when a q parameter is malformed.
std::optional<int> weight_of(std::string_view parameters) {
  int weight = 1000;
  while (!parameters.empty()) {
    const size_t end = parameters.find(';');
    const std::string_view parameter = trim(parameters.substr(0, end));
    parameters = end == std::string_view::npos ? std::string_view{} : parameters.substr(end + 1);
    if (parameter.size() >= 2 && lower(parameter[0]) == 'q' && parameter[1] == '=') {
      const auto q = parse_qvalue(parameter.substr(2));
      if (!q) return std::nullopt;
      weight = *q;
    } else if (parameter.size() >= 1 && lower(parameter[0]) == 'q' &&
               trim(parameter.substr(1)).starts_with('=')) {
      return std::nullopt;  // "q =": whitespace around '=' is not allowed
    }
  }
  return weight;
}

bool is_token_char(char c) {
  if (is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

}  // namespace

Coding negotiate_coding(std::string_view accept_encoding, bool present) {
  if (!present) return Coding::kIdentity;
  // Weights in thousandths; nullopt: not listed.
  std::optional<int> gzip, identity, any;
  // A coding listed twice takes its lower weight: a refusal is never overridden.
  auto note = [](std::optional<int>& slot, int weight) {
    if (!slot || *slot > weight) slot = weight;
  };
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const size_t semicolon = element.find(';');
    const std::string_view coding = trim(element.substr(0, semicolon));
    if (!is_token(coding)) continue;
    const auto weight = weight_of(
        semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1));
    if (!weight) continue;
    if (equals_ignoring_case(coding, "gzip") || equals_ignoring_case(coding, "x-gzip")) {
      note(gzip, *weight);
    } else if (equals_ignoring_case(coding, "identity")) {
      note(identity, *weight);
    } else if (coding == "*") {
      note(any, *weight);
    }
  }
  const int gzip_weight = gzip.value_or(any.value_or(0));
  // identity takes the weight of "*" when not listed itself; without either it is acceptable
  // but preferred least, below any coding the client listed.
  const int identity_weight = identity.value_or(any.value_or(0));
  return gzip_weight > 0 && gzip_weight >= identity_weight ? Coding::kGzip : Coding::kIdentity;
}

namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding; nullopt on any other character or a wrong length.
std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int values[4];
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + static_cast<size_t>(j)];
      if (c == '=' && last && j >= 2) {
        values[j] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after padding
      values[j] = base64_value(c);
      if (values[j] < 0) return std::nullopt;
    }
    const unsigned bits =
        (static_cast<unsigned>(values[0]) << 18U) | (static_cast<unsigned>(values[1]) << 12U) |
        (static_cast<unsigned>(values[2]) << 6U) | static_cast<unsigned>(values[3]);
    out.push_back(static_cast<char>((bits >> 16U) & 0xFFU));
    if (padding < 2) out.push_back(static_cast<char>((bits >> 8U) & 0xFFU));
    if (padding < 1) out.push_back(static_cast<char>(bits & 0xFFU));
  }
  return out;
}

}  // namespace

std::optional<BasicCredentials> parse_basic_authorization(std::string_view value) {
  value = trim(value);
  const size_t space = value.find_first_of(" \t");
  if (space == std::string_view::npos || !equals_ignoring_case(value.substr(0, space), "basic")) {
    return std::nullopt;
  }
  const auto decoded = decode_base64(trim(value.substr(space)));
  if (!decoded) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace lagwatch::http
