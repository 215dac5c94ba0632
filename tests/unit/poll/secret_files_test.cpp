// Rotated secret files: a changed file gives its new value and names the path; an unchanged or
// unreadable one keeps the value in use.

#include "poll/internal/secret_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lagwatch::poll {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

TEST(RereadSecretFiles, TakesChangedFilesOnly) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "secret_files_test";
  std::filesystem::create_directories(dir);
  const auto password = dir / "password";
  write(password, "old\n");
  config::ClusterConfig cluster;
  config::PropertyValue from_file;
  from_file.source = config::PropertyValue::Source::kFile;
  from_file.reference = password.string();
  from_file.value = "old";
  from_file.secret = true;
  cluster.librdkafka["sasl.password"] = from_file;
  config::PropertyValue inline_value;
  inline_value.value = "SASL_SSL";
  cluster.librdkafka["security.protocol"] = inline_value;

  EXPECT_TRUE(reread_secret_files(cluster).empty());
  write(password, "new\n");
  EXPECT_EQ(reread_secret_files(cluster), std::vector<std::string>{password.string()});
  EXPECT_EQ(cluster.librdkafka["sasl.password"].value, "new");
  EXPECT_TRUE(reread_secret_files(cluster).empty());
  std::filesystem::remove(password);
  EXPECT_TRUE(reread_secret_files(cluster).empty());
  EXPECT_EQ(cluster.librdkafka["sasl.password"].value, "new");
  EXPECT_EQ(cluster.librdkafka["security.protocol"].value, "SASL_SSL");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lagwatch::poll
