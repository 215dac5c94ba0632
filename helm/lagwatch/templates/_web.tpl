{{/*
The endpoint's own TLS, basic auth and headers: lagwatch's --web.config.file (the Prometheus
exporter-toolkit web configuration format, see docs/security.md), in every mode.

The file and the certificates are one projected volume mounted as a directory at
lagwatch.web.dir (never with subPath, so the kubelet keeps the files current when a Secret is
rotated):
  web-config.yml   rendered from the values into a Secret, or web.existingConfigSecret's
  tls.crt tls.key  from web.tls.existingSecret (a kubernetes.io/tls Secret)
  client-ca.crt    from web.tls.clientCA.existingSecret
*/}}

{{- define "lagwatch.web.dir" -}}/etc/lagwatch/web{{- end }}
{{- define "lagwatch.web.file" -}}web-config.yml{{- end }}

{{/*
The web values with defaults filled in, checked, as YAML. Takes a dict: web (the values
block), prefix (its path in the values, for messages), probeMode.
*/}}
{{- define "lagwatch.web.settings" -}}
{{- $p := .prefix }}
{{- $w := .web | default dict }}
{{- $tls := $w.tls | default dict }}
{{- $ca := $tls.clientCA | default dict }}
{{- $users := ($w.basicAuth | default dict).users | default dict }}
{{- $headers := $w.headers | default dict }}
{{- $existing := $w.existingConfigSecret | default dict }}
{{- if $tls.enabled }}
{{- if not $tls.existingSecret }}
{{- fail (printf "lagwatch: %s.tls.enabled needs %s.tls.existingSecret, a kubernetes.io/tls Secret with tls.crt and tls.key" $p $p) }}
{{- end }}
{{- if eq (toString .probeMode) "exec" }}
{{- fail (printf "lagwatch: %s.tls.enabled does not work with probeMode exec (lagwatch --probe speaks plain HTTP only): use probeMode httpGet" $p) }}
{{- end }}
{{- else }}
{{- range $key := list "existingSecret" "clientAuthType" "minVersion" }}
{{- if get $tls $key }}
{{- fail (printf "lagwatch: %s.tls.%s is set but %s.tls.enabled is false" $p $key $p) }}
{{- end }}
{{- end }}
{{- if $ca.existingSecret }}
{{- fail (printf "lagwatch: %s.tls.clientCA needs TLS: set %s.tls.enabled and %s.tls.existingSecret" $p $p $p) }}
{{- end }}
{{- end }}
{{- $clientAuth := $tls.clientAuthType | default (ternary "RequireAndVerifyClientCert" "NoClientCert" (not (empty $ca.existingSecret))) }}
{{- if and (ne $clientAuth "NoClientCert") (not $ca.existingSecret) }}
{{- fail (printf "lagwatch: %s.tls.clientAuthType %s needs a client CA: set %s.tls.clientCA.existingSecret" $p $clientAuth $p) }}
{{- end }}
{{- if and $existing.name (or $users $headers) }}
{{- fail (printf "lagwatch: %s.existingConfigSecret is a complete web-config.yml: put the users and headers in it, not in %s.basicAuth.users or %s.headers" $p $p $p) }}
{{- end }}
{{- dict
  "enabled" (or $tls.enabled (not (empty $users)) (not (empty $headers)) (not (empty $existing.name)))
  "tls" (not (empty $tls.enabled))
  "tlsSecret" ($tls.existingSecret | default "")
  "clientCASecret" ($ca.existingSecret | default "")
  "clientCAKey" ($ca.key | default "ca.crt")
  "clientAuthType" $clientAuth
  "requiresClientCert" (has $clientAuth (list "RequireAnyClientCert" "RequireAndVerifyClientCert"))
  "minVersion" ($tls.minVersion | default "")
  "users" $users
  "headers" $headers
  "configSecret" ($existing.name | default "")
  "configKey" ($existing.key | default (include "lagwatch.web.file" .))
  | toYaml }}
{{- end }}

