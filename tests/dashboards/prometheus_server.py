"""A real Prometheus (Debian's `prometheus` binary) in its own temp dir on a loopback port,
scraping given targets every second and evaluating given rules every second. Standard library
only; every wait is bounded."""

import json
import pathlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

SCRAPE_INTERVAL = "1s"
# Grafana's $__rate_interval for a 1s scrape interval: max(4 x scrape, $__interval + scrape).
RATE_INTERVAL = "4s"
READY_TIMEOUT_S = 30.0
HTTP_TIMEOUT_S = 10.0
# Short `for:` of the rendered test copy: still exercises pending -> firing.
TEST_FOR = "2s"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout, interval=0.5, message="condition"):
    """First truthy value of predicate(); TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError, KeyError) as error:
            last_error = error
        if time.monotonic() >= deadline:
            raise TimeoutError("%s not reached within %.0fs (last error: %r)"
                               % (message, timeout, last_error))
        time.sleep(interval)


def render_test_rules(text, thresholds):
    """A copy of the rules with every `for:` shortened and per-alert thresholds replaced.

    `thresholds` maps an alert name to (literal in its expr, replacement). A literal that is not
    found raises ValueError, so the test notices when the rules change under it.
    """
    out = []
    alert = None
    pending = dict(thresholds)
    for line in text.splitlines():
        head = re.match(r"\s*-\s*alert:\s*(\S+)", line)
        if head:
            alert = head.group(1)
        if re.match(r"\s*for:\s*\S+\s*$", line):
            line = re.sub(r"for:\s*\S+", "for: " + TEST_FOR, line)
        if alert in pending and re.match(r"\s*expr:", line):
            old, new = pending.pop(alert)
            if old not in line:
                raise ValueError("%s: %r not in %r" % (alert, old, line))
            line = line.replace(old, new)
        out.append(line)
    if pending:
        raise ValueError("alerts not found in the rules: %s" % ", ".join(sorted(pending)))
    return "\n".join(out) + "\n"


class PrometheusServer:
    """Start with start(), query with query()/alerts(), always stop() (or use `with`)."""

    def __init__(self, workdir, targets=(), rules_text=None, job="lagwatch", scrape_configs=None):
        """`targets` make one plain-HTTP job named `job`. `scrape_configs`, a list of whole
        scrape_config entries (dicts: job_name, static_configs, scheme, tls_config, basic_auth,
        ...), replaces that job when given, for targets that need TLS or credentials. Without
        `rules_text` no rule file is loaded."""
        self.workdir = pathlib.Path(workdir)
        self.targets = list(targets)
        self.rules_text = rules_text
        self.job = job
        if scrape_configs is None:
            scrape_configs = [{"job_name": job, "static_configs": [{"targets": self.targets}]}]
        self.scrape_configs = scrape_configs
        self.port = free_port()
        self.process = None
        self._log = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def start(self):
        binary = shutil.which("prometheus")
        if not binary:
            raise RuntimeError("prometheus binary not found (Debian package prometheus)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        rule_files = ""
        if self.rules_text is not None:
            (self.workdir / "rules.yaml").write_text(self.rules_text)
            rule_files = "rule_files: [rules.yaml]\n"
        # JSON is YAML too: any scrape configuration is written without a YAML library.
        (self.workdir / "prometheus.yml").write_text(
            "global:\n"
            "  scrape_interval: %s\n  scrape_timeout: %s\n  evaluation_interval: %s\n"
            "%sscrape_configs: %s\n"
            % (SCRAPE_INTERVAL, SCRAPE_INTERVAL, SCRAPE_INTERVAL, rule_files,
               json.dumps(self.scrape_configs)))
        self._log = open(self.workdir / "prometheus.log", "wb")
        self.process = subprocess.Popen(
            [binary, "--config.file=%s" % (self.workdir / "prometheus.yml"),
             "--storage.tsdb.path=%s" % (self.workdir / "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port,
             "--storage.tsdb.retention.time=1d", "--log.level=warn"],
            cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: self.process.poll() is None and self._get("/-/ready", raw=True),
                       READY_TIMEOUT_S, message="prometheus ready")
        except TimeoutError as error:
            self.stop()
            raise RuntimeError("%s\n%s" % (error, self.log_text())) from error
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self):
        path = self.workdir / "prometheus.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""

    def _get(self, path, params=None, raw=False):
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_S) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
            if raw:
                return None
        return body if raw else json.loads(body)

    def query(self, expr):
        """(status, result list, error text) of an instant query at the current time."""
        answer = self._get("/api/v1/query", {"query": expr})
        if answer.get("status") != "success":
            return "error", [], "%s: %s" % (answer.get("errorType"), answer.get("error"))
        return "success", answer["data"]["result"], ""

    def query_at(self, expr, when):
        """Like query(), at the unix time `when` (so that several queries see one moment)."""
        answer = self._get("/api/v1/query", {"query": expr, "time": "%.3f" % when})
        if answer.get("status") != "success":
            return "error", [], "%s: %s" % (answer.get("errorType"), answer.get("error"))
        return "success", answer["data"]["result"], ""

    def query_range(self, expr, seconds, step="1s"):
        """(status, result matrix, error text) over the last `seconds`, as Grafana evaluates
        annotation queries."""
        end = time.time()
        answer = self._get("/api/v1/query_range", {"query": expr, "start": "%.3f" % (end - seconds),
                                                   "end": "%.3f" % end, "step": step})
        if answer.get("status") != "success":
            return "error", [], "%s: %s" % (answer.get("errorType"), answer.get("error"))
        return "success", answer["data"]["result"], ""

    def alerts(self):
        """Active alerts: [{"labels": {...}, "state": "pending"|"firing", ...}]."""
        return self._get("/api/v1/alerts")["data"]["alerts"]

    def rules_health(self):
        """{rule name: lastError} for every rule whose last evaluation failed."""
        groups = self._get("/api/v1/rules")["data"]["groups"]
        return {rule["name"]: rule.get("lastError") for group in groups
                for rule in group["rules"] if rule.get("health") == "err"}

    def active_targets(self):
        """The active targets as the API gives them: [{"scrapePool", "scrapeUrl", "health",
        "lastError", "labels", ...}]."""
        return self._get("/api/v1/targets")["data"]["activeTargets"]

    def targets_up(self):
        """{scrape url: health} of the active targets."""
        return {target["scrapeUrl"]: target["health"] for target in self.active_targets()}
