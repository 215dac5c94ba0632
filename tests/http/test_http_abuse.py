"""The real lagwatch binary under connection abuse: 500 idle and 100 half-sent connections held
open (reopened when the server drops them), plus oversized heads, pipelining and random bytes.
A fresh scrape must stay correct and answer within the issue's 1 s, a kept-alive one within
15 ms, and the process within the sidecar budget of 25 MB RSS. Loopback only, bounded waits.

  python3 tests/http/test_http_abuse.py      (LAGWATCH_BIN: default build/exporter/lagwatch)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "http"))

from abuse import Abuser, Connection, keepalive_latencies, rss_kib, scrape  # noqa: E402

RSS_BUDGET_KIB = 25 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lagwatch:
    """lagwatch serving on a free loopback port, with an unreachable cluster: the endpoint
    serves regardless, which is all these tests need."""

    @staticmethod
    def binary() -> str:
        return os.environ.get("LAGWATCH_BIN", str(ROOT / "build" / "exporter" / "lagwatch"))

    def __init__(self, work: Path, extra_args: list[str] | None = None, scheme: str = "http",
                 curl_args: list[str] | None = None):
        self.port = free_port()
        config = work / "lagwatch.toml"
        config.write_text(
            f'[server]\nlisten_address = "127.0.0.1:{self.port}"\n'
            '[[clusters]]\nname = "c"\nbootstrap_servers = "127.0.0.1:1"\n'
        )
        self.log = open(work / "lagwatch.log", "wb")
        self.process = subprocess.Popen([self.binary(), "--config", str(config), *(extra_args or [])],
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError(f"lagwatch exited: {(work / 'lagwatch.log').read_text()}")
            if self._healthy(scheme, curl_args or []):
                return
            time.sleep(0.1)
        raise RuntimeError("lagwatch did not start serving")

    def _healthy(self, scheme: str, curl_args: list[str]) -> bool:
        if scheme == "http":
            try:
                return scrape(self.port, timeout=1, path="/healthz")[1] == 200
            except OSError:
                return False
        result = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                 "--max-time", "2", *curl_args,
                                 f"{scheme}://127.0.0.1:{self.port}/healthz"],
                                capture_output=True, text=True, timeout=10)
        return result.stdout == "200"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def hostile_clients(port: int, seconds: float, stop: threading.Event) -> dict[str, int]:
    """Oversized heads, random bytes and pipelined bursts on fresh connections until `seconds`
    pass. Returns how many of each were sent."""
    counts = {"oversized": 0, "random": 0, "pipelined": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.is_set():
        for kind in counts:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                    if kind == "oversized":
                        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000)
                    elif kind == "random":
                        sock.sendall(os.urandom(8192))
                    else:
                        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 20)
                    sock.settimeout(0.2)
                    try:
                        while sock.recv(65536):
                            pass
                    except OSError:
                        pass
                counts[kind] += 1
            except OSError:
                counts[kind] += 1  # the server may reset a connection that sent garbage
    return counts


class HttpAbuseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.work = tempfile.TemporaryDirectory()
        cls.lagwatch = Lagwatch(Path(cls.work.name))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.lagwatch.stop()
        cls.work.cleanup()

    def assert_fresh_scrapes_fast(self, count: int) -> None:
        for _ in range(count):
            seconds, status, body, conn = scrape(self.lagwatch.port, timeout=5)
            conn.close()
            self.assertEqual(status, 200)
            self.assertIn(b"lagwatch_build_info{", body)
            self.assertLess(seconds, 1.0)

    def test_held_connections_leave_scrapes_fast_and_memory_in_budget(self) -> None:
        port = self.lagwatch.port
        abuser = Abuser(port, idle=500, half=100).start()
        stop = threading.Event()
        hostile: dict[str, int] = {}
        others = threading.Thread(target=lambda: hostile.update(hostile_clients(port, 4, stop)))
        try:
            time.sleep(1)
            self.assertGreaterEqual(abuser.held(), 590)
            others.start()
            self.assert_fresh_scrapes_fast(10)
            # Best of several: one slow answer on a busy machine is no Nagle delay (40 ms each).
            self.assertLess(min(keepalive_latencies(port, 5)), 0.015)
            others.join(timeout=30)
            self.assertTrue(all(hostile.values()), hostile)
            self.assert_fresh_scrapes_fast(5)
            self.assertLess(rss_kib(self.lagwatch.process.pid)["VmHWM"], RSS_BUDGET_KIB)
        finally:
            stop.set()
            abuser.stop()
        self.assertIsNone(self.lagwatch.process.poll(), "lagwatch exited")
        self.assert_fresh_scrapes_fast(3)

    def test_pipelined_requests_are_answered_in_order(self) -> None:
        conn = Connection(self.lagwatch.port, timeout=5)
        try:
            conn.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                              b"GET /metricsfoo HTTP/1.1\r\nHost: x\r\n\r\n"
                              b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            deadline = time.monotonic() + 5
            self.assertEqual(conn.read_response(deadline)[:2], (200, b"ok\n"))
            self.assertEqual(conn.read_response(deadline)[0], 404)
            status, body, _ = conn.read_response(deadline)
            self.assertEqual(status, 200)
            self.assertIn(b"lagwatch_build_info{", body)
        finally:
            conn.close()

    def test_undocumented_paths_are_404_and_other_methods_405(self) -> None:
        for path in ("/metricsfoo", "/metrics/", "/metrics%00.html"):
            _, status, body, conn = scrape(self.lagwatch.port, path=path)
            conn.close()
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"lagwatch_build_info", body)
        conn = Connection(self.lagwatch.port, timeout=5)
        try:
            conn.sock.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
            status, _, headers = conn.read_response(time.monotonic() + 5)
            self.assertEqual(status, 405)
            self.assertEqual(headers.get("allow"), "GET, HEAD")
            self.assertEqual(conn.sock.recv(1), b"")  # closed by the server, body never read
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
