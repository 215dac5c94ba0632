/* CivetWeb alone, serving a 100 KB /metrics, with any CivetWeb options given as key=value
 * arguments: how its own settings fare against bench/http/abuse.py. Not part of the build.
 *   cc -O2 bench/http/civetweb_probe.c -o /tmp/civetweb_probe -lcivetweb
 *   /tmp/civetweb_probe listening_ports=127.0.0.1:18794 num_threads=700 tcp_nodelay=1 &
 *   bench/http/abuse.py --port 18794 --pid $!
 */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static char body[100000];
static int h(struct mg_connection* c, void* u) {
  (void)u;
  mg_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n",
            sizeof body);
  mg_write(c, body, sizeof body);
  return 200;
}
int main(int argc, char** argv) {
  memset(body, 'x', sizeof body);
  const char* opts[64];
  int n = 0;
  for (int i = 1; i < argc && n < 60; ++i) {
    char* eq = strchr(argv[i], '=');
    if (eq == NULL) {
      fprintf(stderr, "expected key=value: %s\n", argv[i]);
      return 2;
    }
    *eq = 0;
    opts[n++] = argv[i];
    opts[n++] = eq + 1;
  }
  opts[n] = NULL;
  mg_init_library(0);
  struct mg_callbacks cb;
  memset(&cb, 0, sizeof cb);
  struct mg_context* ctx = mg_start(&cb, NULL, opts);
  if (!ctx) {
    fprintf(stderr, "start failed\n");
    return 1;
  }
  mg_set_request_handler(ctx, "/metrics", h, NULL);
  pause();
}
