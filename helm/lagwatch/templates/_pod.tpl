{{/*
The pod template shared by the Deployment and the sharded StatefulSet. Takes the root context;
with sharding.enabled the pod reads its shard index from its own pod-index label.
*/}}
{{- define "lagwatch.podTemplate" -}}
{{- $configArgs := dict "clusters" .Values.clusters "secretsMountPath" .Values.secretsMountPath }}
{{- $hasSecretFiles := include "lagwatch.hasSecretFiles" $configArgs -}}
{{- $web := include "lagwatch.web.settings" (dict "web" .Values.web "prefix" "web" "probeMode" .Values.probeMode) | fromYaml -}}
metadata:
  labels:
    {{- include "lagwatch.selectorLabels" . | nindent 4 }}
    app.kubernetes.io/component: exporter
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # Rolls the pods when the config changes: lagwatch reads it only at start.
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- if and $web.enabled (not $web.configSecret) }}
    # lagwatch reads web-config.yml only at start.
    checksum/web-config: {{ include (print $.Template.BasePath "/web-secret.yaml") . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "lagwatch.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.hostAliases }}
  hostAliases:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.initContainers }}
  initContainers:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: lagwatch
      image: {{ include "lagwatch.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        - --config
        - {{ include "lagwatch.configPath" . }}
        {{- if .Values.sharding.enabled }}
        - --shard=$(POD_INDEX)/{{ int .Values.sharding.shards }}
        {{- end }}
        {{- if $web.enabled }}
        {{- include "lagwatch.web.arg" . | nindent 8 }}
        {{- end }}
        {{- with .Values.extraArgs }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- $secretEnv := include "lagwatch.secretEnv" $configArgs }}
      {{- if or .Values.sharding.enabled $secretEnv .Values.extraEnv }}
      env:
        {{- if .Values.sharding.enabled }}
        # Set by the StatefulSet controller on every pod (Kubernetes 1.28+).
        - name: POD_INDEX
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        {{- end }}
        {{- with $secretEnv }}
        {{- . | trim | nindent 8 }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ int .Values.port }}
          protocol: TCP
      {{- $probe := dict "mode" .Values.probeMode "port" (int .Values.port) "portName" "http" "web" $web }}
      startupProbe:
        {{- include "lagwatch.probe" (merge (dict "path" "/healthz" "timing" .Values.startupProbe) $probe) | nindent 8 }}
      livenessProbe:
        {{- include "lagwatch.probe" (merge (dict "path" "/healthz" "timing" .Values.livenessProbe) $probe) | nindent 8 }}
      readinessProbe:
        {{- include "lagwatch.probe" (merge (dict "path" "/readyz" "timing" .Values.readinessProbe) $probe) | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ include "lagwatch.configDir" . }}
          readOnly: true
        {{- if $hasSecretFiles }}
        - name: secrets
          mountPath: {{ .Values.secretsMountPath }}
          readOnly: true
        {{- end }}
        {{- if $web.enabled }}
        {{- include "lagwatch.web.volumeMount" "web" | nindent 8 }}
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    {{- with .Values.extraContainers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "lagwatch.fullname" . }}
    {{- if $hasSecretFiles }}
    - name: secrets
      projected:
        # Readable by the pod's fsGroup only.
        defaultMode: 0440
        sources:
          {{- include "lagwatch.secretVolumeSources" $configArgs | trim | nindent 10 }}
    {{- end }}
    {{- if $web.enabled }}
    {{- include "lagwatch.web.volume" (dict "settings" $web "name" "web" "secretName" (include "lagwatch.web.secretName" .) "mode" "0440") | nindent 4 }}
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/*
One probe: httpGet on the named port (the kubelet connects, nothing runs in the container) or
exec of `lagwatch --probe` against the loopback port (for pods the kubelet cannot reach on that
port). With web TLS the httpGet is HTTPS (the kubelet does not verify the certificate); when
web.tls.clientAuthType requires a client certificate, which the kubelet cannot present, the
probe is a tcpSocket one. Takes a dict: mode, path, port, portName, timing (initialDelaySeconds,
periodSeconds, ...), web (the web settings).
*/}}
{{- define "lagwatch.probe" -}}
{{- $web := .web | default dict }}
{{- if $web.requiresClientCert }}
tcpSocket:
  port: {{ .portName }}
{{- else if eq .mode "exec" }}
exec:
  command:
    - /usr/local/bin/lagwatch
    - --probe
    - {{ printf "http://127.0.0.1:%d%s" (int .port) .path }}
{{- else if eq .mode "httpGet" }}
httpGet:
  path: {{ .path }}
  port: {{ .portName }}
  {{- if $web.tls }}
  scheme: HTTPS
  {{- end }}
{{- else }}
{{- fail (printf "lagwatch: probe mode must be httpGet or exec, not %q" .mode) }}
{{- end }}
{{ toYaml .timing }}
{{- end }}
