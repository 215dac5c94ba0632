#include <re2/re2.h>

#include <utility>

#include "config/config.h"

namespace lagwatch::config {
namespace {

// Our own wording: RE2's texts repeat the pattern, and error messages are part of the tested
// interface.
std::string describe_pattern_error(const RE2& regex) {
  switch (regex.error_code()) {
    case RE2::ErrorBadEscape: {
      const std::string& argument = regex.error_arg();
      const bool back_reference = argument.size() == 2 && argument[1] >= '1' && argument[1] <= '9';
      return back_reference ? "invalid escape sequence (RE2 has no back references)"
                            : "invalid escape sequence";
    }
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character range";
    case RE2::ErrorMissingBracket:
      return "unbalanced square brackets";
    case RE2::ErrorMissingParen:
    case RE2::ErrorUnexpectedParen:
      return "unbalanced parentheses";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash";
    case RE2::ErrorRepeatArgument:
      return "repetition operator without anything to repeat";
    case RE2::ErrorRepeatSize:
      return "invalid repetition count in braces";
    case RE2::ErrorRepeatOp:
      return "invalid repetition operator";
    case RE2::ErrorBadPerlOp:
      return "unsupported group syntax (RE2 has no lookahead or lookbehind)";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named group";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "invalid expression";
  }
}

// Compiles every pattern into `out`; stops at the first one that does not compile.
Status compile_all(const std::vector<std::string>& patterns,
                   std::vector<std::shared_ptr<const RE2>>& out) {
  RE2::Options options;
  options.set_log_errors(false);  // the error comes back as a config error instead
  out.reserve(patterns.size());
  for (const std::string& pattern : patterns) {
    auto regex = std::make_shared<const RE2>(pattern, options);
    if (!regex->ok()) {
      return Error(
          0, "invalid regular expression \"" + pattern + "\": " + describe_pattern_error(*regex));
    }
    out.push_back(std::move(regex));
  }
  return {};
}

bool any_matches(const std::vector<std::shared_ptr<const RE2>>& regexes, const std::string& name) {
  for (const auto& regex : regexes) {
    if (RE2::FullMatch(name, *regex)) {
      return true;
    }
  }
  return false;
}

}  // namespace

NameFilter::NameFilter(std::vector<std::string> allow_patterns,
                       std::vector<std::string> deny_patterns)
    : allow_patterns_(std::move(allow_patterns)), deny_patterns_(std::move(deny_patterns)) {
  compiled_ = compile_all(allow_patterns_, allow_) && compile_all(deny_patterns_, deny_);
}

Result<NameFilter> NameFilter::compile(std::vector<std::string> allow_patterns,
                                       std::vector<std::string> deny_patterns) {
  NameFilter filter;
  filter.allow_patterns_ = std::move(allow_patterns);
  filter.deny_patterns_ = std::move(deny_patterns);
  if (auto status = compile_all(filter.allow_patterns_, filter.allow_); !status) {
    return status.error();
  }
  if (auto status = compile_all(filter.deny_patterns_, filter.deny_); !status) {
    return status.error();
  }
  return filter;
}

bool NameFilter::matches(const std::string& name) const {
  if (!compiled_ || any_matches(deny_, name)) {
    return false;
  }
  return allow_.empty() || any_matches(allow_, name);
}

}  // namespace lagwatch::config
