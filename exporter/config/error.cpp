#include "config/config.h"

namespace lagwatch::config {

std::string Error::to_string() const {
  std::string text = file;
  if (line > 0) {
    text += ':';
    text += std::to_string(line);
  }
  text += ": ";
  if (!key.empty()) {
    text += key;
    text += ": ";
  }
  text += message;
  return text;
}

}  // namespace lagwatch::config
