#!/usr/bin/env python3
"""Renders the lagwatch chart for every values file in tests/deploy/values/ and checks the
result: Kubernetes schemas (offline, kubernetes-validate), the config accepted by the real
`lagwatch --check-config`, probes, security context, secret plumbing, sharding, monitoring
objects, and the sidecar merged into a sample consumer Deployment.

    chart_checks.py --helm HELM --lagwatch-bin BIN

Prints one line per failed check and exits 1 if there was any. Needs PyYAML and
kubernetes-validate (tests/deploy/requirements.txt).
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "dashboards"))

from prometheus_server import free_port, wait_until  # noqa: E402

CHART = REPO / "helm" / "lagwatch"
VALUES_DIR = REPO / "tests" / "deploy" / "values"
CONSUMER_CHART = REPO / "tests" / "deploy" / "sidecar-consumer-chart"
SAMPLE_CONSUMER = REPO / "tests" / "deploy" / "sample-consumer-deployment.yaml"
# The oldest Kubernetes the chart supports (the pod-index label of sharding) and the newest
# schema kubernetes-validate ships.
KUBE_VERSIONS = ("1.28.0", "1.37.0")
CRD_KINDS = {"ServiceMonitor", "PodMonitor", "PrometheusRule"}
# Set by main(): {kind: JSON schema} from the prometheus-operator CRDs (--crd-dir).
CRD_SCHEMAS: dict[str, dict] = {}


def strict_schema(schema: object) -> object:
    """The CRD's openAPIV3Schema with unknown fields rejected, as `kubectl apply` with
    server-side field validation (Strict) would: the API server prunes them silently otherwise,
    so a misspelt key would just be lost."""
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict_schema(value) for key, value in schema.items()}
    if (out.get("type") == "object" and "properties" in out and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    return out


def load_crd_schemas(directory: Path) -> dict[str, dict]:
    schemas = {}
    for kind, file in (("ServiceMonitor", "servicemonitors"), ("PodMonitor", "podmonitors"),
                       ("PrometheusRule", "prometheusrules")):
        crd = yaml.safe_load((directory / f"monitoring.coreos.com_{file}.yaml").read_text())
        version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
        schemas[kind] = strict_schema(version["schema"]["openAPIV3Schema"])
    return schemas
NAMESPACE = "monitoring"
RELEASE = "lw"
SECRETS_MOUNT = "/etc/lagwatch/secrets"
WEB_DIR = "/etc/lagwatch/web"
WEB_FILE = f"{WEB_DIR}/web-config.yml"
# Passwords of the bcrypt hashes in the web values files, for the real-server check.
WEB_PASSWORDS = {"prometheus": "scrape-me", "ops": "ops-secret"}


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed = 0

    def expect(self, condition: bool, what: str) -> bool:
        if condition:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"FAIL: {what}", file=sys.stderr)
        return condition


def run_helm(helm: str, chart: Path, values: list[Path], extra: list[str] | None = None) -> subprocess.CompletedProcess:
    command = [helm, "template", RELEASE, str(chart), "--namespace", NAMESPACE, "--kube-version", KUBE_VERSIONS[0]]
    for value_file in values:
        command += ["-f", str(value_file)]
    command += extra or []
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def documents(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [doc for doc in docs if doc.get("kind") == kind]


def validate_schemas(checks: Checks, docs: list[dict], label: str) -> None:
    for doc in docs:
        name = f"{label}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        if doc.get("kind") in CRD_KINDS:
            checks.expect(doc.get("apiVersion") == "monitoring.coreos.com/v1", f"{name}: apiVersion")
            errors = sorted(jsonschema.Draft7Validator(CRD_SCHEMAS[doc["kind"]]).iter_errors(doc),
                            key=lambda e: list(e.absolute_path))
            checks.expect(
                not errors,
                f"{name} invalid for the prometheus-operator CRD: "
                + "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:3]),
            )
            continue
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
                checks.expect(True, name)
            except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as error:
                checks.expect(False, f"{name} invalid for Kubernetes {version}: {error}")


def check_config_with_binary(
    checks: Checks, binary: str, toml_text: str, pod_env: list[dict], label: str, web_config: str | None = None
) -> None:
    """Runs `lagwatch --check-config` on the rendered TOML. Secret references point into the
    pod's mounts: the files are created under a temporary directory (the mount path is rewritten
    to it) and env references get placeholder values. With `web_config` (the rendered
    web-config.yml) it is passed as --web.config.file, its directory rewritten likewise and the
    certificates it names made by openssl; then the real server is started on it (serve_web)."""
    try:
        parsed = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        checks.expect(False, f"{label}: rendered config is not TOML: {error}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        secrets_dir = Path(scratch) / "secrets"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LAGWATCH_SECRET_")}
        for cluster in parsed.get("clusters", []):
            for key, value in cluster.get("librdkafka", {}).items():
                path = value.get("file") if isinstance(value, dict) else value
                if isinstance(value, dict) and "env" in value:
                    env[value["env"]] = f"placeholder-for-{key}"
                    checks.expect(
                        any(
                            e.get("name") == value["env"] and "secretKeyRef" in e.get("valueFrom", {}) for e in pod_env
                        ),
                        f"{label}: env {value['env']} of {key} is not set from a Secret in the pod",
                    )
                if isinstance(path, str) and path.startswith(SECRETS_MOUNT + "/"):
                    target = secrets_dir / path[len(SECRETS_MOUNT) + 1 :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(f"placeholder-for-{key}\n")
        config_path = Path(scratch) / "lagwatch.toml"
        config_path.write_text(toml_text.replace(SECRETS_MOUNT + "/", str(secrets_dir) + "/"))
        web_args = []
        if web_config is not None:
            web_file = write_web_files(Path(scratch) / "web", web_config)
            web_args = ["--web.config.file", str(web_file)]
        result = subprocess.run(
            [binary, "--check-config", str(config_path), *web_args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        checks.expect(
            result.returncode == 0,
            f"{label}: lagwatch --check-config rejected the rendered config: {result.stderr.strip()}",
        )
        for placeholder in (v for k, v in env.items() if k.startswith("LAGWATCH_SECRET_")):
            checks.expect(placeholder not in result.stdout, f"{label}: --check-config printed a secret value")
        if web_config is not None and result.returncode == 0:
            web = yaml.safe_load(web_file.read_text()) or {}
            expected = ("TLS" if "tls_server_config" in web else "plain HTTP") + (
                ", basic auth" if web.get("basic_auth_users") else ""
            )
            checks.expect(
                f"# endpoint: {expected} (web configuration" in result.stdout,
                f"{label}: --check-config does not report the endpoint as {expected}: {result.stdout[-300:]}",
            )
            serve_web(checks, binary, config_path, web_file, env, web, label)


def write_web_files(directory: Path, web_config: str) -> Path:
    """Writes the rendered web-config.yml into `directory` with the pod's WEB_DIR rewritten to
    it, and a self-signed certificate and key (also standing in for the client CA) at the paths
    the file names. Returns the file's path."""
    directory.mkdir()
    web_file = directory / "web-config.yml"
    web_file.write_text(web_config.replace(WEB_DIR + "/", str(directory) + "/"))
    tls = (yaml.safe_load(web_file.read_text()) or {}).get("tls_server_config")
    if tls:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", tls["key_file"], "-out", tls["cert_file"], "-subj", "/CN=lagwatch", "-days", "2"],
            capture_output=True, check=True, timeout=60,
        )
        if tls.get("client_ca_file"):
            shutil.copyfile(tls["cert_file"], tls["client_ca_file"])
    return web_file


