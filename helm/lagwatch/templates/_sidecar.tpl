{{/*
Sidecar mode: lagwatch inside a consumer's own pod, watching only that consumer's group(s).

A consumer chart that has this chart as a dependency (or a copy under charts/) includes:
  containers:
    {{- include "lagwatch.sidecar" (dict "sidecar" .Values.lagwatchSidecar "context" $) | nindent 4 }}
  volumes:
    {{- include "lagwatch.sidecar.volumes" (dict "sidecar" .Values.lagwatchSidecar "context" $) | nindent 4 }}
and renders the config once, in its own template file:
  {{ include "lagwatch.sidecar.configMap" (dict "sidecar" .Values.lagwatchSidecar "context" $) }}
with lagwatchSidecar.web (TLS, basic auth), the Secret holding its web-config.yml, likewise:
  {{ include "lagwatch.sidecar.webConfigSecret" (dict "sidecar" .Values.lagwatchSidecar "context" $) }}
and, with the Prometheus Operator, a PodMonitor for the consumer's pods:
  {{ include "lagwatch.sidecar.podMonitor" (dict "sidecar" .Values.lagwatchSidecar "context" $) }}

The sidecar has liveness and startup probes only, never a readiness probe: a Kafka outage or a
__consumer_offsets replay must not mark the consumer's pod NotReady or stall its rollout.
Every replica of the consumer runs its own sidecar and exports the same series, told apart by
the `pod` target label of the PodMonitor (honorLabels false); the dashboards and the recording
rules aggregate with `max by (kafka_cluster, group)`, so the replicas never add up.
The values block is documented in helm/lagwatch/README.md ("Sidecar mode") and
tests/deploy/values/sidecar-example.yaml.
*/}}

{{/* The sidecar's values with defaults filled in, as YAML. */}}
{{- define "lagwatch.sidecar.settings" -}}
{{- $in := .sidecar | default dict }}
{{- $cluster := required "lagwatchSidecar.cluster is required" $in.cluster }}
{{- $groups := required "lagwatchSidecar.cluster.groups (the consumer's group names) is required" $cluster.groups }}
{{- $allow := list }}
{{- range $group := $groups }}
{{- $allow = append $allow (regexQuoteMeta (toString $group)) }}
{{- end }}
{{- $topics := $cluster.topics | default (dict "allow" list "deny" (list "^__")) }}
{{- $normalized := merge (dict "groups" (dict "allow" $allow "deny" list) "topics" $topics) (omit $cluster "groups" "topics") }}
{{- $image := $in.image | default dict }}
{{- $poll := merge ($in.poll | default dict) (dict "interval" "30s" "requestTimeout" "10s" "maxInFlight" 4) }}
{{- $resources := $in.resources | default (dict "requests" (dict "cpu" "5m" "memory" "16Mi") "limits" (dict "cpu" "100m" "memory" "64Mi")) }}
{{- $name := required "lagwatchSidecar.configMapName is required" $in.configMapName }}
{{- dict
  "image" (printf "%s:%s" (required "lagwatchSidecar.image.repository is required" $image.repository) (toString (required "lagwatchSidecar.image.tag is required" $image.tag)))
  "pullPolicy" ($image.pullPolicy | default "IfNotPresent")
  "configMapName" $name
  "port" (int ($in.port | default 8793))
  "poll" $poll
  "clusters" (list $normalized)
  "secretsMountPath" ($in.secretsMountPath | default "/etc/lagwatch/secrets")
  "resources" $resources
  "probeMode" ($in.probeMode | default "httpGet")
  "podMonitor" ($in.podMonitor | default dict)
  "web" (include "lagwatch.web.settings" (dict "web" $in.web "prefix" "lagwatchSidecar.web" "probeMode" ($in.probeMode | default "httpGet")) | fromYaml)
  | toYaml }}
{{- end }}

{{- define "lagwatch.sidecar" -}}
{{- $s := include "lagwatch.sidecar.settings" . | fromYaml }}
{{- $secretEnv := include "lagwatch.secretEnv" $s }}
- name: lagwatch
  image: {{ $s.image | quote }}
  imagePullPolicy: {{ $s.pullPolicy }}
  args:
    - --config
    - /etc/lagwatch/config/lagwatch.toml
    {{- if $s.web.enabled }}
    {{- include "lagwatch.web.arg" . | nindent 4 }}
    {{- end }}
  {{- with $secretEnv }}
  env:
    {{- . | trim | nindent 4 }}
  {{- end }}
  ports:
    - name: lagwatch-http
      containerPort: {{ $s.port }}
      protocol: TCP
  # No readinessProbe on purpose: the consumer's readiness is not lagwatch's to decide.
  {{- $probe := dict "mode" $s.probeMode "port" $s.port "portName" "lagwatch-http" "path" "/healthz" "web" $s.web }}
  startupProbe:
    {{- include "lagwatch.probe" (merge (dict "timing" (dict "periodSeconds" 2 "timeoutSeconds" 3 "failureThreshold" 30)) $probe) | nindent 4 }}
  livenessProbe:
    {{- include "lagwatch.probe" (merge (dict "timing" (dict "periodSeconds" 30 "timeoutSeconds" 3 "failureThreshold" 3)) $probe) | nindent 4 }}
  resources:
    {{- toYaml $s.resources | nindent 4 }}
  # Container-level, since the consumer's pod-level settings are not ours to choose.
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
    runAsGroup: 65532
    readOnlyRootFilesystem: true
    allowPrivilegeEscalation: false
    privileged: false
    capabilities:
      drop: ["ALL"]
    seccompProfile:
      type: RuntimeDefault
  volumeMounts:
    - name: lagwatch-config
      mountPath: /etc/lagwatch/config
      readOnly: true
    {{- if include "lagwatch.hasSecretFiles" $s }}
    - name: lagwatch-secrets
      mountPath: {{ $s.secretsMountPath }}
      readOnly: true
    {{- end }}
    {{- if $s.web.enabled }}
    {{- include "lagwatch.web.volumeMount" "lagwatch-web" | nindent 4 }}
    {{- end }}
{{- end }}

