#pragma once
// Minimal structured logging to stderr: "ts=... level=... msg=...". Callers must never pass
// secret values; config values are logged only through the redacted config description.

#include <string_view>

namespace lagwatch::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void set_min_level(Level level);
void write(Level level, std::string_view message);

inline void info(std::string_view message) { write(Level::kInfo, message); }
inline void warn(std::string_view message) { write(Level::kWarn, message); }
inline void error(std::string_view message) { write(Level::kError, message); }

}  // namespace lagwatch::log
