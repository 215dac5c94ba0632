#pragma once
// Structured logging to stderr, one line per event, as logfmt ("ts=... level=... msg=...") or
// JSON ({"ts":...,"level":...,"msg":...}). Events below the minimum level are dropped before
// anything is formatted. Callers must never pass secret values; config values are logged only
// through the redacted config description.

#include <cstdio>
#include <initializer_list>
#include <string_view>

#include "log/format.h"

namespace lagwatch::log {

// Both take effect for every later event, from any thread.
void set_min_level(Level level);
void set_format(Format format);
// Where lines go (stderr unless changed); for tests. The stream is not closed.
void set_output(std::FILE* stream);

// True when an event of `level` would be written: check it before building an expensive message.
bool enabled(Level level);

// `fields` follow ts, level and msg, in order (e.g. {"facility", "FAIL"}).
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view message) { write(Level::kDebug, message); }
inline void info(std::string_view message) { write(Level::kInfo, message); }
inline void warn(std::string_view message) { write(Level::kWarn, message); }
inline void error(std::string_view message) { write(Level::kError, message); }

}  // namespace lagwatch::log
