// The writer as the daemon uses it: events go to stderr, one line each, and read back exactly.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "line_reader.h"
#include "log/log.h"

namespace lagwatch::log {
namespace {

// Redirects file descriptor 2 into a temporary file for the test's lifetime.
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()), saved_(dup(2)) {
    std::fflush(stderr);
    dup2(fileno(file_), 2);
  }
  ~StderrCapture() {
    restore();
    std::fclose(file_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string text() {
    std::fflush(stderr);
    std::string out;
    std::rewind(file_);
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) out.append(buffer, n);
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

TEST(LogWrite, MessageWithQuoteReadsBackFromStderr) {
  set_min_level(Level::kInfo);
  StderrCapture capture;
  info(R"(group "orders" said "hi")");
  const auto pairs = testing::read_logfmt(capture.text());
  ASSERT_TRUE(pairs.has_value()) << capture.text();
  EXPECT_EQ(testing::value_of(*pairs, "msg"), R"(group "orders" said "hi")");
  EXPECT_EQ(testing::value_of(*pairs, "level"), "info");
}

TEST(LogWrite, MessageWithNewlineStaysOneLine) {
  set_min_level(Level::kInfo);
  StderrCapture capture;
  warn("first\nsecond");
  const std::string text = capture.text();
  const auto pairs = testing::read_logfmt(text);
  ASSERT_TRUE(pairs.has_value()) << text;
  EXPECT_EQ(testing::value_of(*pairs, "msg"), "first\nsecond");
}

TEST(LogWrite, EventsBelowTheMinimumLevelAreDropped) {
  set_min_level(Level::kWarn);
  StderrCapture capture;
  info("not shown");
  error("shown");
  set_min_level(Level::kInfo);
  const std::string text = capture.text();
  const auto pairs = testing::read_logfmt(text);
  ASSERT_TRUE(pairs.has_value()) << text;
  EXPECT_EQ(testing::value_of(*pairs, "msg"), "shown");
  EXPECT_EQ(testing::value_of(*pairs, "level"), "error");
}

}  // namespace
}  // namespace lagwatch::log
