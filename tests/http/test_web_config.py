"""The endpoint's TLS and basic auth from a Prometheus web configuration file, checked with curl
against the real lagwatch binary: certificates made here with openssl, bcrypt hashes with the
system's crypt (libxcrypt). Loopback only, bounded waits.

  python3 tests/http/test_web_config.py      (LAGWATCH_BIN: default build/exporter/lagwatch)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_http_abuse import Lagwatch  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt  # the system's crypt(3): libxcrypt, as lagwatch uses


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(work: Path) -> None:
    """ca.crt signs server.crt and renewed.crt (both for 127.0.0.1) and client.crt; next-ca.crt
    signs next-client.crt; rogue.crt signs itself."""
    (work / "server.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for ca in ("ca", "next-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out",
                f"{ca}.crt", "-days", "2", "-subj", f"/CN=lagwatch test {ca}", cwd=work)
    for name, ca, extra in (("server", "ca", ["-extfile", "server.ext"]),
                            ("renewed", "ca", ["-extfile", "server.ext"]),
                            ("client", "ca", []), ("next-client", "next-ca", [])):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
                f"{name}.csr", "-subj", f"/CN={name}", cwd=work)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
                "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", *extra, cwd=work)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-out",
            "rogue.crt", "-days", "2", "-subj", "/CN=client", cwd=work)


def curl(url: str, *args: str) -> tuple[int, str, str]:
    """(HTTP status or 0 when no response, headers, body)."""
    result = subprocess.run(
        ["curl", "-s", "-S", "--max-time", "10", "-D", "-", "-o", "-", *args, url],
        capture_output=True, timeout=30)
    out = result.stdout.decode("latin-1")
    if result.returncode != 0 or not out.startswith("HTTP/"):
        return 0, "", result.stderr.decode()
    head, _, body = out.partition("\r\n\r\n")
    return int(head.split(" ")[1]), head, body


def served_certificate(port: int, ca_file: Path) -> str:
    """SHA-256 of the certificate a new TLS connection is given, verified against `ca_file`."""
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()


def fingerprint(pem_file: Path) -> str:
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem_file.read_text())).hexdigest()


class MountedSecret:
    """A directory laid out as the kubelet mounts a Secret: each key a symlink through `..data`
    to a timestamped directory, and an update an atomic rename of `..data` onto a new one."""

    def __init__(self, root: Path, files: dict[str, Path]):
        self.root = root
        self.root.mkdir()
        self.version = 0
        self.update(files)
        for key in files:
            (self.root / key).symlink_to(Path("..data") / key)

    def update(self, files: dict[str, Path]) -> None:
        self.version += 1
        target = self.root / f"..2026_12_03_{self.version}"
        target.mkdir()
        for key, source in files.items():
            shutil.copyfile(source, target / key)
        temporary = self.root / "..data_tmp"
        temporary.symlink_to(target.name)
        os.replace(temporary, self.root / "..data")


class WebConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        cls.work = Path(cls.tmp.name)
        make_certificates(cls.work)
        cls.hash = crypt.crypt("scrape-pw", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def start(self, web_config: str) -> Lagwatch:
        path = self.work / "web.yml"
        path.write_text(web_config)
        instance = Lagwatch(self.work, ["--web.config.file", str(path)], scheme="https",
                            curl_args=self.client_args())
        self.addCleanup(instance.stop)
        return instance

    def client_args(self) -> list[str]:
        return ["--cacert", str(self.work / "ca.crt"), "--cert", str(self.work / "client.crt"),
                "--key", str(self.work / "client.key")]

    def test_tls_with_basic_auth(self) -> None:
        lagwatch = self.start(
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            "  min_version: TLS13\n"
            "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
            f"basic_auth_users:\n  prometheus: {self.hash}\n")
        base = f"https://127.0.0.1:{lagwatch.port}"
        ca = ["--cacert", str(self.work / "ca.crt")]
        status, head, body = curl(base + "/metrics", *ca, "-u", "prometheus:scrape-pw")
        self.assertEqual(status, 200, body)
        self.assertIn("lagwatch_build_info{", body)
        self.assertIn("X-Frame-Options: deny", head)
        # Again: the verified password is remembered, the answer is the same.
        self.assertEqual(curl(base + "/metrics", *ca, "-u", "prometheus:scrape-pw")[0], 200)
        for credentials in (["-u", "prometheus:wrong"], ["-u", "other:scrape-pw"], []):
            status, head, body = curl(base + "/metrics", *ca, *credentials)
            self.assertEqual(status, 401, credentials)
            self.assertIn('WWW-Authenticate: Basic realm="lagwatch"', head)
            self.assertNotIn("lagwatch_build_info", body)
        self.assertEqual(curl(base + "/", *ca)[0], 401)
        # Probes need no password.
        self.assertEqual(curl(base + "/healthz", *ca)[:1], (200,))
        self.assertIn(curl(base + "/readyz", *ca)[0], (200, 503))
        # Plain HTTP, an untrusted server certificate and TLS 1.2 get nothing.
        self.assertEqual(curl(f"http://127.0.0.1:{lagwatch.port}/healthz")[0], 0)
        self.assertEqual(curl(base + "/healthz")[0], 0)
        self.assertEqual(curl(base + "/healthz", *ca, "--tls-max", "1.2")[0], 0)

    def test_client_certificates_required_and_verified(self) -> None:
        lagwatch = self.start(
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n")
        url = f"https://127.0.0.1:{lagwatch.port}/metrics"
        ca = ["--cacert", str(self.work / "ca.crt")]
        status, _, body = curl(url, *self.client_args())
        self.assertEqual(status, 200, body)
        self.assertIn("lagwatch_build_info{", body)
        status, _, body = curl(url, *ca)
        self.assertIn(status, (0, 403), body)
        self.assertNotIn("lagwatch_build_info", body)
        rogue = ["--cert", str(self.work / "rogue.crt"), "--key", str(self.work / "rogue.key")]
        status, _, body = curl(url, *ca, *rogue)
        self.assertIn(status, (0, 403), body)
        self.assertNotIn("lagwatch_build_info", body)

    def wait_for_certificate(self, port: int, expected: Path, message: str) -> None:
        deadline = time.monotonic() + 10
        while served_certificate(port, self.work / "ca.crt") != fingerprint(expected):
            self.assertLess(time.monotonic(), deadline, message)
            time.sleep(0.2)

    def test_a_renewed_certificate_is_served_without_a_restart(self) -> None:
        secret = MountedSecret(self.work / "server-tls",
                               {"tls.crt": self.work / "server.crt",
                                "tls.key": self.work / "server.key"})
        self.addCleanup(shutil.rmtree, secret.root)
        lagwatch = self.start(
            "tls_server_config:\n  cert_file: server-tls/tls.crt\n"
            "  key_file: server-tls/tls.key\n")
        self.assertEqual(served_certificate(lagwatch.port, self.work / "ca.crt"),
                         fingerprint(self.work / "server.crt"))
        # The way cert-manager and the kubelet renew it: a new pair, swapped in at once.
        secret.update({"tls.crt": self.work / "renewed.crt", "tls.key": self.work / "renewed.key"})
        self.wait_for_certificate(lagwatch.port, self.work / "renewed.crt",
                                  "the renewed certificate was not served")
        # Halfway through a rotation done by hand: the new certificate is written, its key not
        # yet. The pair that works keeps serving, and the log says why the new one is not used.
        shutil.copyfile(self.work / "server.crt", self.work / "server-tls" / "..data" / "tls.crt")
        for _ in range(3):
            self.assertEqual(served_certificate(lagwatch.port, self.work / "ca.crt"),
                             fingerprint(self.work / "renewed.crt"))
        log = (self.work / "lagwatch.log").read_text()
        self.assertRegex(log, r"level=warn[^\n]*msg=\"[^\"]*certificate[^\n]*server-tls/tls")
        shutil.copyfile(self.work / "server.key", self.work / "server-tls" / "..data" / "tls.key")
        self.wait_for_certificate(lagwatch.port, self.work / "server.crt",
                                  "the completed pair was not served")
        status, _, body = curl(f"https://127.0.0.1:{lagwatch.port}/metrics", "--cacert",
                               str(self.work / "ca.crt"))
        self.assertEqual(status, 200, body)
        self.assertIn("lagwatch_build_info{", body)

    def test_a_replaced_client_ca_is_trusted_without_a_restart(self) -> None:
        secret = MountedSecret(self.work / "client-ca", {"ca.crt": self.work / "ca.crt"})
        self.addCleanup(shutil.rmtree, secret.root)
        lagwatch = self.start(
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client-ca/ca.crt\n")
        url = f"https://127.0.0.1:{lagwatch.port}/metrics"
        ca = ["--cacert", str(self.work / "ca.crt")]
        old = [*ca, "--cert", str(self.work / "client.crt"), "--key", str(self.work / "client.key")]
        new = [*ca, "--cert", str(self.work / "next-client.crt"), "--key",
               str(self.work / "next-client.key")]
        self.assertEqual(curl(url, *old)[0], 200)
        self.assertIn(curl(url, *new)[0], (0, 403))
        secret.update({"ca.crt": self.work / "next-ca.crt"})
        deadline = time.monotonic() + 10
        while curl(url, *new)[0] != 200:
            self.assertLess(time.monotonic(), deadline, "the new client CA was not trusted")
            time.sleep(0.2)
        status, _, body = curl(url, *old)
        self.assertIn(status, (0, 403), body)
        self.assertNotIn("lagwatch_build_info", body)

    def test_an_invalid_web_config_stops_the_start(self) -> None:
        path = self.work / "bad.yml"
        path.write_text("tls_server_config:\n  cert_file: server.crt\n")
        config = self.work / "check.toml"
        config.write_text('[[clusters]]\nname = "c"\nbootstrap_servers = "127.0.0.1:1"\n')
        binary = Lagwatch.binary()
        result = subprocess.run([binary, "--check-config", str(config), "--web.config.file",
                                 str(path)], capture_output=True, timeout=30, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{path}: tls_server_config: cert_file and key_file are both required",
                      result.stderr)
        # The same file named in the config's [server] section.
        config.write_text(f'[server]\nweb_config_file = "{path}"\n' + config.read_text())
        result = subprocess.run([binary, "--check-config", str(config)], capture_output=True,
                                timeout=30, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{path}: tls_server_config:", result.stderr)
        path.write_text(f"basic_auth_users:\n  prometheus: {self.hash}\n")
        result = subprocess.run([binary, "--check-config", str(config)], capture_output=True,
                                timeout=30, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("# endpoint: plain HTTP, basic auth", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
