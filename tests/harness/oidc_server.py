"""A small OIDC token endpoint with its JWKS on loopback, for OAUTHBEARER tests.

POST /token takes the client-credentials grant (client id and secret by HTTP Basic or in the
form) and answers an RS256 JWT with a short lifetime; GET /jwks serves the public key. Tokens are
signed with openssl (no hand-written crypto). `mode` makes it misbehave on purpose:
  "valid"     tokens the broker accepts
  "expired"   tokens whose expiry is already past
  "wrong-key" tokens signed by a key the JWKS does not hold
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEY_ID = "lagwatch-test-key"
SIGN_TIMEOUT_S = 30.0


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _make_key(path: Path) -> None:
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(path)],
        check=True,
        timeout=SIGN_TIMEOUT_S,
        capture_output=True,
    )


def _modulus(path: Path) -> bytes:
    out = subprocess.run(
        ["openssl", "rsa", "-in", str(path), "-noout", "-modulus"],
        check=True,
        timeout=SIGN_TIMEOUT_S,
        capture_output=True,
        text=True,
    ).stdout
    return bytes.fromhex(out.strip().split("=", 1)[1])


def _sign(path: Path, data: bytes) -> bytes:
    return subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", str(path)],
        input=data,
        check=True,
        timeout=SIGN_TIMEOUT_S,
        capture_output=True,
    ).stdout


class OidcServer:
    def __init__(self, directory: Path, client_id: str, client_secret: str, lifetime_s: int = 15) -> None:
        self.directory = directory
        self.client_id = client_id
        self.client_secret = client_secret
        self.lifetime_s = lifetime_s
        self.audience = "kafka"
        self.mode = "valid"
        self.tokens_issued = 0
        self.rejected_requests = 0
        self.issued: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.base_url + "/jwks"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._key = self.directory / "signing.key"
        self._wrong_key = self.directory / "wrong.key"
        _make_key(self._key)
        _make_key(self._wrong_key)
        self._jwks = json.dumps(
            {
                "keys": [
                    {
                        "kty": "RSA",
                        "use": "sig",
                        "alg": "RS256",
                        "kid": KEY_ID,
                        "n": _b64url(_modulus(self._key)),
                        "e": "AQAB",
                    }
                ]
            }
        ).encode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/jwks":
                    self._answer(200, server._jwks)
                else:
                    self._answer(404, b"{}")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if self.path != "/token":
                    self._answer(404, b"{}")
                    return
                status, body = server._token_response(self.headers.get("Authorization", ""), form)
                self._answer(status, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _credentials(self, authorization: str, form: dict) -> tuple[str, str]:
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            user, _, password = decoded.partition(":")
            return urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password)
        return form.get("client_id", [""])[0], form.get("client_secret", [""])[0]

    def _token_response(self, authorization: str, form: dict) -> tuple[int, bytes]:
        client, secret = self._credentials(authorization, form)
        if form.get("grant_type", [""])[0] != "client_credentials" or (client, secret) != (
            self.client_id,
            self.client_secret,
        ):
            with self._lock:
                self.rejected_requests += 1
            return 401, b'{"error":"invalid_client"}'
        with self._lock:
            mode = self.mode
        now = int(time.time())
        expiry = now - 60 if mode == "expired" else now + self.lifetime_s
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client,
            "iat": now - (120 if mode == "expired" else 0),
            "exp": expiry,
            # Kafka rejects an empty scope claim.
            "scope": form.get("scope", [""])[0] or "kafka",
        }
        signing_input = (_b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(claims).encode())).encode()
        key = self._wrong_key if mode == "wrong-key" else self._key
        token = signing_input.decode() + "." + _b64url(_sign(key, signing_input))
        with self._lock:
            self.tokens_issued += 1
            self.issued.append(token)
        body = {"access_token": token, "token_type": "Bearer", "expires_in": max(expiry - now, 0)}
        return 200, json.dumps(body).encode()

    def set_mode(self, mode: str) -> None:
        assert mode in ("valid", "expired", "wrong-key")
        with self._lock:
            self.mode = mode
