"""A throwaway MIT Kerberos realm on loopback for GSSAPI tests: Debian's krb5kdc started in the
foreground with its own configuration, database and keytabs under one directory, so nothing of
the host's Kerberos set-up is read or changed.

Principals: kafka/localhost (the broker; librdkafka asks for kafka/<broker host>, so the broker
advertises the Kerberos listener as localhost) and one client. Keys are random; a second client
keytab holds an older key of the same principal, as a revoked or stale keytab would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

REALM = "LAGWATCH.TEST"
SERVICE = "kafka"
BROKER_HOST = "localhost"
COMMAND_TIMEOUT_S = 60.0
START_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Kdc:
    def __init__(self, directory: Path, client: str) -> None:
        self.directory = directory
        self.client = client
        self.port = 0
        self.krb5_conf = directory / "krb5.conf"
        self.broker_keytab = directory / "kafka.keytab"
        self.client_keytab = directory / f"{client}.keytab"
        self.stale_client_keytab = directory / f"{client}-stale.keytab"
        self._process: subprocess.Popen | None = None

    @property
    def broker_principal(self) -> str:
        return f"{SERVICE}/{BROKER_HOST}@{REALM}"

    @property
    def client_principal(self) -> str:
        return f"{self.client}@{REALM}"

    def environment(self) -> dict[str, str]:
        """What a client process (lagwatch, kinit) needs to find this realm."""
        return {"KRB5_CONFIG": str(self.krb5_conf)}

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["KRB5_CONFIG"] = str(self.krb5_conf)
        env["KRB5_KDC_PROFILE"] = str(self.directory / "kdc.conf")
        return env

    def _run(self, *args: str) -> None:
        subprocess.run(list(args), check=True, timeout=COMMAND_TIMEOUT_S, capture_output=True, env=self._env())

    def _admin(self, query: str) -> None:
        self._run("kadmin.local", "-r", REALM, "-q", query)

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        address = f"127.0.0.1:{self.port}"
        self.krb5_conf.write_text(
            "[libdefaults]\n"
            f"  default_realm = {REALM}\n"
            "  dns_lookup_kdc = false\n  dns_lookup_realm = false\n"
            "  dns_canonicalize_hostname = false\n  rdns = false\n"
            # TCP only: one listener to wait for, and no UDP size retries.
            "  udp_preference_limit = 1\n"
            f"[realms]\n  {REALM} = {{\n    kdc = {address}\n  }}\n"
        )
        (self.directory / "kadm5.acl").write_text("")
        (self.directory / "kdc.conf").write_text(
            f"[kdcdefaults]\n  kdc_listen = {address}\n  kdc_tcp_listen = {address}\n"
            f"[realms]\n  {REALM} = {{\n"
            f"    database_name = {self.directory / 'principal'}\n"
            f"    key_stash_file = {self.directory / 'stash'}\n"
            f"    acl_file = {self.directory / 'kadm5.acl'}\n"
            f"    kdc_listen = {address}\n    kdc_tcp_listen = {address}\n  }}\n"
            f"[logging]\n  kdc = FILE:{self.directory / 'kdc.log'}\n"
        )
        self._run("kdb5_util", "create", "-s", "-r", REALM, "-P", os.urandom(12).hex())
        self._admin(f"addprinc -randkey {self.broker_principal}")
        self._admin(f"addprinc -randkey {self.client_principal}")
        self._admin(f"ktadd -k {self.broker_keytab} {self.broker_principal}")
        self._admin(f"ktadd -k {self.stale_client_keytab} {self.client_principal}")
        # ktadd makes a new key: the first keytab now holds an old one the KDC no longer uses.
        self._admin(f"ktadd -k {self.client_keytab} {self.client_principal}")
        self._process = subprocess.Popen(
            ["krb5kdc", "-n", "-r", REALM],
            env=self._env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"krb5kdc did not listen on {address}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(timeout=10)
        self._process = None
