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

{{/*
The gateway's prefix table (docs/architecture.md, "One gateway"): every published path prefix belongs to
exactly one service. A property of the product, not of a deployment: deploy-tests routes every operation
of the four committed OpenAPI documents through it. /api/v1/ops/replay is service-view's deprecated alias
of /api/v1/ops/view/replay; GET /api/v1/customers/{id}/shipments, its other one, reaches order-sync,
which redirects it to /api/v1/shipments.
*/}}
{{- define "logisync.routes" -}}
orderSync: [/api/v1/orders, /api/v1/customers, /api/v1/contracts, /api/v1/ops/orders]
milestone: [/api/v1/milestones, /api/v1/webhooks, /api/v1/edi, /api/v1/vehicles, /api/v1/partners, /api/v1/ops/milestones]
billing: [/api/v1/billing-cases, /api/v1/fuel-index, /api/v1/ops/billing]
serviceView: [/api/v1/shipments, /api/v1/service-tasks, /api/v1/transactions, /api/v1/events, /api/v1/subscriptions, /api/v1/ops/view, /console, /api/v1/ops/replay]
{{- end -}}
