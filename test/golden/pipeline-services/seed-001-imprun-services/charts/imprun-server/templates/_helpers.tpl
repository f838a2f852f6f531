{{/*
imprun-server.name is the chart name, or .Values.nameOverride.
*/}}
{{- define "imprun-server.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
imprun-server.fullname names every object of the release. It is the release name when that already
holds the chart name (the usual case: release "imprun-server"), otherwise "<release>-<chart>".
Truncated to 63 characters (DNS-1123 label); objects that append a suffix trim further.
*/}}
{{- define "imprun-server.fullname" -}}
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

{{/*
imprun-server.chart is "<chart>-<version>" for the helm.sh/chart label.
*/}}
{{- define "imprun-server.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
imprun-server.labels are the standard labels on every object.
*/}}
{{- define "imprun-server.labels" -}}
helm.sh/chart: {{ include "imprun-server.chart" . }}
{{ include "imprun-server.selectorLabels" . }}
app.kubernetes.io/version: {{ include "imprun-server.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
imprun-server.selectorLabels select the pods of the release. They never change between
upgrades: a workload's selector is immutable.
*/}}
{{- define "imprun-server.selectorLabels" -}}
app.kubernetes.io/name: {{ include "imprun-server.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
imprun-server.version is the running version: the image tag, else the chart's appVersion.
Label values allow 63 characters of [A-Za-z0-9_.-].
*/}}
{{- define "imprun-server.version" -}}
{{- $v := .Values.image.tag | default .Chart.AppVersion }}
{{- regexReplaceAll "[^A-Za-z0-9_.-]" $v "_" | trunc 63 | trimSuffix "-" | trimSuffix "_" | trimSuffix "." }}
{{- end }}

{{/*
imprun-server.serviceAccountName is the ServiceAccount the pods run as.
*/}}
{{- define "imprun-server.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "imprun-server.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
imprun-server.deployed is "true" once an image was promoted (image.tag or image.digest set). Until
then the chart renders no workload (nor its autoscaler): a workload without a built image
would start, or keep as its stable version, "<repository>:<appVersion>", which was never built.
*/}}
{{- define "imprun-server.deployed" -}}
{{- if or .Values.image.digest .Values.image.tag }}true{{ end }}
{{- end }}

{{/*
imprun-server.image is the image reference: "<repository>@<digest>" when a digest is set (the
exact bytes that were built, scanned and signed), otherwise "<repository>:<tag>" with the tag
defaulting to the chart's appVersion.
*/}}
{{- define "imprun-server.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
imprun-server.podTemplate is the pod template shared by the workload (a Deployment).
It meets the Pod Security Standard "restricted": non-root UID 10001, no privilege escalation, no
capabilities, RuntimeDefault seccomp, read-only root filesystem with a writable emptyDir at /tmp.
*/}}
{{- define "imprun-server.podTemplate" -}}
metadata:
  {{- if or .Values.podAnnotations .Values.metrics.enabled }}
  annotations:
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if .Values.metrics.enabled }}
    # Read by annotation-based scrape configs (the community Prometheus chart's kubernetes-pods job),
    # which label each series with namespace, pod and the pod's labels.
    prometheus.io/scrape: "true"
    prometheus.io/path: {{ .Values.metrics.path | quote }}
    prometheus.io/port: {{ .Values.metrics.port | default .Values.containerPort | quote }}
    {{- end }}
  {{- end }}
  labels:
    {{- include "imprun-server.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  serviceAccountName: {{ include "imprun-server.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
  # No <SERVICE>_PORT-style variables for every Service of the namespace: they can shadow the
  # service's own settings (a Service named like the app sets <APP>_PORT=tcp://...).
  enableServiceLinks: false
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . | quote }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .Chart.Name }}
      image: {{ include "imprun-server.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- $management := and (eq .Values.probe "http") (gt (int .Values.healthPort) 0) (ne (int .Values.healthPort) (int .Values.containerPort)) }}
      {{- $metricsPort := int (.Values.metrics.port | default .Values.containerPort) }}
      {{- /* The metrics on a port of their own (not the service's, nor the management port). */}}
      {{- $metrics := and .Values.metrics.enabled (ne $metricsPort (int .Values.containerPort)) (not (and $management (eq $metricsPort (int .Values.healthPort)))) }}
      ports:
        - name: http
          containerPort: {{ .Values.containerPort }}
          protocol: TCP
        {{- if $management }}
        # The management port the framework serves its health endpoint on (healthPort).
        - name: management
          containerPort: {{ .Values.healthPort }}
          protocol: TCP
        {{- end }}
        {{- if $metrics }}
        # The HTTP port Prometheus scrapes the metrics on (metrics.port).
        - name: metrics
          containerPort: {{ $metricsPort }}
          protocol: TCP
        {{- end }}
      env:
        # PORT tells the service which port to listen on (containerPort).
        - name: PORT
          value: {{ .Values.containerPort | quote }}
        {{- if $metrics }}
        # METRICS_PORT tells the service which port to serve its metrics on (metrics.port).
        - name: METRICS_PORT
          value: {{ $metricsPort | quote }}
        {{- end }}
        {{- range $name, $value := .Values.env }}
        - name: {{ $name }}
          {{- if kindIs "map" $value }}
          valueFrom:
            {{- toYaml $value | nindent 12 }}
          {{- else }}
          value: {{ $value | toString | quote }}
          {{- end }}
        {{- end }}
      {{- with .Values.envFrom }}
      envFrom:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- range $probe := list "startupProbe" "readinessProbe" "livenessProbe" }}
      {{- $p := get $.Values $probe }}
      {{- if $p.enabled }}
      {{ $probe }}:
        {{- if eq $.Values.probe "grpc" }}
        grpc:
          port: {{ $.Values.containerPort }}
        {{- else if eq $.Values.probe "tcp" }}
        tcpSocket:
          port: http
        {{- else }}
        httpGet:
          path: {{ $p.path | default $.Values.healthPath | quote }}
          port: {{ ternary "management" "http" $management }}
        {{- end }}
        {{- toYaml (omit $p "enabled" "path") | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- if .Values.preStopSleepSeconds }}
      # Keeps serving while the endpoints controller and the proxies drop the pod; SIGTERM follows.
      lifecycle:
        preStop:
          sleep:
            seconds: {{ .Values.preStopSleepSeconds }}
      {{- end }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- with .Values.volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ .Values.tmpVolume.sizeLimit | quote }}
    {{- with .Values.volumes }}
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
  {{- if .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml .Values.topologySpreadConstraints | nindent 4 }}
  {{- else if .Values.topologySpread.enabled }}
  # Spread the release's pods over zones, then nodes, as far as the cluster allows (a preference:
  # ScheduleAnyway never leaves a pod pending).
  topologySpreadConstraints:
    {{- range .Values.topologySpread.topologyKeys }}
    - maxSkew: {{ $.Values.topologySpread.maxSkew }}
      topologyKey: {{ . | quote }}
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          app.kubernetes.io/instance: {{ $.Release.Name }}
    {{- end }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
