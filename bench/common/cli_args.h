#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lagwatch::bench {

// "--name value" and bare "--flag" options. Readers never fail: a malformed value or an unknown
// option is collected and the caller prints every problem at once through problems().
class CliArgs {
 public:
  CliArgs(int argc, char** argv, int first);

  std::string text(const std::string& name, const std::string& fallback);
  long long integer(const std::string& name, long long fallback, long long min, long long max);
  double number(const std::string& name, double fallback, double min, double max);
  bool flag(const std::string& name);

  // Call after every option has been read, so unknown ones can be named.
  std::vector<std::string> problems() const;

 private:
  void expect_value(const std::string& name);

  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::set<std::string> read_;
  std::vector<std::string> problems_;
};

}  // namespace lagwatch::bench
