{{/* Names, labels and shared fragments of the ml-connector chart. Every define is namespaced "ml-connector.". */}}

{{- define "ml-connector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-<chart>", or the release name when it already contains the chart name. */}}
{{- define "ml-connector.fullname" -}}
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

{{- define "ml-connector.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The service name ("amazon-ingest") of a services.<key> ("amazonIngest"). */}}
{{- define "ml-connector.serviceName" -}}
{{- kebabcase . }}
{{- end }}

{{/* Name of a component's resources: "<fullname>-<component>". Call with (dict "root" $ "component" "mapping"). */}}
{{- define "ml-connector.componentName" -}}
{{- printf "%s-%s" (include "ml-connector.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. Call with (dict "root" $ "component" "mapping"); component may be empty. */}}
{{- define "ml-connector.labels" -}}
helm.sh/chart: {{ include "ml-connector.chart" .root }}
{{ include "ml-connector.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: ml-connector
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The small, stable label set selectors use. */}}
{{- define "ml-connector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ml-connector.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/* Image of a service. Call with (dict "root" $ "key" "amazonIngest"). */}}
{{- define "ml-connector.image" -}}
{{- $svc := index .root.Values.services .key }}
{{- $repository := $svc.image.repository | default (printf "%s/%s" .root.Values.image.repositoryPrefix (include "ml-connector.serviceName" .key)) }}
{{- $tag := $svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{- define "ml-connector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ml-connector.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret names: the user's existingSecret, else the one this chart renders. */}}
{{- define "ml-connector.mongodbSecretName" -}}
{{- .Values.mongodb.existingSecret | default (printf "%s-mongodb" (include "ml-connector.fullname" .)) }}
{{- end }}
{{- define "ml-connector.mongodbSecretKey" -}}
{{- if .Values.mongodb.existingSecret }}{{ .Values.mongodb.existingSecretKey }}{{ else }}mongodb-url{{ end }}
{{- end }}
{{- define "ml-connector.kafkaSaslSecretName" -}}
{{- .Values.kafka.sasl.existingSecret | default (printf "%s-kafka-sasl" (include "ml-connector.fullname" .)) }}
{{- end }}
{{- define "ml-connector.masterKeysSecretName" -}}
{{- .Values.tokenBroker.masterKeys.existingSecret | default (printf "%s-master-keys" (include "ml-connector.fullname" .)) }}
{{- end }}
{{- define "ml-connector.clientTokensSecretName" -}}
{{- .Values.tokenBroker.clientTokens.existingSecret | default (printf "%s-broker-client-tokens" (include "ml-connector.fullname" .)) }}
{{- end }}

{{/* The non-secret settings every service shares, as a flat map (ConfigMap data, and the setup Job's env). */}}
{{- define "ml-connector.commonConfig" -}}
MLC_KAFKA_BROKERS: {{ join "," .Values.kafka.brokers | quote }}
MLC_KAFKA_NAMESPACE: {{ .Values.kafka.namespace | quote }}
MLC_LOG_LEVEL: {{ .Values.logLevel | quote }}
MLC_SHUTDOWN_TIMEOUT_MS: {{ .Values.shutdownTimeoutMs | toString | quote }}
MLC_ADMIN_HOST: "0.0.0.0"
{{- if .Values.kafka.tls.enabled }}
MLC_KAFKA_SSL: "true"
{{- if .Values.kafka.tls.caSecret }}
MLC_KAFKA_SSL_CA_FILE: {{ printf "/etc/mlc/kafka-ca/%s" .Values.kafka.tls.caSecretKey | quote }}
{{- end }}
{{- end }}
{{- if .Values.kafka.sasl.enabled }}
MLC_KAFKA_SASL_MECHANISM: {{ .Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- end }}

{{/* Environment variables from Secrets every service and the setup Job need: MongoDB URL, Kafka SASL. */}}
{{- define "ml-connector.commonSecretEnv" -}}
- name: MLC_MONGO_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "ml-connector.mongodbSecretName" . }}
      key: {{ include "ml-connector.mongodbSecretKey" . }}
{{- if .Values.kafka.sasl.enabled }}
- name: MLC_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "ml-connector.kafkaSaslSecretName" . }}
      key: username
- name: MLC_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "ml-connector.kafkaSaslSecretName" . }}
      key: password
{{- end }}
{{- end }}

{{/* Volumes every pod mounts: the /tmp emptyDir and, with Kafka TLS and a CA Secret, the CA bundle. */}}
{{- define "ml-connector.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret }}
{{- end }}
{{- end }}

{{- define "ml-connector.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/mlc/kafka-ca
  readOnly: true
{{- end }}
{{- end }}

{{/*
The rendered Secrets a component reads, hashed into its pod annotations so a change rolls the pods.
Call with (dict "root" $ "component" "mapping" "brokerClient" false).
*/}}
{{- define "ml-connector.secretsChecksum" -}}
{{- $files := list "/secret-mongodb.yaml" "/secret-kafka-sasl.yaml" }}
{{- if eq .component "token-broker" }}
{{- $files = append $files "/secret-master-keys.yaml" }}
{{- end }}
{{- if or (eq .component "token-broker") .brokerClient }}
{{- $files = append $files "/secret-broker-client-tokens.yaml" }}
{{- end }}
{{- $out := "" }}
{{- range $files }}
{{- $out = print $out (include (print $.root.Template.BasePath .) $.root) }}
{{- end }}
{{- $out | sha256sum }}
{{- end }}

{{/* One NetworkPolicy egress rule: TCP to .ports, to the peers .to (any destination when empty). */}}
{{- define "ml-connector.egressRule" -}}
- ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Egress every pod needs: DNS and MongoDB. */}}
{{- define "ml-connector.baseEgress" -}}
- ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
  {{- with .Values.networkPolicy.dns.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{ include "ml-connector.egressRule" .Values.networkPolicy.mongodb }}
{{- end }}