{{- define "lagwatch.sidecar.volumes" -}}
{{- $s := include "lagwatch.sidecar.settings" . | fromYaml }}
- name: lagwatch-config
  configMap:
    name: {{ $s.configMapName }}
{{- if include "lagwatch.hasSecretFiles" $s }}
- name: lagwatch-secrets
  projected:
    # World-readable inside the pod: the consumer's pod may set no fsGroup for uid 65532.
    defaultMode: 0444
    sources:
      {{- include "lagwatch.secretVolumeSources" $s | trim | nindent 6 }}
{{- end }}
{{- if $s.web.enabled }}
{{ include "lagwatch.web.volume" (dict "settings" $s.web "name" "lagwatch-web" "secretName" (printf "%s-web" $s.configMapName) "mode" "0444") }}
{{- end }}
{{- end }}

{{- define "lagwatch.sidecar.configMap" -}}
{{- $s := include "lagwatch.sidecar.settings" . | fromYaml }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $s.configMapName }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    app.kubernetes.io/name: lagwatch
    app.kubernetes.io/instance: {{ .context.Release.Name }}
    app.kubernetes.io/component: sidecar-config
data:
  lagwatch.toml: |
    {{- include "lagwatch.toml" $s | nindent 4 }}
{{- end }}

{{/*
The Secret with the sidecar's web-config.yml, named "<configMapName>-web"; renders nothing when
lagwatchSidecar.web is off or names an existingConfigSecret. A consumer chart using
lagwatchSidecar.web renders it next to the ConfigMap.
*/}}
{{- define "lagwatch.sidecar.webConfigSecret" -}}
{{- $s := include "lagwatch.sidecar.settings" . | fromYaml }}
{{- if and $s.web.enabled (not $s.web.configSecret) }}
{{- $labels := dict "app.kubernetes.io/name" "lagwatch" "app.kubernetes.io/instance" .context.Release.Name "app.kubernetes.io/component" "sidecar-config" }}
{{- include "lagwatch.web.secret" (dict "settings" $s.web "name" (printf "%s-web" $s.configMapName) "namespace" .context.Release.Namespace "labels" (toYaml $labels)) }}
{{- end }}
{{- end }}

{{/* For a pod annotation, so the consumer's pods roll when the sidecar's config changes. */}}
{{- define "lagwatch.sidecar.checksum" -}}
{{- print (include "lagwatch.sidecar.configMap" .) (include "lagwatch.sidecar.webConfigSecret" .) | sha256sum }}
{{- end }}

{{/*
PodMonitor scraping the sidecar of every pod matching podMonitor.selector (the consumer's pod
labels). Values under lagwatchSidecar.podMonitor: selector (required), labels, interval,
scrapeTimeout, jobLabel (pod label whose value becomes the job; the default job is
"<namespace>/<PodMonitor name>"), podTargetLabels.
*/}}
{{- define "lagwatch.sidecar.podMonitor" -}}
{{- $s := include "lagwatch.sidecar.settings" . | fromYaml }}
{{- $m := $s.podMonitor }}
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: {{ $s.configMapName }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    app.kubernetes.io/name: lagwatch
    app.kubernetes.io/instance: {{ .context.Release.Name }}
    app.kubernetes.io/component: sidecar-monitor
    {{- with $m.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with $m.jobLabel }}
  jobLabel: {{ . }}
  {{- end }}
  {{- with $m.podTargetLabels }}
  podTargetLabels:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- toYaml (required "lagwatchSidecar.podMonitor.selector (the consumer's pod labels) is required" $m.selector) | nindent 6 }}
  podMetricsEndpoints:
    - port: lagwatch-http
      path: /metrics
      interval: {{ $m.interval | default "30s" }}
      scrapeTimeout: {{ $m.scrapeTimeout | default "10s" }}
      # The pod label tells the replicas' identical series apart; never let them overwrite it.
      honorLabels: false
      {{- with include "lagwatch.web.scrapeSecurity" (dict "settings" $s.web "monitor" $m "prefix" "lagwatchSidecar.podMonitor" "webPrefix" "lagwatchSidecar.web" "serverName" "") }}
      {{- . | nindent 6 }}
      {{- end }}
{{- end }}
