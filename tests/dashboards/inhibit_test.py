#!/usr/bin/env python3
"""The inhibit rules documented in docs/runbooks.md, on a real Alertmanager (Debian's
prometheus-alertmanager, loopback port, gossip off).

The YAML block of the "Inhibition" section is taken from the document itself, checked with
`amtool check-config`, and loaded; then the alerts an abandoned group and an unreachable
cluster raise are posted. The consequences must be inhibited, the causes and the alerts of
other groups and clusters must not.

    inhibit_test.py        exit 0 when every check passed
"""

import datetime
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

from prometheus_server import free_port, wait_until

REPO = pathlib.Path(__file__).resolve().parents[2]
RUNBOOKS = REPO / "docs" / "runbooks.md"
TIMEOUT_S = 30.0

# (alert labels, inhibited?)
ALERTS = [
    # An abandoned group: only the missing consumers are news.
    ({"alertname": "LagwatchGroupWithoutMembers", "kafka_cluster": "prod", "group": "gone"}, False),
    ({"alertname": "LagwatchConsumerLagHigh", "kafka_cluster": "prod", "group": "gone"}, True),
    ({"alertname": "LagwatchConsumerLagCritical", "kafka_cluster": "prod", "group": "gone"}, True),
    ({"alertname": "LagwatchConsumerGroupUnhealthy", "kafka_cluster": "prod", "group": "gone"}, True),
    # Another group of the same cluster, merely slow: nothing inhibits it.
    ({"alertname": "LagwatchConsumerLagHigh", "kafka_cluster": "prod", "group": "slow"}, False),
    # The same group name on another cluster is another group.
    ({"alertname": "LagwatchConsumerLagCritical", "kafka_cluster": "dev", "group": "gone"}, False),
    # A cluster that cannot be polled: its data is stale because of it.
    ({"alertname": "LagwatchClusterPollFailing", "kafka_cluster": "prod"}, False),
    ({"alertname": "LagwatchDataStale", "kafka_cluster": "prod"}, True),
    ({"alertname": "LagwatchDataStale", "kafka_cluster": "dev"}, False),
]


def documented_inhibit_rules():
    text = RUNBOOKS.read_text()
    section = text[text.index("## Inhibition"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    if not block or "inhibit_rules:" not in block.group(1):
        raise ValueError("no inhibit_rules YAML block in the Inhibition section of docs/runbooks.md")
    return block.group(1)


def request(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def main():
    binary = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    amtool = shutil.which("amtool")
    if not binary or not amtool:
        print("FAIL prometheus-alertmanager / amtool not found (Debian package prometheus-alertmanager)")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="lagwatch-inhibit-") as tmp:
        config = pathlib.Path(tmp) / "alertmanager.yml"
        config.write_text("route:\n  receiver: discard\n  group_by: [alertname]\n"
                          "receivers:\n  - name: discard\n" + documented_inhibit_rules())
        check = subprocess.run([amtool, "check-config", str(config)], capture_output=True,
                               text=True, timeout=60, check=False)
        if check.returncode != 0:
            print("FAIL amtool check-config:\n" + check.stdout + check.stderr)
            return 1
        print("OK   amtool check-config accepts the documented inhibit rules")
        port = free_port()
        url = "http://127.0.0.1:%d" % port
        with open(pathlib.Path(tmp) / "alertmanager.log", "wb") as log:
            process = subprocess.Popen(
                [binary, "--config.file=%s" % config, "--storage.path=%s" % tmp,
                 "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_until(lambda: request(url + "/api/v2/status"), TIMEOUT_S,
                           message="alertmanager ready")
                now = datetime.datetime.now(datetime.timezone.utc)
                request(url + "/api/v2/alerts", [
                    {"labels": labels, "startsAt": now.isoformat(),
                     "endsAt": (now + datetime.timedelta(minutes=10)).isoformat()}
                    for labels, _ in ALERTS])

                def settled():
                    alerts = request(url + "/api/v2/alerts")
                    if len(alerts) < len(ALERTS):
                        return None
                    by_labels = {json.dumps(a["labels"], sort_keys=True): a for a in alerts}
                    return by_labels

                by_labels = wait_until(settled, TIMEOUT_S, message="all alerts received")
                # Inhibition is computed when the alerts are read; once the sources are in, a
                # read gives the final state. Read until it matches or the bound passes.
                def verdicts():
                    current = settled() or by_labels
                    return {key: bool(a["status"]["inhibitedBy"]) for key, a in current.items()}

                expected = {json.dumps(labels, sort_keys=True): inhibited
                            for labels, inhibited in ALERTS}
                try:
                    got = wait_until(lambda: verdicts() == expected and verdicts(), TIMEOUT_S,
                                     message="inhibition as documented")
                except TimeoutError:
                    got = verdicts()
                for key, inhibited in expected.items():
                    ok = got.get(key) == inhibited
                    failures += not ok
                    print("%s %s %s" % ("OK  " if ok else "FAIL",
                                        "inhibited" if inhibited else "not inhibited", key))
            finally:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=15)
    print("inhibition: %d passed, %d failed" % (len(ALERTS) + 1 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
