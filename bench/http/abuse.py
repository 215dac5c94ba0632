#!/usr/bin/env python3
"""Connection abuse against a lagwatch endpoint, and how a fresh scrape fares meanwhile.

Holds IDLE connections that send nothing and HALF connections that send an unfinished request
head (one more header byte now and then), reopening any the server closes, then measures:
  - fresh: GET /metrics on a new connection (connect to last byte), several samples
  - keepalive: the second and later GET /metrics on one kept-alive connection
  - rss: the server's VmRSS / VmHWM (with --pid)

  bench/http/abuse.py --port 8793 [--idle 500] [--half 100] [--samples 20] [--pid PID]

Loopback only. Everything is bounded by timeouts; nothing here waits forever.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import threading
import time

HALF_HEAD = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "


class Connection:
    """A client connection that reads responses one at a time (bytes after one are kept for the
    next: pipelining)."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.pending = b""

    def close(self) -> None:
        self.sock.close()

    def _fill(self, deadline: float) -> None:
        self.sock.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed by the server; unread: {self.pending[:200]!r}")
        self.pending += chunk

    def read_response(self, deadline: float) -> tuple[int, bytes, dict[str, str]]:
        """One HTTP/1.1 response with Content-Length: (status, body, lower-cased headers)."""
        while b"\r\n\r\n" not in self.pending:
            self._fill(deadline)
        head, _, rest = self.pending.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        self.pending = rest
        while len(self.pending) < length:
            self._fill(deadline)
        body, self.pending = self.pending[:length], self.pending[length:]
        return status, body, headers


def scrape(port: int, conn: Connection | None = None, timeout: float = 10.0,
           path: str = "/metrics") -> tuple[float, int, bytes, Connection]:
    """One GET; a new connection unless `conn` is given. Returns (seconds, status, body, conn)."""
    started = time.monotonic()
    if conn is None:
        conn = Connection(port, timeout)
    conn.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    status, body, _ = conn.read_response(started + timeout)
    return time.monotonic() - started, status, body, conn


class Abuser:
    """Holds `idle` silent and `half` half-sent connections open until stop()."""

    def __init__(self, port: int, idle: int, half: int, trickle: float = 1.0):
        self.port, self.idle, self.half, self.trickle = port, idle, half, trickle
        self.selector = selectors.DefaultSelector()
        self.stopping = threading.Event()
        self.reopened = 0
        self.refused = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, kind: str) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
        except OSError:
            self.refused += 1
            return
        sock.setblocking(False)
        if kind == "half":
            try:
                sock.send(HALF_HEAD)
            except OSError:
                pass
        self.selector.register(sock, selectors.EVENT_READ, kind)

    def held(self) -> int:
        return len(self.selector.get_map())

    def start(self) -> "Abuser":
        for _ in range(self.idle):
            self._open("idle")
        for _ in range(self.half):
            self._open("half")
        self.thread.start()
        return self

    def _run(self) -> None:
        last_trickle = time.monotonic()
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.1):
                sock = key.fileobj
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                if not data:  # closed by the server: hold another one in its place
                    self.selector.unregister(sock)
                    sock.close()
                    self.reopened += 1
                    self._open(key.data)
            if time.monotonic() - last_trickle >= self.trickle:
                last_trickle = time.monotonic()
                for key in list(self.selector.get_map().values()):
                    if key.data == "half":
                        try:
                            key.fileobj.send(b"a")
                        except OSError:
                            pass

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def rss_kib(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:", "Threads:")):
                name, value = line.split(":")
                values[name] = int(value.split()[0])
    return values


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def keepalive_latencies(port: int, count: int) -> list[float]:
    """Latencies of requests 2..count+1 on one kept-alive connection."""
    _, _, _, conn = scrape(port)
    try:
        return [scrape(port, conn)[0] for _ in range(count)]
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--half", type=int, default=100)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--pid", type=int, help="server process, for its RSS")
    args = parser.parse_args()

    result: dict[str, object] = {"idle": args.idle, "half": args.half}
    result["keepalive_quiet_ms"] = round(1000 * percentile(keepalive_latencies(args.port, args.samples), 0.5), 2)
    if args.pid:
        result["rss_quiet_kib"] = rss_kib(args.pid)
    abuser = Abuser(args.port, args.idle, args.half).start()
    time.sleep(args.settle)
    result["held"] = abuser.held()
    fresh, failures = [], 0
    for _ in range(args.samples):
        try:
            seconds, status, _, conn = scrape(args.port, timeout=10)
            conn.close()
            fresh.append(seconds if status == 200 else 10.0)
        except OSError:
            failures += 1
            fresh.append(10.0)
        time.sleep(0.05)
    try:
        keep = keepalive_latencies(args.port, args.samples)
        result["keepalive_abused_ms_p50"] = round(1000 * percentile(keep, 0.5), 2)
        result["keepalive_abused_ms_max"] = round(1000 * max(keep), 2)
    except OSError as error:
        result["keepalive_abused_error"] = str(error)
    result["fresh_ms_p50"] = round(1000 * percentile(fresh, 0.5), 2)
    result["fresh_ms_max"] = round(1000 * max(fresh), 2)
    result["fresh_failures"] = failures
    if args.pid:
        result["rss_abused_kib"] = rss_kib(args.pid)
    result["reopened"] = abuser.reopened
    result["refused"] = abuser.refused
    abuser.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
