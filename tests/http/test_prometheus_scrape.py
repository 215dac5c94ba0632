"""A real Prometheus (Debian's `prometheus` binary) scraping the real lagwatch binary whose
endpoint is secured by a web configuration file: HTTPS, basic auth and client certificates, each
judged by what Prometheus itself reports (target health and lastError from its targets API, and
a query of lagwatch_build_info). curl agreeing with lagwatch (test_web_config) does not prove
that Prometheus's own TLS and auth client does. Loopback only, bounded waits.

  python3 tests/http/test_prometheus_scrape.py   (LAGWATCH_BIN: default build/exporter/lagwatch)
"""

from __future__ import annotations

import base64
import secrets
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "dashboards"))

from prometheus_server import PrometheusServer, wait_until  # noqa: E402
from test_http_abuse import Lagwatch  # noqa: E402
# crypt as test_web_config imports it: its deprecation warning silenced there once.
from test_web_config import crypt, make_certificates  # noqa: E402

USER = "prometheus"
# Long enough for a few failed scrapes at the 1 s interval, short enough to fail fast.
SCRAPED_TIMEOUT_S = 30.0


class PrometheusScrapeTest(unittest.TestCase):
    """One Prometheus with a job per scenario, against three lagwatch processes (basic auth,
    client certificates, both): every job is scraped at once, so the whole module costs about
    one Prometheus start plus a few scrape intervals."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        cls.work = Path(cls.tmp.name)
        cls.lagwatches: dict[str, Lagwatch] = {}
        cls.prometheus = None
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _start(cls) -> None:
        work = cls.work
        make_certificates(work)
        # Random, so that finding it in a log cannot be a coincidence of a fixed test string.
        cls.password = "pw-" + secrets.token_hex(12)
        cls.wrong_password = "wrong-" + secrets.token_hex(12)
        (work / "password").write_text(cls.password)
        (work / "wrong_password").write_text(cls.wrong_password)
        hashed = crypt.crypt(cls.password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))

        tls = f"tls_server_config:\n  cert_file: {work}/server.crt\n  key_file: {work}/server.key\n"
        client_certs = ("  client_auth_type: RequireAndVerifyClientCert\n"
                        f"  client_ca_file: {work}/ca.crt\n")
        users = f"basic_auth_users:\n  {USER}: {hashed}\n"
        for name, web_config in (("basic", tls + users), ("mtls", tls + client_certs),
                                 ("both", tls + client_certs + users)):
            cls.lagwatches[name] = cls._lagwatch(name, web_config)

        ca = {"ca_file": str(work / "ca.crt")}
        cert = {**ca, "cert_file": str(work / "client.crt"), "key_file": str(work / "client.key")}
        auth = {"username": USER, "password_file": str(work / "password")}
        wrong = {"username": USER, "password_file": str(work / "wrong_password")}
        # job name: (lagwatch, scheme, tls_config, basic_auth)
        cls.jobs = {
            "https_basic": ("basic", "https", ca, auth),
            "wrong_password": ("basic", "https", ca, wrong),
            # The right password, so that the scheme is the only thing wrong.
            "plain_http": ("basic", "http", None, auth),
            "client_cert": ("mtls", "https", cert, None),
            "no_client_cert": ("mtls", "https", ca, None),
            "cert_and_password": ("both", "https", cert, auth),
            # Either credential alone must not be enough where both are configured.
            "cert_without_password": ("both", "https", cert, None),
            "password_without_cert": ("both", "https", ca, auth),
        }
        scrape_configs = []
        for job, (name, scheme, tls_config, basic_auth) in cls.jobs.items():
            entry = {"job_name": job, "scheme": scheme,
                     "static_configs": [{"targets": [f"127.0.0.1:{cls.lagwatches[name].port}"]}]}
            if tls_config is not None:
                entry["tls_config"] = tls_config
            if basic_auth is not None:
                entry["basic_auth"] = basic_auth
            scrape_configs.append(entry)
        cls.prometheus = PrometheusServer(work / "prometheus",
                                          scrape_configs=scrape_configs).start()

    @classmethod
    def _lagwatch(cls, name: str, web_config: str) -> Lagwatch:
        directory = cls.work / name
        directory.mkdir()
        path = directory / "web.yml"
        path.write_text(web_config)
        # debug: the most lagwatch ever logs, for the password check to look through.
        return Lagwatch(directory, ["--web.config.file", str(path), "--log.level", "debug"],
                        scheme="https",
                        curl_args=["--cacert", str(cls.work / "ca.crt"),
                                   "--cert", str(cls.work / "client.crt"),
                                   "--key", str(cls.work / "client.key")])

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.prometheus is not None:
            cls.prometheus.stop()
        for lagwatch in cls.lagwatches.values():
            lagwatch.stop()
        cls.tmp.cleanup()

    def target(self, job: str) -> dict:
        """The job's target once Prometheus has scraped it at least once (health no longer
        "unknown"): a first verdict, not a guess before any scrape."""
        def scraped():
            for target in self.prometheus.active_targets():
                if target["scrapePool"] == job and target["health"] != "unknown":
                    return target
            return None
        return wait_until(scraped, SCRAPED_TIMEOUT_S, message=f"a scrape of job {job}")

    def assert_up(self, job: str) -> None:
        target = self.target(job)
        self.assertEqual(target["health"], "up", f"{job}: {target['lastError']}")
        self.assertEqual(target["lastError"], "")
        # The sample itself, through the query API: the scrape was parsed and stored.
        expr = f'lagwatch_build_info{{job="{job}"}}'
        result = wait_until(lambda: self.prometheus.query(expr)[1], SCRAPED_TIMEOUT_S,
                            message=f"a sample of {expr}")
        self.assertEqual(len(result), 1, result)
        self.assertEqual(result[0]["metric"]["job"], job)
        self.assertEqual(result[0]["value"][1], "1")

    def assert_down(self, job: str) -> str:
        """The target's lastError, after checking that the job is down and stored nothing."""
        target = self.target(job)
        self.assertEqual(target["health"], "down", job)
        self.assertTrue(target["lastError"], job)
        status, result, error = self.prometheus.query(f'lagwatch_build_info{{job="{job}"}}')
        self.assertEqual((status, result), ("success", []), error)
        status, result, error = self.prometheus.query(f'up{{job="{job}"}}')
        self.assertEqual(status, "success", error)
        self.assertEqual([sample["value"][1] for sample in result], ["0"])
        return target["lastError"]

    def test_https_with_basic_auth_is_up(self) -> None:
        self.assert_up("https_basic")

    def test_a_required_client_certificate_decides(self) -> None:
        self.assert_up("client_cert")
        self.assert_down("no_client_cert")

    def test_a_wrong_password_is_down_with_401(self) -> None:
        self.assertIn("401", self.assert_down("wrong_password"))

    def test_plain_http_against_the_https_port_is_down(self) -> None:
        self.assert_down("plain_http")

    def test_basic_auth_and_client_certificate_together(self) -> None:
        self.assert_up("cert_and_password")
        self.assertIn("401", self.assert_down("cert_without_password"))
        self.assertIn("403", self.assert_down("password_without_cert"))

    def test_the_password_never_reaches_the_log(self) -> None:
        # Only after every job, the failing ones included, has been scraped is the log complete
        # enough to mean anything.
        for job in self.jobs:
            self.target(job)
        secrets_in_clear = {self.password, self.wrong_password}
        # The Authorization header's own form too: a logged header would leak the password.
        for password in list(secrets_in_clear):
            secrets_in_clear.add(base64.b64encode(f"{USER}:{password}".encode()).decode())
        for name in self.lagwatches:
            log = (self.work / name / "lagwatch.log").read_text(errors="replace")
            # The right file, really written: lagwatch's start line names its web configuration.
            self.assertIn(str(self.work / name / "web.yml"), log)
            for secret in secrets_in_clear:
                # Not assertNotIn: its message would print the whole log.
                self.assertFalse(secret in log, f"{name}: a password is in its log")


if __name__ == "__main__":
    unittest.main(verbosity=2)
