// toml++ is used through its headers with TOML_HEADER_ONLY=0; its implementation is compiled
// here, once, instead of in every file that includes it.
#define TOML_IMPLEMENTATION
#include <toml++/toml.hpp>
