#include "common/cli_args.h"

#include <charconv>

namespace lagwatch::bench {

CliArgs::CliArgs(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      problems_.push_back("unexpected argument: " + arg);
      continue;
    }
    std::string name = arg.substr(2);
    bool next_is_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
    if (next_is_value) {
      values_[name] = argv[++i];
    } else {
      flags_.insert(name);
    }
  }
}

void CliArgs::expect_value(const std::string& name) {
  read_.insert(name);
  if (flags_.count(name) > 0) problems_.push_back("--" + name + " needs a value");
}

std::string CliArgs::text(const std::string& name, const std::string& fallback) {
  expect_value(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long CliArgs::integer(const std::string& name, long long fallback, long long min,
                           long long max) {
  expect_value(name);
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  long long value = 0;
  const std::string& raw = it->second;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec != std::errc() || end != raw.data() + raw.size() || value < min || value > max) {
    problems_.push_back("--" + name + " wants an integer in [" + std::to_string(min) + ", " +
                        std::to_string(max) + "], got " + raw);
    return fallback;
  }
  return value;
}

double CliArgs::number(const std::string& name, double fallback, double min, double max) {
  expect_value(name);
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  double value = 0;
  const std::string& raw = it->second;
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (ec != std::errc() || end != raw.data() + raw.size() || value < min || value > max) {
    problems_.push_back("--" + name + " wants a number in [" + std::to_string(min) + ", " +
                        std::to_string(max) + "], got " + raw);
    return fallback;
  }
  return value;
}

bool CliArgs::flag(const std::string& name) {
  read_.insert(name);
  if (values_.count(name) > 0) problems_.push_back("--" + name + " takes no value");
  return flags_.count(name) > 0;
}

std::vector<std::string> CliArgs::problems() const {
  std::vector<std::string> all = problems_;
  for (const auto& [name, value] : values_) {
    if (read_.count(name) == 0) all.push_back("unknown option --" + name);
  }
  for (const auto& name : flags_) {
    if (read_.count(name) == 0) all.push_back("unknown option --" + name);
  }
  return all;
}

}  // namespace lagwatch::bench
