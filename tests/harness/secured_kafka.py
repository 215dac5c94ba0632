"""A secured single-node Kafka for tests: one broker (started by kafka.sh) with a listener per
security setting, certificates made here with openssl and keytool, SCRAM users created at format
time, StandardAuthorizer denying what no ACL allows, and an OIDC token endpoint with its JWKS
(oidc_server.py) for OAUTHBEARER.

Listeners (all on 127.0.0.1):
  PLAINTEXT   the test's own admin work and the controller (principal ANONYMOUS, a super user)
  SCRAM       SASL_PLAINTEXT with SCRAM-SHA-512 and SCRAM-SHA-256
  SASL_SSL    SASL_SSL with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN
  MTLS        SSL, client certificate required (principal = the certificate's CN)
  OAUTH       SASL_SSL with OAUTHBEARER, tokens validated against the JWKS
  WRONGHOST   SSL, client certificate required, server certificate for another host name
  KERBEROS    SASL_PLAINTEXT with GSSAPI against a loopback MIT KDC (kerberos.py), advertised as
              localhost: librdkafka asks the KDC for kafka/<advertised host>

Every wait is bounded; start-up takes the time of one broker start.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)

from kerberos import BROKER_HOST, Kdc
from oidc_server import OidcServer

KAFKA_SH = Path(__file__).resolve().parent / "kafka.sh"
START_TIMEOUT_S = 240.0
OPENSSL_TIMEOUT_S = 60.0
ADMIN_TIMEOUT_S = 30.0

# Users and the mechanism each one authenticates with.
SCRAM512_USER = "lw-scram512"
SCRAM256_USER = "lw-scram256"
PLAIN_USER = "lw-plain"
MTLS_USER = "lw-mtls"
OIDC_CLIENT = "lw-oidc"
# A SCRAM-SHA-512 user whose ACLs the tests revoke and restore.
LIMITED_USER = "lw-limited"
# The Kerberos client principal's primary: Kafka's DEFAULT principal.to.local rule maps
# lw-kerberos@REALM to the user lw-kerberos.
KERBEROS_USER = "lw-kerberos"

_STORE_PASSWORD_BYTES = 12


def _secret() -> str:
    # Letters and digits only: safe inside JAAS strings, TOML, command lines and greps.
    return "s" + secrets.token_hex(_STORE_PASSWORD_BYTES)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(list(args), check=True, cwd=cwd, timeout=OPENSSL_TIMEOUT_S, capture_output=True)


@dataclass
class Certificates:
    """A CA, the broker's certificate (SAN IP:127.0.0.1, DNS:localhost) and one for another host,
    a client certificate with an encrypted key, and a second CA nobody trusts."""

    directory: Path
    store_password: str = field(default_factory=_secret)
    client_key_password: str = field(default_factory=_secret)

    @property
    def ca(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def other_ca(self) -> Path:
        return self.directory / "other-ca.pem"

    @property
    def client_cert(self) -> Path:
        return self.directory / "client.pem"

    @property
    def client_key(self) -> Path:
        return self.directory / "client.key"

    @property
    def keystore(self) -> Path:
        return self.directory / "broker.p12"

    @property
    def wronghost_keystore(self) -> Path:
        return self.directory / "wronghost.p12"

    @property
    def truststore(self) -> Path:
        return self.directory / "truststore.p12"

    def make(self) -> None:
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        for ca in ("ca", "other-ca"):
            _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                 "-subj", f"/CN=lagwatch test {ca}", "-keyout", f"{ca}.key", "-out", f"{ca}.pem", cwd=d)
        self._leaf("broker", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost")
        self._leaf("wronghost", "/CN=wrong.example", "subjectAltName=DNS:wrong.example")
        self._leaf("client", f"/CN={MTLS_USER}", "extendedKeyUsage=clientAuth")
        for name, store in (("broker", self.keystore), ("wronghost", self.wronghost_keystore)):
            _run("openssl", "pkcs12", "-export", "-in", f"{name}.pem", "-inkey", f"{name}.key",
                 "-certfile", "ca.pem", "-name", "broker", "-out", str(store),
                 "-passout", f"pass:{self.store_password}", cwd=d)
        # The client's key is encrypted: its password is one more secret lagwatch must keep.
        _run("openssl", "pkey", "-in", "client.key", "-aes256", "-out", "client-encrypted.key",
             "-passout", f"pass:{self.client_key_password}", cwd=d)
        (d / "client-encrypted.key").replace(self.client_key)
        _run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-storetype", "PKCS12",
             "-keystore", str(self.truststore), "-storepass", self.store_password, cwd=d)

    def _leaf(self, name: str, subject: str, extension: str) -> None:
        d = self.directory
        _run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", f"{name}.key",
             "-out", f"{name}.csr", cwd=d)
        (d / f"{name}.ext").write_text(extension + "\n")
        _run("openssl", "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "2", "-sha256", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=d)


@dataclass
class SecuredKafka:
    version: str
    directory: Path
    passwords: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    admin_bootstrap: str = ""
    certificates: Certificates | None = None
    oidc: OidcServer | None = None
    kdc: Kdc | None = None
    _admin: AdminClient | None = field(default=None, repr=False)

    @property
    def major_version(self) -> int:
        return int(self.version.split(".")[0])

    def bootstrap(self, listener: str) -> str:
        host = BROKER_HOST if listener == "KERBEROS" else "127.0.0.1"
        return f"{host}:{self.ports[listener]}"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.certificates = Certificates(self.directory / "tls")
        self.certificates.make()
        for user in (SCRAM512_USER, SCRAM256_USER, PLAIN_USER, LIMITED_USER):
            self.passwords[user] = _secret()
        self.oidc = OidcServer(self.directory / "oidc", client_id=OIDC_CLIENT, client_secret=_secret())
        self.oidc.start()
        self.kdc = Kdc(self.directory / "kerberos", client=KERBEROS_USER)
        try:
            self.kdc.start()
        except BaseException:
            self.oidc.stop()
            raise
        for listener in ("SCRAM", "SASL_SSL", "MTLS", "OAUTH", "WRONGHOST", "KERBEROS"):
            self.ports[listener] = _free_port()
        properties = self.directory / "secured.properties"
        properties.write_text(self._properties())
        scram = [
            ("SCRAM-SHA-512", SCRAM512_USER),
            ("SCRAM-SHA-256", SCRAM256_USER),
            ("SCRAM-SHA-512", LIMITED_USER),
        ]
        format_args = " ".join(
            f"--add-scram {mechanism}=[name={user},password={self.passwords[user]}]" for mechanism, user in scram
        )
        env = dict(os.environ)
        env["LAGWATCH_KAFKA_EXTRA_PROPERTIES"] = str(properties)
        env["LAGWATCH_KAFKA_FORMAT_ARGS"] = format_args
        # Kafka 3.9.1+/4.x only fetch JWKS and token URLs that this system property allows.
        env["LAGWATCH_KAFKA_JVM_EXTRA"] = (
            f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls={self.oidc.jwks_url} "
            f"-Djava.security.krb5.conf={self.kdc.krb5_conf}"
        )
        broker_dir = self.directory / "broker"
        try:
            subprocess.run(
                [str(KAFKA_SH), "start", self.version, str(broker_dir)],
                check=True,
                timeout=START_TIMEOUT_S,
                capture_output=True,
                text=True,
                env=env,
            )
        except BaseException:
            self.oidc.stop()
            self.kdc.stop()
            raise
        self.admin_bootstrap = (broker_dir / "bootstrap").read_text().strip()
        for user in (SCRAM512_USER, SCRAM256_USER, PLAIN_USER, MTLS_USER, OIDC_CLIENT, LIMITED_USER, KERBEROS_USER):
            self.grant_monitoring(user)

    def stop(self) -> None:
        try:
            subprocess.run([str(KAFKA_SH), "stop", str(self.directory / "broker")], check=True, timeout=60,
                           capture_output=True)
        finally:
            if self.oidc is not None:
                self.oidc.stop()
            if self.kdc is not None:
                self.kdc.stop()

    def _properties(self) -> str:
        c = self.certificates
        assert c is not None and self.oidc is not None
        scram_jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
        plain_jaas = (
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'user_{PLAIN_USER}="{self.passwords[PLAIN_USER]}";'
        )
        p = self.ports
        listeners = {
            "PLAINTEXT": "@PORT@",
            "SCRAM": p["SCRAM"],
            "SASL_SSL": p["SASL_SSL"],
            "MTLS": p["MTLS"],
            "OAUTH": p["OAUTH"],
            "WRONGHOST": p["WRONGHOST"],
        }
        bound = ",".join(f"{name}://127.0.0.1:{port}" for name, port in listeners.items())
        advertised = ",".join(f"{name}://127.0.0.1:{port}" for name, port in listeners.items())
        kerberos = p["KERBEROS"]
        kdc = self.kdc
        assert kdc is not None
        gssapi_jaas = (
            "com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true "
            f'keyTab="{kdc.broker_keytab}" principal="{kdc.broker_principal}";'
        )
        lines = [
            f"listeners={bound},KERBEROS://127.0.0.1:{kerberos},CONTROLLER://127.0.0.1:@CONTROLLER_PORT@",
            f"advertised.listeners={advertised},KERBEROS://{BROKER_HOST}:{kerberos}",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SCRAM:SASL_PLAINTEXT,"
            "SASL_SSL:SASL_SSL,MTLS:SSL,OAUTH:SASL_SSL,WRONGHOST:SSL,KERBEROS:SASL_PLAINTEXT",
            "sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN,OAUTHBEARER,GSSAPI",
            "listener.name.kerberos.sasl.enabled.mechanisms=GSSAPI",
            f"listener.name.kerberos.gssapi.sasl.jaas.config={gssapi_jaas}",
            "sasl.kerberos.service.name=kafka",
            "listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256",
            f"listener.name.scram.scram-sha-512.sasl.jaas.config={scram_jaas}",
            f"listener.name.scram.scram-sha-256.sasl.jaas.config={scram_jaas}",
            "listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
            f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={scram_jaas}",
            f"listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config={scram_jaas}",
            f"listener.name.sasl_ssl.plain.sasl.jaas.config={plain_jaas}",
            "listener.name.oauth.sasl.enabled.mechanisms=OAUTHBEARER",
            "listener.name.oauth.oauthbearer.sasl.jaas.config="
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
            "listener.name.oauth.oauthbearer.sasl.server.callback.handler.class="
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
            f"sasl.oauthbearer.jwks.endpoint.url={self.oidc.jwks_url}",
            f"sasl.oauthbearer.expected.audience={self.oidc.audience}",
            f"sasl.oauthbearer.expected.issuer={self.oidc.issuer}",
            # Connections re-authenticate, so short-lived tokens are really replaced.
            "connections.max.reauth.ms=20000",
            "ssl.keystore.type=PKCS12",
            f"ssl.keystore.location={c.keystore}",
            f"ssl.keystore.password={c.store_password}",
            f"ssl.key.password={c.store_password}",
            "ssl.truststore.type=PKCS12",
            f"ssl.truststore.location={c.truststore}",
            f"ssl.truststore.password={c.store_password}",
            "listener.name.mtls.ssl.client.auth=required",
            "listener.name.wronghost.ssl.client.auth=required",
            f"listener.name.wronghost.ssl.keystore.location={c.wronghost_keystore}",
            "listener.name.wronghost.ssl.keystore.type=PKCS12",
            f"listener.name.wronghost.ssl.keystore.password={c.store_password}",
            f"listener.name.wronghost.ssl.key.password={c.store_password}",
            "ssl.principal.mapping.rules=RULE:^CN=([^,]*).*$/$1/,DEFAULT",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users=User:ANONYMOUS",
            "allow.everyone.if.no.acl.found=false",
        ]
        return "\n".join(lines) + "\n"

    # --- the test's own admin work, over the PLAINTEXT listener -------------------------------

    def admin(self) -> AdminClient:
        # One client for the whole session: futures fail if their client is destroyed early.
        if self._admin is None:
            self._admin = AdminClient({"bootstrap.servers": self.admin_bootstrap})
        return self._admin

    @staticmethod
    def monitoring_acls(user: str) -> list[AclBinding]:
        """What a monitoring principal needs: describe every group, describe and read every topic
        (reading includes __consumer_offsets), describe the cluster."""
        principal = f"User:{user}"
        allow = AclPermissionType.ALLOW
        literal = ResourcePatternType.LITERAL
        bindings = [
            AclBinding(ResourceType.GROUP, "*", literal, principal, "*", AclOperation.DESCRIBE, allow),
            AclBinding(ResourceType.TOPIC, "*", literal, principal, "*", AclOperation.DESCRIBE, allow),
            AclBinding(ResourceType.TOPIC, "*", literal, principal, "*", AclOperation.READ, allow),
            AclBinding(ResourceType.BROKER, "kafka-cluster", literal, principal, "*", AclOperation.DESCRIBE, allow),
        ]
        return bindings

    def grant_monitoring(self, user: str) -> None:
        futures = self.admin().create_acls(self.monitoring_acls(user))
        for future in futures.values():
            future.result(timeout=ADMIN_TIMEOUT_S)

    def revoke_all(self, user: str) -> None:
        matcher = AclBindingFilter(
            ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{user}", None, AclOperation.ANY,
            AclPermissionType.ANY,
        )
        for future in self.admin().delete_acls([matcher]).values():
            future.result(timeout=ADMIN_TIMEOUT_S)

    def set_scram_password(self, user: str, mechanism: str, password: str) -> None:
        info = ScramCredentialInfo(ScramMechanism[mechanism.replace("-", "_")], 4096)
        futures = self.admin().alter_user_scram_credentials(
            [UserScramCredentialUpsertion(user, info, password.encode())]
        )
        for future in futures.values():
            future.result(timeout=ADMIN_TIMEOUT_S)
        self.passwords[user] = password
