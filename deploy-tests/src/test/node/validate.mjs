// Validates Kubernetes objects against their OpenAPI schemas (types, required fields, enums) with
// kubernetes-models. Input: a JSON file holding [{"source": "...", "object": {...}}, ...].
// Output (stdout): a JSON array of {"source", "kind", "name", "error"}, empty when all are valid.
// An apiVersion/kind without a model is an error too: nothing passes unchecked.
import { readFileSync } from "node:fs";

const MODULES = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
  "kafka.strimzi.io/v1beta2": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2",
  "postgresql.cnpg.io/v1": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
  "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1",
};

const items = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
for (const { source, object } of items) {
  const where = { source, kind: object.kind, name: object?.metadata?.name };
  const path = MODULES[object.apiVersion];
  if (!path) {
    problems.push({ ...where, error: `no schema known for apiVersion ${object.apiVersion}` });
    continue;
  }
  const mod = await import(path);
  const Model = mod[object.kind];
  if (!Model) {
    problems.push({ ...where, error: `no schema known for ${object.apiVersion} ${object.kind}` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problems.push({ ...where, error: String(e.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(problems));
