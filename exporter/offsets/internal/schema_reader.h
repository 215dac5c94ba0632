#pragma once
// Reads a message whose encoding depends on its version: flexible versions use compact strings,
// arrays and bytes and end every struct with a tagged-field section; older ones use the classic
// int16/int32 length prefixes and have no tagged fields.

#include <cstddef>
#include <optional>
#include <string>

#include "offsets/internal/byte_reader.h"

namespace lagwatch::offsets {

class SchemaReader {
 public:
  SchemaReader(ByteReader& reader, bool flexible) : reader_(reader), flexible_(flexible) {}

  std::string string() { return flexible_ ? reader_.read_compact_string() : reader_.read_string(); }
  std::optional<std::string> nullable_string() {
    return flexible_ ? reader_.read_compact_nullable_string() : reader_.read_nullable_string();
  }
  std::size_t array_count(std::size_t min_element_size) {
    return flexible_ ? reader_.read_compact_array_count(min_element_size)
                     : reader_.read_array_count(min_element_size);
  }
  void skip_bytes() { flexible_ ? reader_.skip_compact_bytes() : reader_.skip_bytes(); }
  void skip_tagged_fields() {
    if (flexible_) reader_.skip_tagged_fields();
  }

  bool flexible() const { return flexible_; }
  ByteReader& raw() { return reader_; }

 private:
  ByteReader& reader_;
  bool flexible_;
};

}  // namespace lagwatch::offsets
