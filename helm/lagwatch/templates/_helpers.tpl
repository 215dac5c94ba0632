{{/* Names and labels shared by every resource of the chart. */}}

{{- define "lagwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lagwatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lagwatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lagwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lagwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "lagwatch.labels" -}}
helm.sh/chart: {{ include "lagwatch.chart" . }}
{{ include "lagwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: exporter
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "lagwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lagwatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "lagwatch.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/* Where the rendered config is mounted and read from. */}}
{{- define "lagwatch.configDir" -}}/etc/lagwatch/config{{- end }}
{{- define "lagwatch.configPath" -}}/etc/lagwatch/config/lagwatch.toml{{- end }}

{{/*
The job label the chart's ServiceMonitor gives lagwatch's series, as the Prometheus Operator
sets it: the value of the Service's label serviceMonitor.jobLabel when set and present, else
the Service's name.
*/}}
{{- define "lagwatch.job" -}}
{{- $service := merge (dict) (.Values.service.labels | default dict) (include "lagwatch.labels" . | fromYaml) }}
{{- $label := .Values.serviceMonitor.jobLabel }}
{{- if and $label (get $service $label) }}
{{- get $service $label }}
{{- else }}
{{- include "lagwatch.fullname" . }}
{{- end }}
{{- end }}

{{/* The Secret holding the rendered web-config.yml. */}}
{{- define "lagwatch.web.secretName" -}}
{{- printf "%s-web-config" (include "lagwatch.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