def serve_web(checks: Checks, binary: str, config_path: Path, web_file: Path, env: dict, web: dict, label: str) -> None:
    """Starts the real lagwatch with the rendered web-config.yml on a loopback port (Kafka need
    not answer) and checks what the chart relies on: HTTPS when TLS is on, /healthz open to
    the kubelet, /metrics asking for the password, the headers sent. When a client certificate
    is required, a client without one is refused and the other requests present one (the
    self-signed certificate, which write_web_files also made the client CA)."""
    tls = web.get("tls_server_config")
    needs_cert = bool(tls) and tls.get("client_auth_type") in ("RequireAnyClientCert", "RequireAndVerifyClientCert")
    port = free_port()
    served = config_path.with_name("served.toml")
    served.write_text(
        re.sub(r"(?m)^listen_address = .*$", f'listen_address = "127.0.0.1:{port}"', config_path.read_text())
    )
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    def client_context(with_certificate: bool) -> ssl.SSLContext | None:
        if not tls:
            return None
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if with_certificate:
            context.load_cert_chain(tls["cert_file"], tls["key_file"])
        return context

    def get(path: str, user: str | None = None, certificate: bool = needs_cert) -> tuple[int, dict]:
        request = urllib.request.Request(base + path)
        if user:
            token = base64.b64encode(f"{user}:{WEB_PASSWORDS[user]}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=5, context=client_context(certificate)) as response:
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers)

    log_path = config_path.with_name("served.log")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [binary, "--config", str(served), "--web.config.file", str(web_file)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
        )
    try:
        try:
            status, headers = wait_until(lambda: get("/healthz"), 10, 0.2, message="lagwatch serving")
        except TimeoutError as error:
            status, headers = 0, {"error": f"{error}; log: {log_path.read_text()[-300:]}"}
        checks.expect(status == 200, f"{label}: the real lagwatch on the rendered web-config.yml: /healthz {status} {headers}")
        if needs_cert:
            try:
                refused = get("/healthz", certificate=False)[0] in (401, 403)
            except OSError:  # the handshake refused
                refused = True
            checks.expect(refused, f"{label}: a client without a certificate is served")
        for name, value in (web.get("http_server_config", {}).get("headers") or {}).items():
            checks.expect(headers.get(name) == value, f"{label}: header {name} not sent by lagwatch: {headers}")
        users = web.get("basic_auth_users") or {}
        if users:
            checks.expect(get("/metrics")[0] == 401, f"{label}: /metrics answers without the password")
            for user in users:
                checks.expect(get("/metrics", user)[0] == 200, f"{label}: /metrics refuses {user}'s password")
    finally:
        process.kill()
        process.wait()


def secret_reference_paths(toml_text: str) -> list[str]:
    paths = []
    for cluster in tomllib.loads(toml_text).get("clusters", []):
        for value in cluster.get("librdkafka", {}).values():
            path = value.get("file") if isinstance(value, dict) else value
            if isinstance(path, str) and path.startswith(SECRETS_MOUNT + "/"):
                paths.append(path)
    return paths


def check_secret_files_mounted(checks: Checks, pod_spec: dict, container: dict, toml_text: str, label: str) -> None:
    """Every file the config refers to must be an item of a Secret in a volume mounted there."""
    volumes = {v["name"]: v for v in pod_spec.get("volumes", [])}
    for path in secret_reference_paths(toml_text):
        found = False
        for mount in container.get("volumeMounts", []):
            prefix = mount["mountPath"].rstrip("/") + "/"
            volume = volumes.get(mount["name"], {})
            if not path.startswith(prefix) or "projected" not in volume:
                continue
            relative = path[len(prefix) :]
            for source in volume["projected"]["sources"]:
                items = source.get("secret", {}).get("items", [])
                found = found or any(item["path"] == relative for item in items)
        checks.expect(found, f"{label}: {path} is referenced by the config but no Secret item is mounted there")


def probe_target(container: dict, probe: str, port_name: str) -> tuple[str, str]:
    """(path, how) of a probe: how is the port name of an httpGet probe (prefixed "HTTPS " for
    scheme HTTPS), "tcp PORT" of a tcpSocket probe, or "exec" when the probe runs
    `lagwatch --probe http://127.0.0.1:PORT/PATH` against the container's port."""
    spec = container.get(probe, {})
    if "httpGet" in spec:
        scheme = spec["httpGet"].get("scheme", "HTTP")
        port = spec["httpGet"].get("port", "")
        return spec["httpGet"].get("path", ""), port if scheme == "HTTP" else f"{scheme} {port}"
    if "tcpSocket" in spec:
        return "", f"tcp {spec['tcpSocket'].get('port', '')}"
    command = spec.get("exec", {}).get("command", [])
    port = next((p["containerPort"] for p in container.get("ports", []) if p["name"] == port_name), None)
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)(/\S*)", command[-1]) if len(command) == 3 else None
    if command[:2] == ["/usr/local/bin/lagwatch", "--probe"] and match and int(match.group(1)) == port:
        return match.group(2), "exec"
    return "", f"unusable probe {spec}"


def check_pod(
    checks: Checks,
    pod_spec: dict,
    container: dict,
    port_name: str,
    label: str,
    pod_level: bool,
    sidecar: bool = False,
    web: dict | None = None,
) -> None:
    # A sidecar never has a readiness probe: the consumer's pod must not turn NotReady (and
    # stall its rollout) because lagwatch waits on Kafka or replays __consumer_offsets.
    probes = {"startupProbe": "/healthz", "livenessProbe": "/healthz"}
    if sidecar:
        checks.expect("readinessProbe" not in container, f"{label}: the sidecar has a readinessProbe")
    else:
        probes["readinessProbe"] = "/readyz"
    # With web TLS the kubelet GETs over HTTPS; when a client certificate is required (which
    # the kubelet cannot present) it can only open a TCP connection.
    tls = (web or {}).get("tls", {})
    client_ca = (tls.get("clientCA") or {}).get("existingSecret")
    auth_type = tls.get("clientAuthType") or ("RequireAndVerifyClientCert" if client_ca else "NoClientCert")
    tcp_only = tls.get("enabled") and auth_type in ("RequireAnyClientCert", "RequireAndVerifyClientCert")
    for probe, path in probes.items():
        got_path, how = probe_target(container, probe, port_name)
        if tcp_only:
            checks.expect(how == f"tcp {port_name}", f"{label}: {probe} is not a tcpSocket probe of {port_name}: {how}")
            continue
        checks.expect(got_path == path, f"{label}: {probe} does not GET {path}")
        expected = f"HTTPS {port_name}" if tls.get("enabled") else port_name
        checks.expect(how in (expected, "exec"), f"{label}: {probe} is not {expected}: {how}")
    checks.expect(
        any(p.get("name") == port_name for p in container.get("ports", [])),
        f"{label}: container has no port named {port_name}",
    )
    security = container.get("securityContext", {})
    checks.expect(security.get("runAsNonRoot") is True, f"{label}: runAsNonRoot is not true")
    checks.expect(security.get("readOnlyRootFilesystem") is True, f"{label}: readOnlyRootFilesystem is not true")
    checks.expect(security.get("allowPrivilegeEscalation") is False, f"{label}: allowPrivilegeEscalation is not false")
    checks.expect(security.get("capabilities", {}).get("drop") == ["ALL"], f"{label}: capabilities do not drop ALL")
    seccomp = security.get("seccompProfile") or (
        pod_spec.get("securityContext", {}).get("seccompProfile") if pod_level else None
    )
    checks.expect((seccomp or {}).get("type") == "RuntimeDefault", f"{label}: seccompProfile is not RuntimeDefault")
    resources = container.get("resources", {})
    checks.expect(bool(resources.get("requests")) and bool(resources.get("limits")), f"{label}: resources incomplete")


