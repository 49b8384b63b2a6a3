{{/*
Expand the name of the chart.
*/}}
{{- define "wikibot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name (63 characters at most: some Kubernetes name fields are
limited to that by the DNS naming spec). A release name that contains the chart name is used as is.
*/}}
{{- define "wikibot.fullname" -}}
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
Create chart name and version as used by the chart label.
*/}}
{{- define "wikibot.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "wikibot.labels" -}}
helm.sh/chart: {{ include "wikibot.chart" . }}
{{ include "wikibot.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "wikibot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wikibot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "wikibot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "wikibot.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: the tag the CI wrote into values, else the chart's appVersion.
*/}}
{{- define "wikibot.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The Secret holding database-url and admin-token.
*/}}
{{- define "wikibot.secretName" -}}
{{- default (include "wikibot.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
Whether the platform store is PostgreSQL ("true") or SQLite on the data volume (""): the bundled
chart, an external URL, or a Secret that is expected to carry one.
*/}}
{{- define "wikibot.sharedStore" -}}
{{- if or .Values.postgresql.enabled .Values.database.url .Values.secrets.existingSecret .Values.externalSecrets.databaseUrl.key }}true{{- end }}
{{- end }}

{{/*
The bundled PostgreSQL's service host (the bitnami chart's naming).
*/}}
{{- define "wikibot.postgresqlHost" -}}
{{- printf "%s-postgresql" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
