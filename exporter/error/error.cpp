#include "error/result.h"

namespace lagwatch {

std::string Error::to_string() const {
  if (!where) return code == 0 ? message : message + " (code " + std::to_string(code) + ")";
  std::string text = where->file;
  if (where->line > 0) text += ':' + std::to_string(where->line);
  text += ": ";
  if (!where->key.empty()) text += where->key + ": ";
  return text + message;
}

}  // namespace lagwatch