def web_enabled(web: dict) -> bool:
    return bool(
        (web.get("tls") or {}).get("enabled")
        or (web.get("basicAuth") or {}).get("users")
        or web.get("headers")
        or (web.get("existingConfigSecret") or {}).get("name")
    )


def web_config_text(
    checks: Checks, docs: list[dict], pod_spec: dict, container: dict, web: dict, label: str
) -> str | None:
    """Checks how the pod gets its web configuration (values `web`) and returns the rendered
    web-config.yml (None when web is off or comes from an existing Secret): one
    --web.config.file argument naming the file in WEB_DIR; a projected volume of Secrets
    mounted there as a directory, no subPath anywhere (a subPath mount never sees a rotated
    Secret); every file the web-config names an item of that volume; the rendered Secret's
    web-config.yml valid YAML with exactly the keys the values ask for."""
    args = [a for a in container.get("args", []) if a.startswith("--web.config.file")]
    mounts = [m for m in container.get("volumeMounts", []) if m["mountPath"] == WEB_DIR]
    if not web_enabled(web):
        checks.expect(not args and not mounts, f"{label}: web config plumbing rendered with web off")
        return None
    checks.expect(args == [f"--web.config.file={WEB_FILE}"], f"{label}: --web.config.file arguments are {args}")
    for mount in container.get("volumeMounts", []):
        checks.expect(
            "subPath" not in mount and "subPathExpr" not in mount, f"{label}: {mount['name']} is mounted with subPath"
        )
    if not checks.expect(len(mounts) == 1, f"{label}: nothing (or more than one volume) mounted at {WEB_DIR}"):
        return None
    checks.expect(mounts[0].get("readOnly") is True, f"{label}: {WEB_DIR} is not mounted read-only")
    volume = next((v for v in pod_spec.get("volumes", []) if v["name"] == mounts[0]["name"]), {})
    sources = volume.get("projected", {}).get("sources", [])
    checks.expect(
        bool(sources) and all(set(source) == {"secret"} for source in sources),
        f"{label}: {WEB_DIR} is not a projected volume of Secrets only: {volume}",
    )
    # path in WEB_DIR -> (Secret, key)
    items = {
        item["path"]: (source["secret"]["name"], item["key"])
        for source in sources
        for item in source.get("secret", {}).get("items", [])
    }
    tls = web.get("tls") or {}
    client_ca = tls.get("clientCA") or {}
    if tls.get("enabled"):
        for key in ("tls.crt", "tls.key"):
            checks.expect(
                items.get(key) == (tls.get("existingSecret"), key), f"{label}: {key} is not from web.tls.existingSecret"
            )
    if client_ca.get("existingSecret"):
        checks.expect(
            items.get("client-ca.crt") == (client_ca["existingSecret"], client_ca.get("key", "ca.crt")),
            f"{label}: the client CA is not mounted from web.tls.clientCA: {items}",
        )
    secret_name, key = items.get("web-config.yml", ("", ""))
    secrets = {d["metadata"]["name"]: d for d in by_kind(docs, "Secret")}
    existing = web.get("existingConfigSecret") or {}
    if existing.get("name"):
        checks.expect(
            (secret_name, key) == (existing["name"], existing.get("key", "web-config.yml")),
            f"{label}: web-config.yml is not mounted from existingConfigSecret: {(secret_name, key)}",
        )
        checks.expect(not secrets, f"{label}: a web-config Secret is rendered next to existingConfigSecret")
        return None
    if not checks.expect(secret_name in secrets, f"{label}: web-config.yml is from {secret_name!r}, not a rendered Secret"):
        return None
    try:
        text = base64.b64decode(secrets[secret_name]["data"][key]).decode()
        rendered = yaml.safe_load(text) or {}
    except (KeyError, ValueError, yaml.YAMLError) as error:
        checks.expect(False, f"{label}: the web-config Secret holds no valid YAML under {key}: {error}")
        return None
    if not checks.expect(isinstance(rendered, dict), f"{label}: web-config.yml is not a mapping"):
        return None
    check_rendered_web_config(checks, rendered, web, items, label)
    return text


def check_rendered_web_config(checks: Checks, rendered: dict, web: dict, items: dict, label: str) -> None:
    """The keys of the rendered web-config.yml against the values, and every file it names an
    item of the mounted volume (`items`: path in WEB_DIR -> Secret and key)."""
    tls = web.get("tls") or {}
    users = (web.get("basicAuth") or {}).get("users") or {}
    headers = web.get("headers") or {}
    wanted = {
        key
        for key, on in (("tls_server_config", tls.get("enabled")), ("basic_auth_users", users),
                        ("http_server_config", headers))
        if on
    }
    checks.expect(set(rendered) == wanted, f"{label}: web-config.yml has keys {sorted(rendered)}, not {sorted(wanted)}")
    checks.expect((rendered.get("basic_auth_users") or {}) == users, f"{label}: basic_auth_users differ from the values")
    checks.expect(
        (rendered.get("http_server_config") or {}).get("headers", {}) == headers, f"{label}: headers differ from web.headers"
    )
    server = rendered.get("tls_server_config") or {}
    if tls.get("enabled"):
        checks.expect(
            (server.get("cert_file"), server.get("key_file")) == (f"{WEB_DIR}/tls.crt", f"{WEB_DIR}/tls.key"),
            f"{label}: cert_file/key_file are {server.get('cert_file')}, {server.get('key_file')}",
        )
        checks.expect(server.get("min_version") == (tls.get("minVersion") or None), f"{label}: min_version {server}")
        if (tls.get("clientCA") or {}).get("existingSecret"):
            checks.expect(
                server.get("client_auth_type") == (tls.get("clientAuthType") or "RequireAndVerifyClientCert"),
                f"{label}: client_auth_type is {server.get('client_auth_type')}",
            )
    for field in ("cert_file", "key_file", "client_ca_file"):
        if server.get(field):
            checks.expect(
                server[field].startswith(WEB_DIR + "/") and server[field][len(WEB_DIR) + 1 :] in items,
                f"{label}: {field} {server[field]} is not a file of the mounted volume",
            )


