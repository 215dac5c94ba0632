#include "config/sections.h"

namespace lagwatch::config::detail {

Status parse_server(const TableReader& root, Config& config) {
  std::optional<TableReader> server;
  if (auto error = root.read_table("server", server); !error) {
    return error;
  }
  if (!server) {
    return {};
  }
  if (auto error =
          server->reject_unknown_keys({"listen_address", "web_config_file", "readiness_grace"});
      !error) {
    return error;
  }
  if (auto error =
          server->read_duration("readiness_grace", Duration::zero(), config.readiness_grace);
      !error) {
    return error;
  }
  if (auto error = server->read_string("web_config_file", config.web_config_file); !error) {
    return error;
  }
  if (auto error = server->read_string("listen_address", config.listen_address); !error) {
    return error;
  }
  if (!is_valid_listen_address(config.listen_address)) {
    return server->error_at(*server->find("listen_address"), server->key_path("listen_address"),
                            "invalid listen address \"" + config.listen_address +
                                "\": expected host:port with port 1-65535");
  }
  return {};
}

}  // namespace lagwatch::config::detail
