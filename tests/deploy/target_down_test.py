#!/usr/bin/env python3
"""The chart's own target-down alert fires on a real Prometheus.

Renders the chart with a ServiceMonitor and a PrometheusRule (the `for:` of the two alerts under
test shortened through prometheusRule.alertOverrides, never by editing the defaults), derives
the job label the Prometheus Operator would give the ServiceMonitor's targets from the rendered
Service and ServiceMonitor (not from the chart's helpers), and runs Debian's real `prometheus`
with the rendered rules, scraping a real lagwatch under that job name. lagwatch is then
stopped: LagwatchTargetDown (and LagwatchAbsent) must fire for it. Run once with the default
job (the Service's name) and once with serviceMonitor.jobLabel.

    target_down_test.py --helm HELM --lagwatch-bin BIN

Needs PyYAML. Prints one line per check; exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "dashboards"))

from prometheus_server import PrometheusServer, free_port, wait_until  # noqa: E402

CHART = REPO / "helm" / "lagwatch"
RELEASE = "prod-kafka"
NAMESPACE = "monitoring"
ALERT_TIMEOUT_S = 60.0
START_TIMEOUT_S = 30.0
SHORT_FOR = "2s"


def render(helm: str, extra: list[str]) -> list[dict]:
    command = [helm, "template", RELEASE, str(CHART), "--namespace", NAMESPACE,
               "--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true",
               "--set", f"prometheusRule.alertOverrides.LagwatchTargetDown.for={SHORT_FOR}",
               "--set", f"prometheusRule.alertOverrides.LagwatchAbsent.for={SHORT_FOR}", *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def operator_job(docs: list[dict]) -> str:
    """The job label of the ServiceMonitor's targets, as the Prometheus Operator sets it: the
    Service's name, replaced by the value of the Service's label named by jobLabel if that
    label is set."""
    service = next(d for d in docs if d["kind"] == "Service")
    monitor = next(d for d in docs if d["kind"] == "ServiceMonitor")
    job = service["metadata"]["name"]
    job_label = monitor["spec"].get("jobLabel")
    if job_label and service["metadata"].get("labels", {}).get(job_label):
        job = service["metadata"]["labels"][job_label]
    return job


def lagwatch_config(path: Path, port: int) -> None:
    # Kafka is not needed: lagwatch serves /metrics (lagwatch_up 0) whatever the cluster does.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_kafka = probe.getsockname()[1]
    path.write_text(f"""[server]
listen_address = "127.0.0.1:{port}"

[poll]
interval = "1s"
request_timeout = "1s"

[[clusters]]
name = "kafka"
bootstrap_servers = "127.0.0.1:{dead_kafka}"
""")


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def expect(self, condition: bool, what: str) -> None:
        if condition:
            self.passed += 1
            print(f"OK   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}")


def states(prometheus: PrometheusServer, name: str, job: str) -> set[str]:
    return {a["state"] for a in prometheus.alerts()
            if a["labels"].get("alertname") == name and a["labels"].get("job") == job}


def run_case(checks: Checks, helm: str, binary: str, workdir: Path, label: str,
             extra: list[str]) -> None:
    docs = render(helm, extra)
    job = operator_job(docs)
    rule = next(d for d in docs if d["kind"] == "PrometheusRule")
    rules = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"] if r.get("alert")}
    checks.expect(f'job="{job}"' in rules["LagwatchTargetDown"]["expr"],
                  f"{label}: LagwatchTargetDown selects job {job}: {rules['LagwatchTargetDown']['expr']}")
    checks.expect(rules["LagwatchTargetDown"]["for"] == SHORT_FOR,
                  f"{label}: alertOverrides set for: {SHORT_FOR}")
    port = free_port()
    config = workdir / "lagwatch.toml"
    lagwatch_config(config, port)
    target = f"127.0.0.1:{port}"
    with open(workdir / "lagwatch.log", "wb") as log:
        process = subprocess.Popen([binary, "--config", str(config)], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            rules_text = yaml.safe_dump({"groups": rule["spec"]["groups"]})
            with PrometheusServer(workdir / "prometheus", [target], rules_text, job=job) as prom:
                up = wait_until(lambda: prom.query('up{job="%s"} == 1' % job)[1], START_TIMEOUT_S,
                                message="lagwatch scraped as job " + job)
                checks.expect(bool(up), f"{label}: Prometheus scrapes lagwatch as job {job}")
                # Several evaluations with the target up: the alert must stay quiet.
                time.sleep(3)
                checks.expect(not states(prom, "LagwatchTargetDown", job),
                              f"{label}: LagwatchTargetDown quiet while lagwatch runs")
                process.terminate()
                process.wait(timeout=15)
                for name in ("LagwatchTargetDown", "LagwatchAbsent"):
                    try:
                        wait_until(lambda: "firing" in states(prom, name, job), ALERT_TIMEOUT_S,
                                   message=name + " firing")
                        fired = True
                    except TimeoutError:
                        fired = False
                    checks.expect(fired, f"{label}: {name} fires for job {job} once lagwatch stops")
                firing = [a for a in prom.alerts() if a["labels"].get("alertname") ==
                          "LagwatchTargetDown" and a["state"] == "firing"]
                checks.expect(any(a["labels"].get("instance") == target for a in firing),
                              f"{label}: LagwatchTargetDown names instance {target}")
                checks.expect(all(a["annotations"].get("runbook_url", "").endswith(
                    "#lagwatchtargetdown") for a in firing), f"{label}: runbook_url set")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helm", required=True)
    parser.add_argument("--lagwatch-bin", required=True)
    options = parser.parse_args()
    checks = Checks()
    cases = {
        "default job": [],
        "jobLabel": ["--set", "serviceMonitor.jobLabel=app.kubernetes.io/name"],
    }
    with tempfile.TemporaryDirectory(prefix="lagwatch-target-down-") as scratch:
        for index, (label, extra) in enumerate(cases.items()):
            workdir = Path(scratch) / str(index)
            workdir.mkdir()
            run_case(checks, options.helm, options.lagwatch_bin, workdir, label, extra)
    print(f"target down: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
