// GCC 12 with -fsanitize=address reports -Wmaybe-uninitialized inside libstdc++'s regex compiler
// (std::function moved within _NFA::_M_insert_subexpr_end): a false positive in the library that
// would break -Werror sanitizer builds. Silenced for this file only, which is the one that
// instantiates the regex compiler.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <utility>

#include "config/config.h"

namespace lagwatch::config {
namespace {

// Our own wording: the standard library's what() texts differ between implementations and
// versions, and error messages are part of the tested interface.
std::string describe_regex_error(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_collate:
      return "invalid collating element name";
    case rc::error_ctype:
      return "invalid character class name";
    case rc::error_escape:
      return "invalid escape sequence";
    case rc::error_backref:
      return "invalid back reference";
    case rc::error_brack:
      return "unbalanced square brackets";
    case rc::error_paren:
      return "unbalanced parentheses or unsupported group";
    case rc::error_brace:
      return "unbalanced braces";
    case rc::error_badbrace:
      return "invalid repetition count in braces";
    case rc::error_range:
      return "invalid character range";
    case rc::error_space:
      return "out of memory compiling the expression";
    case rc::error_badrepeat:
      return "repetition operator without anything to repeat";
    case rc::error_complexity:
      return "expression too complex";
    case rc::error_stack:
      return "expression too complex";
    default:
      return "invalid expression";
  }
}

// Compiles every pattern into `out`; on failure returns the index of the first bad one.
std::optional<std::pair<std::size_t, std::string>> compile_all(
    const std::vector<std::string>& patterns, std::vector<std::regex>& out) {
  out.reserve(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    try {
      out.emplace_back(patterns[i], std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      return std::pair{i, describe_regex_error(error.code())};
    }
  }
  return std::nullopt;
}

bool any_matches(const std::vector<std::regex>& regexes, const std::string& name) {
  for (const auto& regex : regexes) {
    if (std::regex_match(name, regex)) {
      return true;
    }
  }
  return false;
}

}  // namespace

NameFilter::NameFilter(std::vector<std::string> allow_patterns,
                       std::vector<std::string> deny_patterns)
    : allow_patterns_(std::move(allow_patterns)), deny_patterns_(std::move(deny_patterns)) {
  compiled_ = !compile_all(allow_patterns_, allow_) && !compile_all(deny_patterns_, deny_);
}

std::variant<NameFilter, PatternError> NameFilter::compile(std::vector<std::string> allow_patterns,
                                                           std::vector<std::string> deny_patterns) {
  NameFilter filter;
  filter.allow_patterns_ = std::move(allow_patterns);
  filter.deny_patterns_ = std::move(deny_patterns);
  if (auto bad = compile_all(filter.allow_patterns_, filter.allow_)) {
    return PatternError{false, bad->first, std::move(bad->second)};
  }
  if (auto bad = compile_all(filter.deny_patterns_, filter.deny_)) {
    return PatternError{true, bad->first, std::move(bad->second)};
  }
  return filter;
}

bool NameFilter::matches(const std::string& name) const {
  if (!compiled_) {
    return false;
  }
  try {
    if (any_matches(deny_, name)) {
      return false;
    }
    return allow_.empty() || any_matches(allow_, name);
  } catch (const std::regex_error&) {
    // libstdc++ gives up on some pathological pattern/name pairs; excluding the name fails closed.
    return false;
  }
}

}  // namespace lagwatch::config
