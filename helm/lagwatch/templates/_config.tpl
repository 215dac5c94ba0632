{{/*
The lagwatch TOML config and the Secret plumbing it refers to. Shared by the chart's own
ConfigMap and by the sidecar templates, so both render clusters the same way.

Every named template here takes a dict:
  clusters          list of cluster values (see values.yaml)
  secretsMountPath  directory of file/path-mode secrets
  clusterDefaults   groups.deny / topics.deny for clusters that do not set their own
  port, poll        (lagwatch.toml only) listen port and poll settings
Strings are written with toJson: a JSON string is a valid TOML basic string with the same value
(backslashes of regular expressions and quotes survive).
*/}}

{{- define "lagwatch.tomlValue" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) }}
{{- int64 . | toString | toJson }}
{{- else }}
{{- toString . | toJson }}
{{- end }}
{{- end }}

{{- define "lagwatch.tomlDuration" -}}
{{- if kindIs "string" . }}{{ toJson . }}{{ else }}{{ . }}{{ end }}
{{- end }}

{{- define "lagwatch.secretEnvName" -}}
{{- regexReplaceAll "[^A-Z0-9_]" (printf "LAGWATCH_SECRET_%s_%s" .cluster .property | upper) "_" }}
{{- end }}

{{- define "lagwatch.secretFilePath" -}}
{{- printf "%s/%s/%s" (.mountPath | trimSuffix "/") .cluster .property }}
{{- end }}

{{/* Fails the render with a message naming the value at fault. */}}
{{- define "lagwatch.validateClusters" -}}
{{- if not .clusters }}
{{- fail "lagwatch: at least one entry in clusters is required" }}
{{- end }}
{{- $seen := dict }}
{{- range $index, $cluster := .clusters }}
{{- $name := toString (required (printf "lagwatch: clusters[%d].name is required" $index) $cluster.name) }}
{{- if not (regexMatch "^[A-Za-z0-9_.-]+$" $name) }}
{{- fail (printf "lagwatch: clusters[%d].name %q may only contain A-Z a-z 0-9 _ . -" $index $name) }}
{{- end }}
{{- if hasKey $seen $name }}
{{- fail (printf "lagwatch: cluster name %q is used twice" $name) }}
{{- end }}
{{- $_ := set $seen $name true }}
{{- $servers := required (printf "lagwatch: clusters[%d].bootstrapServers is required" $index) $cluster.bootstrapServers }}
{{- if kindIs "slice" $servers }}
{{- $servers = join "," $servers }}
{{- end }}
{{- if not (trim (toString $servers)) }}
{{- fail (printf "lagwatch: clusters[%d].bootstrapServers is empty" $index) }}
{{- end }}
{{- range $secretIndex, $secret := $cluster.secretProperties }}
{{- $where := printf "clusters[%d].secretProperties[%d]" $index $secretIndex }}
{{- $property := required (printf "lagwatch: %s.property is required" $where) $secret.property }}
{{- $_ := required (printf "lagwatch: %s.secretName is required" $where) $secret.secretName }}
{{- $_ = required (printf "lagwatch: %s.secretKey is required" $where) $secret.secretKey }}
{{- if not (has ($secret.mode | default "file") (list "file" "env" "path")) }}
{{- fail (printf "lagwatch: %s.mode must be file, env or path, not %q" $where $secret.mode) }}
{{- end }}
{{- if hasKey ($cluster.librdkafka | default dict) $property }}
{{- fail (printf "lagwatch: %s: property %q is also set in clusters[%d].librdkafka" $where $property $index) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* A cluster's deny list: its own when the key is present (even []), else the default. */}}
{{- define "lagwatch.denyList" -}}
{{- $own := .own | default dict }}
{{- if hasKey $own "deny" }}{{ $own.deny | default list | toJson }}{{ else }}{{ .fallback | default list | toJson }}{{ end }}
{{- end }}

{{- define "lagwatch.clusterToml" -}}
{{- $cluster := .cluster }}
{{- $defaults := .defaults | default dict }}
{{- $mountPath := .secretsMountPath -}}
[[clusters]]
name = {{ toJson (toString $cluster.name) }}
{{- if kindIs "slice" $cluster.bootstrapServers }}
bootstrap_servers = {{ join "," $cluster.bootstrapServers | toJson }}
{{- else }}
bootstrap_servers = {{ toString $cluster.bootstrapServers | toJson }}
{{- end }}

[clusters.groups]
allow = {{ (($cluster.groups | default dict).allow | default list) | toJson }}
deny = {{ include "lagwatch.denyList" (dict "own" $cluster.groups "fallback" ($defaults.groups | default dict).deny) }}

[clusters.topics]
allow = {{ (($cluster.topics | default dict).allow | default list) | toJson }}
deny = {{ include "lagwatch.denyList" (dict "own" $cluster.topics "fallback" ($defaults.topics | default dict).deny) }}

[clusters.librdkafka]
{{- range $key, $value := ($cluster.librdkafka | default dict) }}
{{ toJson $key }} = {{ include "lagwatch.tomlValue" $value }}
{{- end }}
{{- range $secret := $cluster.secretProperties }}
{{- $ref := dict "mountPath" $mountPath "cluster" (toString $cluster.name) "property" $secret.property }}
{{- $mode := $secret.mode | default "file" }}
{{- if eq $mode "env" }}
{{ toJson $secret.property }} = { env = {{ include "lagwatch.secretEnvName" $ref | toJson }} }
{{- else if eq $mode "file" }}
{{ toJson $secret.property }} = { file = {{ include "lagwatch.secretFilePath" $ref | toJson }} }
{{- else }}
{{ toJson $secret.property }} = {{ include "lagwatch.secretFilePath" $ref | toJson }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lagwatch.toml" -}}
{{- $_ := include "lagwatch.validateClusters" . -}}
# Rendered by the lagwatch Helm chart: change the chart's values, not this file.
[server]
listen_address = {{ printf "0.0.0.0:%d" (int .port) | toJson }}

[poll]
interval = {{ include "lagwatch.tomlDuration" .poll.interval }}
request_timeout = {{ include "lagwatch.tomlDuration" .poll.requestTimeout }}
max_in_flight = {{ int .poll.maxInFlight }}
{{- range $cluster := .clusters }}

{{ include "lagwatch.clusterToml" (dict "cluster" $cluster "secretsMountPath" $.secretsMountPath "defaults" $.clusterDefaults) }}
{{- end }}
{{- end }}

{{/* True (non-empty) when some secret is mounted as a file. */}}
{{- define "lagwatch.hasSecretFiles" -}}
{{- range $cluster := .clusters }}
{{- range $secret := $cluster.secretProperties }}
{{- if ne ($secret.mode | default "file") "env" }}true{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Sources of the projected volume holding file/path-mode secrets, one file each. */}}
{{- define "lagwatch.secretVolumeSources" -}}
{{- range $cluster := .clusters }}
{{- range $secret := $cluster.secretProperties }}
{{- if ne ($secret.mode | default "file") "env" }}
- secret:
    name: {{ $secret.secretName }}
    items:
      - key: {{ $secret.secretKey }}
        path: {{ printf "%s/%s" (toString $cluster.name) $secret.property }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* EnvVars of env-mode secrets. */}}
{{- define "lagwatch.secretEnv" -}}
{{- range $cluster := .clusters }}
{{- range $secret := $cluster.secretProperties }}
{{- if eq ($secret.mode | default "file") "env" }}
- name: {{ include "lagwatch.secretEnvName" (dict "cluster" (toString $cluster.name) "property" $secret.property) }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret.secretName }}
      key: {{ $secret.secretKey }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