def check_scrape_security(
    checks: Checks, endpoint: dict, web: dict, monitor: dict, label: str, server_name: str
) -> None:
    """A ServiceMonitor endpoint or PodMonitor podMetricsEndpoint against the web values and
    the monitor's tlsConfig / basicAuth values (server_name: the default serverName)."""
    tls = web.get("tls") or {}
    wanted = monitor.get("tlsConfig") or {}
    basic = monitor.get("basicAuth") or {}
    if not tls.get("enabled"):
        checks.expect(
            endpoint.get("scheme", "http") == "http" and "tlsConfig" not in endpoint, f"{label}: https without web TLS"
        )
    else:
        checks.expect(endpoint.get("scheme") == "https", f"{label}: scrape scheme is {endpoint.get('scheme')}, not https")
        config = endpoint.get("tlsConfig") or {}
        ca = wanted.get("caSecret") or {}
        checks.expect(
            config.get("ca", {}).get("secret")
            == {"name": ca.get("name") or tls["existingSecret"], "key": ca.get("key", "ca.crt")},
            f"{label}: tlsConfig.ca is {config.get('ca')}",
        )
        checks.expect(
            config.get("serverName") == (wanted.get("serverName") or server_name),
            f"{label}: serverName {config.get('serverName')}",
        )
        checks.expect(
            config.get("insecureSkipVerify") is bool(wanted.get("insecureSkipVerify")),
            f"{label}: insecureSkipVerify {config.get('insecureSkipVerify')}",
        )
        client = wanted.get("clientCertSecret") or {}
        if client.get("name"):
            checks.expect(
                config.get("cert", {}).get("secret") == {"name": client["name"], "key": client.get("certKey", "tls.crt")}
                and config.get("keySecret") == {"name": client["name"], "key": client.get("keyKey", "tls.key")},
                f"{label}: client certificate of the scrape is {config.get('cert')}, {config.get('keySecret')}",
            )
    if basic.get("existingSecret"):
        name = basic["existingSecret"]
        checks.expect(
            endpoint.get("basicAuth")
            == {
                "username": {"name": name, "key": basic.get("usernameKey", "username")},
                "password": {"name": name, "key": basic.get("passwordKey", "password")},
            },
            f"{label}: basicAuth of the scrape is {endpoint.get('basicAuth')}",
        )
    else:
        checks.expect("basicAuth" not in endpoint, f"{label}: basicAuth without a basicAuth.existingSecret value")


def workload_parts(workload: dict) -> tuple[dict, dict, dict]:
    template = workload["spec"]["template"]
    pod_spec = template["spec"]
    container = next(c for c in pod_spec["containers"] if c["name"] == "lagwatch")
    return template, pod_spec, container


def config_toml(docs: list[dict], name: str) -> str:
    config_map = next(d for d in by_kind(docs, "ConfigMap") if d["metadata"]["name"] == name)
    return config_map["data"]["lagwatch.toml"]


def check_chart_variant(checks: Checks, helm: str, binary: str, values_file: Path) -> list[dict]:
    label = values_file.stem
    result = run_helm(helm, CHART, [values_file])
    if not checks.expect(result.returncode == 0, f"{label}: helm template failed: {result.stderr.strip()}"):
        return []
    docs = documents(result.stdout)
    validate_schemas(checks, docs, label)
    workloads = by_kind(docs, "Deployment") + by_kind(docs, "StatefulSet")
    if not checks.expect(len(workloads) == 1, f"{label}: expected one Deployment or StatefulSet, got {len(workloads)}"):
        return docs
    workload = workloads[0]
    template, pod_spec, container = workload_parts(workload)
    values = yaml.safe_load(values_file.read_text()) or {}
    web = values.get("web") or {}
    check_pod(checks, pod_spec, container, "http", label, pod_level=True, web=web)
    checks.expect(pod_spec["securityContext"].get("runAsNonRoot") is True, f"{label}: pod runAsNonRoot is not true")
    checks.expect(
        re.fullmatch(r"[0-9a-f]{64}", template["metadata"].get("annotations", {}).get("checksum/config", ""))
        is not None,
        f"{label}: pod template has no checksum/config annotation",
    )

    args = container["args"]
    config_path = args[args.index("--config") + 1]
    config_volume = next(v for v in pod_spec["volumes"] if v["name"] == "config")
    config_mount = next(m for m in container["volumeMounts"] if m["name"] == "config")
    checks.expect(
        config_path == config_mount["mountPath"].rstrip("/") + "/lagwatch.toml",
        f"{label}: --config {config_path} is not the mounted lagwatch.toml",
    )
    toml_text = config_toml(docs, config_volume["configMap"]["name"])
    web_config = web_config_text(checks, docs, pod_spec, container, web, label)
    check_config_with_binary(checks, binary, toml_text, container.get("env", []), label, web_config)
    check_secret_files_mounted(checks, pod_spec, container, toml_text, label)
    if web_config is not None:
        checks.expect(
            re.fullmatch(r"[0-9a-f]{64}", template["metadata"].get("annotations", {}).get("checksum/web-config", ""))
            is not None,
            f"{label}: pod template has no checksum/web-config annotation",
        )
    service_name = by_kind(docs, "Service")[0]["metadata"]["name"] if by_kind(docs, "Service") else ""
    for monitor in by_kind(docs, "ServiceMonitor"):
        for endpoint in monitor["spec"]["endpoints"]:
            check_scrape_security(checks, endpoint, web, values.get("serviceMonitor") or {}, f"{label}: ServiceMonitor",
                                  f"{service_name}.{NAMESPACE}.svc")
    listen = tomllib.loads(toml_text)["server"]["listen_address"]
    container_port = next(p["containerPort"] for p in container["ports"] if p["name"] == "http")
    checks.expect(
        listen.endswith(f":{container_port}"), f"{label}: config listens on {listen}, port is {container_port}"
    )

    services = by_kind(docs, "Service")
    checks.expect(len(services) == 1, f"{label}: expected one Service")
    for service in services:
        selector = service["spec"]["selector"]
        pod_labels = template["metadata"]["labels"]
        checks.expect(
            all(pod_labels.get(k) == v for k, v in selector.items()),
            f"{label}: Service selector does not match the pods",
        )
        checks.expect(
            any(p.get("targetPort") == "http" for p in service["spec"]["ports"]),
            f"{label}: Service does not target http",
        )
    return docs


