// Every file in testdata/config/bad/ states its expected error on its first line:
//   # expect: {file}:LINE: KEY: MESSAGE
// so a new bad sample needs no code.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

const std::string kBadDir = LAGWATCH_TESTDATA_DIR "/config/bad";

std::vector<std::string> bad_file_names() {
  std::vector<std::string> names;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(kBadDir, ignored)) {
    if (entry.path().extension() == ".toml") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string expected_error(const std::string& path) {
  std::ifstream in(path);
  std::string first_line;
  std::getline(in, first_line);
  const std::string marker = "# expect: ";
  if (first_line.rfind(marker, 0) != 0) {
    return "<no '# expect: ' line in " + path + ">";
  }
  std::string expected = first_line.substr(marker.size());
  const std::string placeholder = "{file}";
  if (const auto at = expected.find(placeholder); at != std::string::npos) {
    expected.replace(at, placeholder.size(), path);
  }
  return expected;
}

class BadFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadFileTest, ReportsTheExpectedError) {
  const std::string path = kBadDir + "/" + GetParam();
  EXPECT_EQ(testing::error_text(load_file(path)), expected_error(path));
}

std::string test_name_of(const ::testing::TestParamInfo<std::string>& file) {
  std::string name = file.param.substr(0, file.param.find('.'));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Samples, BadFileTest, ::testing::ValuesIn(bad_file_names()), test_name_of);

TEST(BadFilesDirectoryTest, HoldsTheSamples) {
  // Guards against a wrong path making the parameterized test above run zero cases.
  EXPECT_GE(bad_file_names().size(), 20u);
}

TEST(LoadFileTest, MissingFileIsAnErrorWithoutLine) {
  const std::string path = kBadDir + "/does-not-exist.toml";
  EXPECT_EQ(testing::error_text(load_file(path)),
            path + ": cannot read config file: No such file or directory");
}

TEST(LoadFileTest, DirectoryIsAnError) {
  EXPECT_EQ(testing::error_text(load_file(kBadDir)),
            kBadDir + ": cannot read config file: Is a directory");
}

}  // namespace
}  // namespace lagwatch::config
