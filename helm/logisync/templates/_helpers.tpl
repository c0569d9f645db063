{{/* Labels every object of a component carries. */}}
{{- define "logisync.labels" -}}
{{ include "logisync.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: logisync
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The labels that select a component's pods (immutable: never add to them). */}}
{{- define "logisync.selectorLabels" -}}
app.kubernetes.io/name: {{ .svc.name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* registry/repository:tag-flavor */}}
{{- define "logisync.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default (default .root.Chart.AppVersion $img.tag) .svc.image.tag -}}
{{- $repo := .svc.image.repository -}}
{{- if $img.registry -}}{{- $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo -}}{{- end -}}
{{- printf "%s:%s-%s" $repo $tag $img.flavor -}}
{{- end -}}

{{/* Fails rendering when a service is set to scale by both the HPA and KEDA (the schema says so too). */}}
{{- define "logisync.checkScaling" -}}
{{- $as := .autoscaling | default dict -}}
{{- $keda := .keda | default dict -}}
{{- if and $as.enabled $keda.enabled -}}
{{- fail (printf "%s: autoscaling.enabled and keda.enabled cannot both be true" .name) -}}
{{- end -}}
{{- if and $as.enabled (gt (int $as.minReplicas) (int $as.maxReplicas)) -}}
{{- fail (printf "%s: autoscaling.minReplicas (%v) is above maxReplicas (%v)" .name $as.minReplicas $as.maxReplicas) -}}
{{- end -}}
{{- if and $keda.enabled (gt (int $keda.minReplicas) (int $keda.maxReplicas)) -}}
{{- fail (printf "%s: keda.minReplicas (%v) is above maxReplicas (%v)" .name $keda.minReplicas $keda.maxReplicas) -}}
{{- end -}}
{{- end -}}

{{/* Whether a service's replicas are managed by an autoscaler. */}}
{{- define "logisync.autoscaled" -}}
{{- $as := .autoscaling | default dict -}}
{{- $keda := .keda | default dict -}}
{{- if or $as.enabled $keda.enabled -}}true{{- end -}}
{{- end -}}
