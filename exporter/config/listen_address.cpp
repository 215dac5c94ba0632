#include <charconv>
#include <string_view>

#include "config/config.h"

namespace lagwatch::config {
namespace {

bool is_valid_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  unsigned port = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return port >= 1 && port <= 65535;
}

bool is_valid_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    const std::string_view ipv6 = host.substr(1, host.size() - 2);
    return !ipv6.empty() &&
           ipv6.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  }
  // Host names and IPv4 addresses; a bare ':' here would mean an unbracketed IPv6 address, whose
  // port cannot be told apart from its last group.
  return !host.empty() &&
         host.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
             std::string_view::npos;
}

}  // namespace

bool is_valid_listen_address(const std::string& address) {
  const std::string_view view = address;
  const auto colon = view.rfind(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  return is_valid_host(view.substr(0, colon)) && is_valid_port(view.substr(colon + 1));
}

}  // namespace lagwatch::config