{{/* The rendered web-config.yml. Takes the settings. */}}
{{- define "lagwatch.web.config" -}}
{{- $dir := include "lagwatch.web.dir" . }}
{{- $out := dict }}
{{- if .tls }}
{{- $tls := dict "cert_file" (printf "%s/tls.crt" $dir) "key_file" (printf "%s/tls.key" $dir) }}
{{- if .clientCASecret }}
{{- $_ := set $tls "client_ca_file" (printf "%s/client-ca.crt" $dir) }}
{{- $_ := set $tls "client_auth_type" .clientAuthType }}
{{- end }}
{{- with .minVersion }}
{{- $_ := set $tls "min_version" . }}
{{- end }}
{{- $_ := set $out "tls_server_config" $tls }}
{{- end }}
{{- with .headers }}
{{- $_ := set $out "http_server_config" (dict "headers" .) }}
{{- end }}
{{- with .users }}
{{- $_ := set $out "basic_auth_users" . }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
The Secret holding the rendered web-config.yml (it holds password hashes: not a ConfigMap).
Takes a dict: settings, name, namespace, labels (YAML).
*/}}
{{- define "lagwatch.web.secret" -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- .labels | trim | nindent 4 }}
type: Opaque
data:
  {{ include "lagwatch.web.file" . }}: {{ include "lagwatch.web.config" .settings | b64enc }}
{{- end }}

{{/* The container argument. */}}
{{- define "lagwatch.web.arg" -}}
- --web.config.file={{ include "lagwatch.web.dir" . }}/{{ include "lagwatch.web.file" . }}
{{- end }}

{{/* The container's volume mount. Takes the volume name. */}}
{{- define "lagwatch.web.volumeMount" -}}
- name: {{ . }}
  mountPath: {{ include "lagwatch.web.dir" . }}
  readOnly: true
{{- end }}

{{/*
The pod's volume: web-config.yml and the certificates in one directory. Takes a dict:
settings, name (volume), secretName (the rendered Secret), mode (defaultMode, e.g. "0440").
*/}}
{{- define "lagwatch.web.volume" -}}
{{- $s := .settings -}}
- name: {{ .name }}
  projected:
    defaultMode: {{ .mode }}
    sources:
      - secret:
          name: {{ $s.configSecret | default .secretName }}
          items:
            - key: {{ $s.configKey }}
              path: {{ include "lagwatch.web.file" . }}
      {{- if $s.tls }}
      - secret:
          name: {{ $s.tlsSecret }}
          items:
            - key: tls.crt
              path: tls.crt
            - key: tls.key
              path: tls.key
      {{- end }}
      {{- if $s.clientCASecret }}
      - secret:
          name: {{ $s.clientCASecret }}
          items:
            - key: {{ $s.clientCAKey }}
              path: client-ca.crt
      {{- end }}
{{- end }}

{{/*
scheme, tlsConfig and basicAuth of a ServiceMonitor endpoint or PodMonitor podMetricsEndpoint.
Takes a dict: settings, monitor (its values: tlsConfig, basicAuth), prefix (the monitor's
path in the values), webPrefix, serverName (default of tlsConfig.serverName, may be empty).
*/}}
{{- define "lagwatch.web.scrapeSecurity" -}}
{{- $s := .settings -}}
{{- $p := .prefix }}
{{- $t := .monitor.tlsConfig | default dict }}
{{- $b := .monitor.basicAuth | default dict }}
{{- if $s.tls }}
{{- $serverName := $t.serverName | default .serverName }}
{{- if not (or $serverName $t.insecureSkipVerify) }}
{{- fail (printf "lagwatch: %s.tlsConfig.serverName is required with %s.tls.enabled: the name Prometheus checks lagwatch's certificate against" $p .webPrefix) }}
{{- end }}
scheme: https
tlsConfig:
  {{- $caSecret := $t.caSecret | default dict }}
  ca:
    secret:
      name: {{ $caSecret.name | default $s.tlsSecret }}
      key: {{ $caSecret.key | default "ca.crt" }}
  {{- with $serverName }}
  serverName: {{ . }}
  {{- end }}
  insecureSkipVerify: {{ $t.insecureSkipVerify | default false }}
  {{- $client := $t.clientCertSecret | default dict }}
  {{- if $client.name }}
  cert:
    secret:
      name: {{ $client.name }}
      key: {{ $client.certKey | default "tls.crt" }}
  keySecret:
    name: {{ $client.name }}
    key: {{ $client.keyKey | default "tls.key" }}
  {{- else if $s.requiresClientCert }}
  {{- fail (printf "lagwatch: %s.tls.clientAuthType %s makes Prometheus present a certificate: set %s.tlsConfig.clientCertSecret.name" .webPrefix $s.clientAuthType $p) }}
  {{- end }}
{{- end }}
{{- if $b.existingSecret }}
basicAuth:
  username:
    name: {{ $b.existingSecret }}
    key: {{ $b.usernameKey | default "username" }}
  password:
    name: {{ $b.existingSecret }}
    key: {{ $b.passwordKey | default "password" }}
{{- else if $s.users }}
{{- fail (printf "lagwatch: %s.basicAuth.users makes /metrics require a password: set %s.basicAuth.existingSecret (a Secret with the username and password Prometheus sends)" .webPrefix $p) }}
{{- end }}
{{- end }}