def check_sharded(checks: Checks, docs: list[dict], shards: int) -> None:
    label = "sharded"
    checks.expect(not by_kind(docs, "Deployment"), f"{label}: a Deployment is rendered next to the StatefulSet")
    statefulsets = by_kind(docs, "StatefulSet")
    if not checks.expect(len(statefulsets) == 1, f"{label}: no StatefulSet"):
        return
    statefulset = statefulsets[0]
    checks.expect(statefulset["spec"]["replicas"] == shards, f"{label}: replicas is not {shards}")
    _, _, container = workload_parts(statefulset)
    shard_args = [a for a in container["args"] if a.startswith("--shard")]
    checks.expect(shard_args == [f"--shard=$(POD_INDEX)/{shards}"], f"{label}: shard argument is {shard_args}")
    pod_index = next((e for e in container.get("env", []) if e["name"] == "POD_INDEX"), {})
    checks.expect(
        pod_index.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
        == "metadata.labels['apps.kubernetes.io/pod-index']",
        f"{label}: POD_INDEX does not come from the pod-index label",
    )
    # What each pod's argument becomes once Kubernetes substitutes $(POD_INDEX) for its ordinal.
    expanded = [
        shard_args[0].replace("$(POD_INDEX)", str(ordinal)) for ordinal in range(statefulset["spec"]["replicas"])
    ]
    checks.expect(
        sorted(expanded) == sorted({f"--shard={i}/{shards}" for i in range(shards)}),
        f"{label}: pods do not get distinct shards 0..{shards - 1}: {expanded}",
    )


