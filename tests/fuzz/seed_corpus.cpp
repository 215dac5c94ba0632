// Writes the unit tests' hand-built records, framed for the fuzz target, one file per record into
// the directory given as the only argument.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "fuzz_framing.h"
#include "sample_records.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <corpus-dir>\n";
    return 2;
  }
  const std::filesystem::path directory(argv[1]);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    std::cerr << "cannot create " << directory << ": " << error.message() << "\n";
    return 1;
  }
  for (const auto& sample : lagwatch::offsets::testing::all_sample_records()) {
    const auto bytes = lagwatch::offsets::fuzz::frame(sample.key, sample.value);
    std::ofstream out(directory / sample.name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::cerr << "cannot write " << (directory / sample.name) << "\n";
      return 1;
    }
  }
  return 0;
}
