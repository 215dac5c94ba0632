"""/readyz explains itself and one dead cluster does not hold the pod unready forever: it waits
for every cluster's first successful poll only for [server] readiness_grace."""

from __future__ import annotations

import workload
from processes import Lagwatch, free_port, lagwatch_binary
from test_reload import cluster_table, config_text


def test_a_dead_cluster_holds_readiness_back_only_for_the_grace(kafka, tmp_path):
    port = free_port()
    config_path = tmp_path / "lagwatch.toml"
    # Nothing listens on port 1: that cluster never gets a successful poll.
    clusters = [cluster_table("alive", kafka.bootstrap, [".*"], ["^$"]),
                cluster_table("dead", "127.0.0.1:1", [".*"], ["^$"])]
    config_path.write_text(config_text(port, clusters, server='readiness_grace = "8s"\n'))
    instance = Lagwatch(lagwatch_binary(), config_path, tmp_path / "lagwatch.log", port)
    try:
        instance.start(wait_ready=False)
        waiting = workload.wait_until(
            lambda: (r := instance.get("/readyz")).status == 503 and "cluster alive: up" in r.body.decode()
            and "; last error: " in r.body.decode() and r.body.decode(),
            30, message="alive polled while dead, failing, is waited for")
        assert waiting.startswith("not ready: waiting for the first successful poll of dead\n"), waiting
        assert "cluster dead: no successful poll yet, waited " in waiting
        assert " of 8 s; last error: " in waiting

        ready = workload.wait_until(
            lambda: (r := instance.get("/readyz")).status == 200 and r.body.decode(), 30,
            message="ready once the grace is over")
        assert ready.startswith("ready\ncluster alive: up, last successful poll ")
        assert "cluster dead: no successful poll within the readiness grace of 8 s, no longer waited for" in ready
        landing = instance.get("/").body.decode()
        assert "<h2>Readiness</h2>" in landing and "cluster dead: no successful poll within" in landing
        scraped = instance.scrape()
        assert scraped[("lagwatch_up", frozenset({("kafka_cluster", "dead")}))] == 0
    finally:
        instance.stop()