def check_shard_arguments_accepted(checks: Checks, binary: str, helm: str, shards: int) -> None:
    """The expanded --shard of every pod is accepted by the real binary."""
    result = run_helm(helm, CHART, [VALUES_DIR / "sharded.yaml"])
    docs = documents(result.stdout)
    toml_text = config_toml(docs, f"{RELEASE}-lagwatch")
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "lagwatch.toml"
        config.write_text(toml_text)
        for ordinal in range(shards):
            run = subprocess.run(
                [binary, "--check-config", str(config), f"--shard={ordinal}/{shards}"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            checks.expect(run.returncode == 0, f"sharded: --shard={ordinal}/{shards} rejected: {run.stderr.strip()}")


def check_monitoring(checks: Checks, docs: list[dict], values_file: Path) -> None:
    label = "monitoring"
    values = yaml.safe_load(values_file.read_text())
    service = by_kind(docs, "Service")[0]
    monitors = by_kind(docs, "ServiceMonitor")
    if checks.expect(len(monitors) == 1, f"{label}: no ServiceMonitor"):
        monitor = monitors[0]
        checks.expect(monitor["apiVersion"] == "monitoring.coreos.com/v1", f"{label}: ServiceMonitor apiVersion")
        match = monitor["spec"]["selector"]["matchLabels"]
        checks.expect(
            all(service["metadata"]["labels"].get(k) == v for k, v in match.items()),
            f"{label}: ServiceMonitor selector does not select the Service",
        )
        service_ports = {p["name"] for p in service["spec"]["ports"]}
        for endpoint in monitor["spec"]["endpoints"]:
            checks.expect(endpoint.get("port") in service_ports, f"{label}: endpoint port not on the Service")
            checks.expect(endpoint.get("path") == "/metrics", f"{label}: endpoint path is not /metrics")
        for key, value in values["serviceMonitor"]["labels"].items():
            checks.expect(monitor["metadata"]["labels"].get(key) == value, f"{label}: ServiceMonitor lacks label {key}")
        for endpoint in monitor["spec"]["endpoints"]:
            checks.expect(endpoint.get("honorLabels") is False, f"{label}: honorLabels is not false by default")

    rules = by_kind(docs, "PrometheusRule")
    if checks.expect(len(rules) == 1, f"{label}: no PrometheusRule"):
        groups = rules[0]["spec"]["groups"]
        alerts = {r.get("alert") for g in groups for r in g["rules"] if r.get("alert")}
        source = yaml.safe_load((REPO / "dashboards" / "alerts" / "lagwatch-rules.yaml").read_text())
        source_alerts = {r["alert"] for g in source["groups"] for r in g["rules"] if r.get("alert")}
        disabled = set(values["prometheusRule"]["disabledAlerts"])
        checks.expect(not (alerts & disabled), f"{label}: disabled alerts still rendered: {alerts & disabled}")
        checks.expect(
            source_alerts - disabled <= alerts, f"{label}: alerts missing: {source_alerts - disabled - alerts}"
        )
        checks.expect("LagwatchPaymentsLagHigh" in alerts, f"{label}: additionalGroups not rendered")
        # The chart's rules select the job its own ServiceMonitor produces: the Service's name.
        job_matcher = f'job="{service["metadata"]["name"]}"'
        own = [r for g in groups if g["name"] != "lagwatch-site" for r in g["rules"]]
        for rule in own:
            name = rule.get("alert") or rule.get("record")
            checks.expect(job_matcher in rule["expr"], f"{label}: {name} does not select {job_matcher}: {rule['expr']}")
            checks.expect('=~"lagwatch.*"' not in rule["expr"], f"{label}: {name} still matches job lagwatch.*")
            if rule.get("alert"):
                checks.expect(
                    rule.get("labels", {}).get("severity") in ("warning", "critical"), f"{label}: {name} severity"
                )
                checks.expect(
                    rule.get("annotations", {}).get("runbook_url")
                    == values["prometheusRule"]["runbookBaseUrl"] + "#" + name.lower(),
                    f"{label}: {name} runbook_url is {rule.get('annotations', {}).get('runbook_url')}",
                )
                checks.expect("runbook" not in rule.get("annotations", {}), f"{label}: {name} has an inline runbook")
        records = {r["record"] for r in own if r.get("record")}
        checks.expect(len(records) >= 5, f"{label}: recording rules missing: {records}")
        overridden = next(r for r in own if r.get("alert") == "LagwatchDataStale")
        checks.expect(
            overridden["for"] == "3m" and overridden["labels"]["severity"] == "critical",
            f"{label}: alertOverrides not applied: {overridden}",
        )
        for group in groups:
            for rule in group["rules"]:
                checks.expect(
                    bool(rule.get("expr")) and bool(rule.get("alert") or rule.get("record")),
                    f"{label}: rule without expr or alert/record in group {group['name']}",
                )
        promtool = shutil.which("promtool")
        if promtool:
            with tempfile.NamedTemporaryFile("w", suffix=".yaml") as handle:
                yaml.safe_dump({"groups": groups}, handle)
                handle.flush()
                run = subprocess.run(
                    [promtool, "check", "rules", handle.name], capture_output=True, text=True, timeout=60, check=False
                )
                checks.expect(run.returncode == 0, f"{label}: promtool check rules failed: {run.stdout}{run.stderr}")

    dashboards = [d for d in by_kind(docs, "ConfigMap") if d["metadata"]["name"].endswith("-dashboards")]
    if checks.expect(len(dashboards) == 1, f"{label}: no dashboards ConfigMap"):
        config_map = dashboards[0]
        checks.expect(
            config_map["metadata"]["labels"].get("grafana_dashboard") == "1", f"{label}: no grafana_dashboard=1"
        )
        sources = sorted((REPO / "dashboards").glob("*.json"))
        checks.expect(
            sorted(config_map["data"]) == [s.name for s in sources],
            f"{label}: dashboards differ from dashboards/*.json",
        )
        for source in sources:
            rendered = config_map["data"].get(source.name, "")
            try:
                same = json.loads(rendered) == json.loads(source.read_text())
            except json.JSONDecodeError:
                same = False
            checks.expect(same, f"{label}: {source.name} in the ConfigMap is not the repository's dashboard")
            # Grafana's sidecar loads the JSON as it is: an import placeholder would stay unresolved.
            checks.expect("${DS_" not in rendered, f"{label}: {source.name} has an unresolved ${{DS_...}} placeholder")


def check_sidecar_pod_monitor(checks: Checks, docs: list[dict], merged: dict, label: str) -> None:
    monitors = by_kind(docs, "PodMonitor")
    if not checks.expect(len(monitors) == 1, f"{label}: no PodMonitor"):
        return
    validate_schemas(checks, monitors, label)
    monitor = monitors[0]
    pod_labels = merged["spec"]["template"]["metadata"]["labels"]
    match = monitor["spec"]["selector"]["matchLabels"]
    checks.expect(
        all(pod_labels.get(k) == v for k, v in match.items()), f"{label}: PodMonitor does not select the consumer's pods"
    )
    ports = {p["name"] for c in merged["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])}
    for endpoint in monitor["spec"]["podMetricsEndpoints"]:
        checks.expect(endpoint.get("port") == "lagwatch-http", f"{label}: PodMonitor scrapes {endpoint.get('port')}")
        checks.expect(endpoint.get("port") in ports, f"{label}: PodMonitor port not in the pod")
        # Replicas are told apart by the pod target label; honorLabels must not drop it.
        checks.expect(endpoint.get("honorLabels") is False, f"{label}: PodMonitor honorLabels is not false")


def merge_sidecar(deployment: dict, parts: dict) -> dict:
    merged = copy.deepcopy(deployment)
    template = merged["spec"]["template"]
    template["metadata"].setdefault("annotations", {}).update(parts["podAnnotations"])
    template["spec"]["containers"] += parts["containers"]
    template["spec"].setdefault("volumes", []).extend(parts["volumes"])
    return merged


def check_sidecar(checks: Checks, helm: str, binary: str, values_file: Path) -> None:
    label = values_file.stem
    with tempfile.TemporaryDirectory() as scratch:
        chart = Path(scratch) / "consumer"
        shutil.copytree(CONSUMER_CHART, chart)
        shutil.copytree(CHART, chart / "charts" / "lagwatch")
        # What README.md tells a consumer chart to do: validate its lagwatchSidecar block with
        # the chart's sidecar schema.
        sidecar_schema = json.loads((CHART / "sidecar.values.schema.json").read_text())
        (chart / "values.schema.json").write_text(
            json.dumps({"type": "object", "properties": {"lagwatchSidecar": sidecar_schema}})
        )
        misspelt = run_helm(helm, chart, [values_file], ["--set", "lagwatchSidecar.podMonitor.enabeld=true"])
        checks.expect(
            misspelt.returncode != 0 and "enabeld" in misspelt.stderr,
            f"{label}: the sidecar schema lets a misspelt key through: {misspelt.stderr.strip()[:200]}",
        )
        if "web" in yaml.safe_load(values_file.read_text())["lagwatchSidecar"]:
            for arguments, message in (
                (["--set", "lagwatchSidecar.web.tls.existingSecret="], "lagwatchSidecar.web.tls.existingSecret"),
                (["--set", "lagwatchSidecar.podMonitor.tlsConfig.serverName="], "lagwatchSidecar.podMonitor.tlsConfig.serverName"),
                (["--set", "lagwatchSidecar.podMonitor.basicAuth.existingSecret="], "lagwatchSidecar.podMonitor.basicAuth"),
                (["--set", "lagwatchSidecar.web.tls.minVersion=TLS9"], "minVersion"),
            ):
                refused = run_helm(helm, chart, [values_file], arguments)
                checks.expect(
                    refused.returncode != 0 and message in refused.stderr,
                    f"{label}: {arguments[-1]} not refused with {message!r}: {refused.stderr.strip()[:200]}",
                )
        result = run_helm(helm, chart, [values_file])
        lint = subprocess.run(
            [helm, "lint", "--strict", str(chart), "-f", str(values_file)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        checks.expect(lint.returncode == 0, f"{label}: helm lint --strict of the consumer chart: {lint.stdout[-500:]}")
    if not checks.expect(result.returncode == 0, f"{label}: helm template failed: {result.stderr.strip()}"):
        return
    docs = documents(result.stdout)
    checks.expect(
        not by_kind(docs, "Deployment") and not by_kind(docs, "Service"),
        f"{label}: sidecarTemplatesOnly still renders lagwatch's own resources",
    )
    parts = next((d for d in docs if d.get("kind") == "LagwatchSidecarParts"), None)
    config_maps = by_kind(docs, "ConfigMap")
    validate_schemas(checks, by_kind(docs, "Secret"), label)
    if not checks.expect(parts is not None and len(config_maps) == 1, f"{label}: sidecar parts or ConfigMap missing"):
        return
    validate_schemas(checks, config_maps, label)
    sample = yaml.safe_load(SAMPLE_CONSUMER.read_text())
    merged = merge_sidecar(sample, parts)
    validate_schemas(checks, [merged], f"{label} merged into {SAMPLE_CONSUMER.name}")
    _, pod_spec, container = workload_parts(merged)
    values = yaml.safe_load(values_file.read_text())["lagwatchSidecar"]
    web = values.get("web") or {}
    check_pod(checks, pod_spec, container, "lagwatch-http", label, pod_level=False, sidecar=True, web=web)
    check_sidecar_pod_monitor(checks, docs, merged, label)
    for monitor in by_kind(docs, "PodMonitor"):
        for endpoint in monitor["spec"]["podMetricsEndpoints"]:
            check_scrape_security(checks, endpoint, web, values.get("podMonitor") or {}, f"{label}: PodMonitor", "")
    web_config = web_config_text(checks, docs, pod_spec, container, web, label)
    for other in pod_spec["containers"]:
        if other["name"] != "lagwatch":
            checks.expect(
                other.get("readinessProbe") == sample["spec"]["template"]["spec"]["containers"][0].get("readinessProbe"),
                f"{label}: the consumer's own readiness probe changed",
            )
    names = [c["name"] for c in pod_spec["containers"]]
    checks.expect(names == ["app", "lagwatch"], f"{label}: containers after merge are {names}")
    ports = [p["name"] for c in pod_spec["containers"] for p in c.get("ports", [])]
    checks.expect(len(ports) == len(set(ports)), f"{label}: port names clash with the consumer's: {ports}")
    volumes = [v["name"] for v in pod_spec["volumes"]]
    checks.expect(len(volumes) == len(set(volumes)), f"{label}: volume names clash with the consumer's: {volumes}")
    config_volume = next(v for v in pod_spec["volumes"] if v["name"] == "lagwatch-config")
    checks.expect(
        config_volume["configMap"]["name"] == config_maps[0]["metadata"]["name"],
        f"{label}: the sidecar mounts a ConfigMap other than the one rendered",
    )
    toml_text = config_maps[0]["data"]["lagwatch.toml"]
    check_config_with_binary(checks, binary, toml_text, container.get("env", []), label, web_config)
    groups = tomllib.loads(toml_text)["clusters"][0]["groups"]["allow"]
    checks.expect(
        [re.sub(r"\\(.)", r"\1", g) for g in groups] == values["cluster"]["groups"],
        f"{label}: allow list {groups} is not exactly the consumer's groups",
    )
    for group in values["cluster"]["groups"]:
        checks.expect(any(re.fullmatch(p, group) for p in groups), f"{label}: no allow pattern matches {group}")
        # An unescaped dot would let a look-alike group in.
        look_alike = group.replace(".", "x")
        if look_alike != group:
            checks.expect(
                not any(re.fullmatch(p, look_alike) for p in groups), f"{label}: allow patterns match {look_alike}"
            )
    checks.expect(container["resources"]["limits"]["memory"] == "64Mi", f"{label}: sidecar memory limit is not tiny")


def set_clusters(*clusters: dict) -> list[str]:
    return ["--set-json", "clusters=" + json.dumps(list(clusters))]


WEB_TLS = ["--set", "web.tls.enabled=true", "--set", "web.tls.existingSecret=tls"]
WEB_HASH = "$2b$10$abcdefghijklmnopqrstuul2LqfVFD9SIf7.Gi9fLxnnlONP3Mpzq"


def check_rejected_values(checks: Checks, helm: str) -> None:
    """Values the chart must refuse with a message naming the problem, not render."""
    password = {"property": "sasl.password", "secretName": "s", "secretKey": "k"}
    cases = {
        "no cluster": (["--set", "clusters=null"], "at least one entry in clusters"),
        "bad cluster name": (set_clusters({"name": "a b", "bootstrapServers": "k:1"}), "/clusters/0/name"),
        "duplicate names": (
            set_clusters({"name": "a", "bootstrapServers": "k:1"}, {"name": "a", "bootstrapServers": "k:2"}),
            "used twice",
        ),
        "no bootstrap servers": (set_clusters({"name": "a", "bootstrapServers": ""}), "bootstrapServers"),
        "bad secret mode": (
            set_clusters({"name": "a", "bootstrapServers": "k:1", "secretProperties": [password | {"mode": "inline"}]}),
            "/clusters/0/secretProperties/0/mode",
        ),
        "secret also inline": (
            set_clusters(
                {
                    "name": "a",
                    "bootstrapServers": "k:1",
                    "librdkafka": {"sasl.password": "x"},
                    "secretProperties": [password],
                }
            ),
            "also set in",
        ),
        "no shards": (["--set", "sharding.enabled=true", "--set", "sharding.shards=0"], "/sharding/shards"),
        "sharding on 1.27": (["--set", "sharding.enabled=true", "--kube-version", "1.27.0"], "1.28"),
        # values.schema.json: misspelt keys and wrong types never render silently.
        "misspelt key": (["--set", "serviceMonitor.enabeld=true"], "enabeld"),
        "unknown probe mode": (["--set", "probeMode=tcp"], "probeMode"),
        "bad poll interval": (["--set", "poll.interval=soon"], "interval"),
        "override of no alert": (
            ["--set", "prometheusRule.enabled=true", "--set", "prometheusRule.alertOverrides.NoSuchAlert.for=1m"],
            "NoSuchAlert",
        ),
        # web: inconsistent TLS / basic auth values fail with a message naming the fix.
        "web TLS without a Secret": (["--set", "web.tls.enabled=true"], "web.tls.existingSecret"),
        "web client CA without TLS": (["--set", "web.tls.clientCA.existingSecret=ca"], "web.tls.clientCA needs TLS"),
        "web TLS Secret without TLS": (["--set", "web.tls.existingSecret=tls"], "web.tls.enabled is false"),
        "web client auth without a CA": (
            WEB_TLS + ["--set", "web.tls.clientAuthType=RequireAnyClientCert"],
            "needs a client CA",
        ),
        "web TLS with exec probes": (WEB_TLS + ["--set", "probeMode=exec"], "probeMode exec"),
        "web config Secret and users": (
            ["--set", "web.existingConfigSecret.name=mine", "--set", f"web.basicAuth.users.a={WEB_HASH}"],
            "complete web-config.yml",
        ),
        "scrape without the password": (
            ["--set", "serviceMonitor.enabled=true", "--set", f"web.basicAuth.users.a={WEB_HASH}"],
            "serviceMonitor.basicAuth.existingSecret",
        ),
        "scrape without a client certificate": (
            WEB_TLS + ["--set", "serviceMonitor.enabled=true", "--set", "web.tls.clientCA.existingSecret=ca"],
            "serviceMonitor.tlsConfig.clientCertSecret.name",
        ),
        "web unknown client auth type": (WEB_TLS + ["--set", "web.tls.clientAuthType=Required"], "clientAuthType"),
        "web unknown TLS version": (WEB_TLS + ["--set", "web.tls.minVersion=TLS1.3"], "minVersion"),
        "web password instead of a hash": (["--set", "web.basicAuth.users.a=secret"], "users"),
        "web header with a line break": (["--set-json", 'web.headers={"X-A": "a\\r\\nX-B: b"}'], "headers"),
    }
    for name, (arguments, message) in cases.items():
        result = run_helm(helm, CHART, [], arguments)
        checks.expect(
            result.returncode != 0 and message in result.stderr,
            f"rejected values ({name}): expected a failure mentioning {message!r}, "
            f"got rc={result.returncode} {result.stderr.strip()[:200]}",
        )


def check_existing_web_config(checks: Checks, helm: str) -> None:
    """web.existingConfigSecret: the user's Secret is mounted as web-config.yml next to the TLS
    Secret, nothing is rendered in its place, and the pod still gets --web.config.file."""
    label = "web existingConfigSecret"
    web = {"tls": {"enabled": True, "existingSecret": "tls"}, "existingConfigSecret": {"name": "mine", "key": "web.yml"}}
    result = run_helm(helm, CHART, [], ["--set-json", "web=" + json.dumps(web)])
    if not checks.expect(result.returncode == 0, f"{label}: helm template failed: {result.stderr.strip()}"):
        return
    docs = documents(result.stdout)
    validate_schemas(checks, docs, label)
    _, pod_spec, container = workload_parts(by_kind(docs, "Deployment")[0])
    check_pod(checks, pod_spec, container, "http", label, pod_level=True, web=web)
    checks.expect(web_config_text(checks, docs, pod_spec, container, web, label) is None, f"{label}: a web-config rendered")


def check_deny_defaults(checks: Checks, helm: str) -> None:
    """Own clusters keep clusterDefaults' deny lists unless they set deny themselves."""

    def filters(cluster: dict) -> dict:
        docs = documents(run_helm(helm, CHART, [], set_clusters(cluster)).stdout)
        parsed = tomllib.loads(config_toml(docs, f"{RELEASE}-lagwatch"))["clusters"][0]
        return {"groups": parsed["groups"]["deny"], "topics": parsed["topics"]["deny"]}

    defaults = yaml.safe_load((CHART / "values.yaml").read_text())["clusterDefaults"]
    plain = filters({"name": "a", "bootstrapServers": "k:1"})
    checks.expect(plain["groups"] == defaults["groups"]["deny"], f"own cluster lost the default group deny list: {plain}")
    checks.expect(plain["topics"] == defaults["topics"]["deny"], f"own cluster lost the default topic deny list: {plain}")
    allowed = filters({"name": "a", "bootstrapServers": "k:1", "groups": {"allow": ["^x"]}})
    checks.expect(allowed["groups"] == defaults["groups"]["deny"], f"an allow list dropped the default deny: {allowed}")
    explicit = filters({"name": "a", "bootstrapServers": "k:1", "groups": {"deny": []}, "topics": {"deny": ["^y"]}})
    checks.expect(explicit == {"groups": [], "topics": ["^y"]}, f"explicit deny lists not kept: {explicit}")


def check_values_schema(checks: Checks) -> None:
    """Every documented values file (and values.yaml) is valid against values.schema.json, and
    the schema knows every key of values.yaml."""
    schema = json.loads((CHART / "values.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    files = [CHART / "values.yaml"] + [f for f in sorted(VALUES_DIR.glob("*.yaml")) if not f.stem.startswith("sidecar-")]
    for values_file in files:
        values = yaml.safe_load(values_file.read_text()) or {}
        errors = list(validator.iter_errors(values))
        checks.expect(not errors, f"{values_file.name} invalid against values.schema.json: {[e.message for e in errors[:3]]}")
    sidecar = yaml.safe_load((VALUES_DIR / "sidecar-example.yaml").read_text())["lagwatch"]
    checks.expect(not list(validator.iter_errors(sidecar)), "sidecar-example.yaml's lagwatch: block is invalid")

    def leaves(node: dict, schema_node: dict, path: str) -> None:
        for key, value in node.items():
            sub = schema_node.get("properties", {}).get(key)
            if not checks.expect(sub is not None, f"values.schema.json does not describe {path}{key}"):
                continue
            if isinstance(value, dict) and sub.get("additionalProperties") is False:
                leaves(value, sub, f"{path}{key}.")

    leaves(yaml.safe_load((CHART / "values.yaml").read_text()), schema, "")


def check_full(checks: Checks, docs: list[dict]) -> None:
    """tests/deploy/values/full.yaml: PDB, exec probes, extra/init containers, host aliases,
    ServiceMonitor namespace/jobLabel/targetLabels, and the rules following that job."""
    label = "full"
    workload = by_kind(docs, "Deployment")[0]
    _, pod_spec, container = workload_parts(workload)
    pdbs = by_kind(docs, "PodDisruptionBudget")
    if checks.expect(len(pdbs) == 1, f"{label}: no PodDisruptionBudget"):
        pdb = pdbs[0]["spec"]
        checks.expect(pdb.get("maxUnavailable") == 1 and "minAvailable" not in pdb, f"{label}: PDB spec {pdb}")
        pod_labels = workload["spec"]["template"]["metadata"]["labels"]
        checks.expect(
            all(pod_labels.get(k) == v for k, v in pdb["selector"]["matchLabels"].items()), f"{label}: PDB selects no pod"
        )
    checks.expect(all("exec" in container[p] for p in ("startupProbe", "livenessProbe", "readinessProbe")),
                  f"{label}: probeMode exec not applied")
    checks.expect([c["name"] for c in pod_spec["containers"]] == ["lagwatch", "log-shipper"], f"{label}: extraContainers")
    checks.expect([c["name"] for c in pod_spec.get("initContainers", [])] == ["wait-for-ca"], f"{label}: initContainers")
    checks.expect(pod_spec.get("hostAliases", [{}])[0].get("ip") == "10.20.0.11", f"{label}: hostAliases")
    monitor = by_kind(docs, "ServiceMonitor")[0]
    checks.expect(monitor["metadata"]["namespace"] == "prometheus", f"{label}: serviceMonitor.namespace")
    checks.expect(monitor["spec"].get("namespaceSelector") == {"matchNames": [NAMESPACE]}, f"{label}: namespaceSelector")
    checks.expect(monitor["spec"].get("jobLabel") == "app.kubernetes.io/name", f"{label}: jobLabel")
    checks.expect(monitor["spec"].get("targetLabels") == ["team"], f"{label}: targetLabels")
    service = by_kind(docs, "Service")[0]
    job = service["metadata"]["labels"]["app.kubernetes.io/name"]
    rules = [r for g in by_kind(docs, "PrometheusRule")[0]["spec"]["groups"] for r in g["rules"]]
    for rule in rules:
        checks.expect(
            f'job="{job}", namespace="monitoring"' in rule["expr"],
            f"{label}: {rule.get('alert') or rule.get('record')} lacks the jobLabel job and the selector: {rule['expr']}",
        )


def check_checksum_follows_config(checks: Checks, helm: str) -> None:
    def checksum(extra: list[str]) -> str:
        docs = documents(run_helm(helm, CHART, [], extra).stdout)
        return by_kind(docs, "Deployment")[0]["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    base = checksum([])
    checks.expect(base == checksum([]), "checksum/config is not stable across renders")
    checks.expect(base != checksum(["--set", "poll.interval=20s"]), "checksum/config ignores a config change")
    checks.expect(base == checksum(["--set", "replicaCount=2"]), "checksum/config changes without a config change")

    def web_checksum(header: str) -> str:
        docs = documents(run_helm(helm, CHART, [], ["--set", f"web.headers.X-Test={header}"]).stdout)
        return by_kind(docs, "Deployment")[0]["spec"]["template"]["metadata"]["annotations"].get("checksum/web-config", "")

    checks.expect(web_checksum("a") != web_checksum("b"), "checksum/web-config ignores a change of web-config.yml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helm", required=True)
    parser.add_argument("--lagwatch-bin", required=True)
    parser.add_argument("--crd-dir", required=True, type=Path, help="prometheus-operator example/prometheus-operator-crd")
    options = parser.parse_args()
    checks = Checks()
    CRD_SCHEMAS.update(load_crd_schemas(options.crd_dir))

    values_files = sorted(VALUES_DIR.glob("*.yaml"))
    expected = {"default", "sasl-tls", "sharded", "sidecar-example", "monitoring", "full",
                "web-tls-basic-auth", "web-mtls-sharded", "sidecar-web"}
    checks.expect(
        expected <= {f.stem for f in values_files}, f"values files missing: {expected - {f.stem for f in values_files}}"
    )
    for values_file in values_files:
        if values_file.stem.startswith("sidecar-"):
            check_sidecar(checks, options.helm, options.lagwatch_bin, values_file)
            continue
        docs = check_chart_variant(checks, options.helm, options.lagwatch_bin, values_file)
        if values_file.stem == "sharded" and docs:
            shards = yaml.safe_load(values_file.read_text())["sharding"]["shards"]
            check_sharded(checks, docs, shards)
            check_shard_arguments_accepted(checks, options.lagwatch_bin, options.helm, shards)
        if values_file.stem == "monitoring" and docs:
            check_monitoring(checks, docs, values_file)
        if values_file.stem == "full" and docs:
            check_full(checks, docs)
    check_rejected_values(checks, options.helm)
    check_existing_web_config(checks, options.helm)
    check_checksum_follows_config(checks, options.helm)
    check_deny_defaults(checks, options.helm)
    check_values_schema(checks)

    print(f"chart checks: {checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
