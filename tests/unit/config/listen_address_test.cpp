#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace lagwatch::config {
namespace {

struct AddressCase {
  std::string address;
  bool valid;
};

class ListenAddressTest : public ::testing::TestWithParam<AddressCase> {};

TEST_P(ListenAddressTest, AcceptsHostColonPort) {
  EXPECT_EQ(is_valid_listen_address(GetParam().address), GetParam().valid)
      << "input: \"" << GetParam().address << "\"";
}

INSTANTIATE_TEST_SUITE_P(
    Table, ListenAddressTest,
    ::testing::Values(AddressCase{"0.0.0.0:8793", true}, AddressCase{"127.0.0.1:1", true},
                      AddressCase{"localhost:65535", true},
                      AddressCase{"exporter-1.example.internal:8793", true},
                      AddressCase{"[::1]:8793", true}, AddressCase{"[::]:8793", true},
                      AddressCase{"0.0.0.0:0", false}, AddressCase{"0.0.0.0:65536", false},
                      AddressCase{"0.0.0.0:100000", false}, AddressCase{"0.0.0.0:", false},
                      AddressCase{"0.0.0.0:-1", false}, AddressCase{"0.0.0.0:80a", false},
                      AddressCase{":8793", false}, AddressCase{"8793", false},
                      AddressCase{"::1:8793", false}, AddressCase{"[]:8793", false},
                      AddressCase{"host name:8793", false}, AddressCase{"", false}));

}  // namespace
}  // namespace lagwatch::config
