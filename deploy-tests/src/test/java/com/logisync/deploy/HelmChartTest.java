package com.logisync.deploy;

import com.logisync.deploy.Manifests.Manifest;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart, validated without a cluster: {@code helm lint --strict} and {@code helm template}
 * for every value set docs/deploy.md names, every rendered object parsed strictly and schema-checked,
 * and the wiring that a typo would silently break.
 */
class HelmChartTest {

    static final List<String> SERVICES = List.of("order-sync-service", "milestone-service", "billing-trigger-service",
            "service-view-service");

    /** A value set: the files (in order) and --set pairs, as an operator would pass them. */
    record ValueSet(String name, List<String> files, Map<String, Object> sets) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ValueSet> valueSets() {
        return Stream.of(
                new ValueSet("default", List.of(), Map.of()),
                new ValueSet("jvm", List.of("values-jvm.yaml"), Map.of()),
                new ValueSet("native", List.of("values-native.yaml"), Map.of()),
                new ValueSet("keda", List.of("values-keda.yaml"), Map.of()),
                // Exactly what docs/deploy.md's production install passes.
                new ValueSet("production", List.of("values-native.yaml", "values-prod.yaml"),
                        Map.of("image.registry", "registry-mirror:5000")),
                new ValueSet("staging with simulator", List.of("values-jvm.yaml"), Map.of("simulator.enabled", true)),
                GatewayTest.valueSet("ingress"),
                GatewayTest.valueSet("httproute"));
    }

    static String render(ValueSet set) {
        TemplateCommand t = new Helm(Platform.chart()).template().withName("logisync").withNamespace("logisync")
                .withKubeVersion("1.31.0");
        for (String f : set.files()) {
            t = t.withValuesFile(Platform.chart().resolve(f));
        }
        for (Map.Entry<String, Object> e : set.sets().entrySet()) {
            t = t.set(e.getKey(), e.getValue());
        }
        return t.call();
    }

    static List<Manifest> manifests(ValueSet set) {
        return Manifests.parse("helm " + set.name(), render(set));
    }

    // ------------------------------------------------------------------ every value set

    @ParameterizedTest(name = "lint --strict: {0}")
    @MethodSource("valueSets")
    void theChartLintsStrictlyWithEveryValueSet(ValueSet set) throws IOException {
        // helm-java's lint takes no values files: lint a copy whose values.yaml is the merged value set.
        Path copy = Path.of("target/lint", set.name().replace(' ', '-'), "logisync").toAbsolutePath();
        copyTree(Platform.chart(), copy);
        Map<String, Object> values = load(Platform.chart().resolve("values.yaml"));
        for (String f : set.files()) {
            merge(values, load(Platform.chart().resolve(f)));
        }
        set.sets().forEach((k, v) -> setPath(values, k, v));
        Files.writeString(copy.resolve("values.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(values));
        LintResult lint = new Helm(copy).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest(name = "rendered objects are valid: {0}")
    @MethodSource("valueSets")
    void everyRenderedObjectParsesStrictlyAndMatchesItsSchema(ValueSet set) throws Exception {
        List<Manifest> all = manifests(set);
        assertThat(all).isNotEmpty();
        assertThat(all.stream().flatMap(m -> Manifests.unknownFields(m).stream().map(f -> m + " " + f)))
                .as("fields the Kubernetes model does not know").isEmpty();
        assertThat(NodeTools.validate(all)).as("schema violations").isEmpty();
        // Secrets are referenced, never rendered from values.
        assertThat(all).noneMatch(m -> m.kind().equals("Secret"));
    }

    @ParameterizedTest(name = "wiring: {0}")
    @MethodSource("valueSets")
    void selectorsProbesPortsAndSecretsAreWiredToWhatTheServicesServe(ValueSet set) throws IOException {
        List<Manifest> all = manifests(set);
        List<Deployment> deployments = of(all, Deployment.class);
        Set<String> expected = new java.util.TreeSet<>(SERVICES);
        if (Boolean.TRUE.equals(set.sets().get("simulator.enabled"))) {
            expected.add("partner-simulator");
        }
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(expected);

        Set<String> autoscaled = new java.util.HashSet<>();
        of(all, HorizontalPodAutoscaler.class).forEach(h -> {
            assertThat(h.getSpec().getMinReplicas()).as("HPA min").isLessThanOrEqualTo(h.getSpec().getMaxReplicas());
            assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(autoscaled.add(h.getSpec().getScaleTargetRef().getName())).isTrue();
        });
        for (GenericKubernetesResource so : of(all, GenericKubernetesResource.class).stream()
                .filter(r -> !r.getApiVersion().startsWith("monitoring.coreos.com/")).toList()) {
            assertThat(so.getKind()).isEqualTo("ScaledObject");
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) so.getAdditionalProperties()
                    .get("spec")).get("scaleTargetRef");
            assertThat(autoscaled.add((String) target.get("name"))).as("HPA and ScaledObject for the same target")
                    .isTrue();
        }
        Set<String> names = deployments.stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(names).containsAll(autoscaled);

        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).as(name + " pod labels").containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            if (autoscaled.contains(name)) {
                assertThat(d.getSpec().getReplicas()).as(name + " replicas under an autoscaler").isNull();
            } else {
                assertThat(d.getSpec().getReplicas()).as(name + " replicas").isNotNull().isPositive();
            }
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getServiceAccountName()).isEqualTo(name);
            assertThat(all).as("service account of " + name)
                    .anyMatch(m -> m.kind().equals("ServiceAccount") && m.name().equals(name));
            Container c = pod.getContainers().get(0);
            int port = Platform.httpPort(name);
            assertThat(c.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).as(name + " containerPort = quarkus.http.port").isEqualTo(port);
            });
            assertProbe(name, c.getStartupProbe(), "/q/health/started");
            assertProbe(name, c.getLivenessProbe(), "/q/health/live");
            assertProbe(name, c.getReadinessProbe(), "/q/health/ready");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getVolumeMounts()).anyMatch(v -> v.getMountPath().equals("/tmp"));
            for (EnvVar e : c.getEnv()) {
                if (e.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*")) {
                    assertThat(e.getValue()).as(name + " " + e.getName() + " is inline").isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef()).as(name + " " + e.getName()).isNotNull();
                }
            }
            if (!name.equals("partner-simulator")) {
                assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isPositive();
                assertThat(pod.getTopologySpreadConstraints()).hasSize(2).allSatisfy(t -> assertThat(
                        t.getLabelSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels()));
                ConfigMap cm = of(all, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(name))
                        .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name));
                assertThat(c.getEnvFrom()).anyMatch(f -> f.getConfigMapRef().getName().equals(name));
                assertThat(cm.getData()).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(port))
                        .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL",
                                "postgresql://logisync-pg-rw:5432/" + Platform.database(name));
                assertThat(cm.getData().get("QUARKUS_DATASOURCE_JDBC_URL")).endsWith("/" + Platform.database(name));
                assertThat(c.getEnv()).extracting(EnvVar::getName)
                        .contains("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            }
        }

        for (Service s : of(all, Service.class)) {
            List<Deployment> selected = deployments.stream().filter(d -> d.getSpec().getTemplate().getMetadata()
                    .getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as("pods of Service " + s.getMetadata().getName()).hasSize(1);
            assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
        }
        for (PodDisruptionBudget pdb : of(all, PodDisruptionBudget.class)) {
            assertThat(deployments).as("pods of PDB " + pdb.getMetadata().getName()).anyMatch(d -> d.getSpec()
                    .getTemplate().getMetadata().getLabels().entrySet()
                    .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
        }
        List<NetworkPolicy> policies = of(all, NetworkPolicy.class);
        assertThat(policies).hasSize(deployments.size());
        for (NetworkPolicy np : policies) {
            assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(deployments).as("pods of NetworkPolicy " + np.getMetadata().getName()).anyMatch(d -> d.getSpec()
                    .getTemplate().getMetadata().getLabels().entrySet()
                    .containsAll(np.getSpec().getPodSelector().getMatchLabels().entrySet()));
        }
    }

    private static void assertProbe(String name, Probe probe, String path) {
        assertThat(probe).as(name + " probe " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    // ------------------------------------------------------------------ value sets, one by one

    @Test
    void byDefaultMilestoneServiceScalesOnCpuBetweenTwoAndTwelveJvmPods() {
        List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals("default")).findFirst().orElseThrow());
        HorizontalPodAutoscaler hpa = of(all, HorizontalPodAutoscaler.class).get(0);
        assertThat(of(all, HorizontalPodAutoscaler.class)).hasSize(1);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("milestone-service");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        // A JVM pod's first minutes of JIT compilation must not read as load that asks for more pods.
        assertThat(hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds()).isEqualTo(120);
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
        assertThat(of(all, GenericKubernetesResource.class)).isEmpty();
        assertThat(of(all, Deployment.class)).allSatisfy(d -> assertThat(
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .matches("logisync/[a-z-]+:1\\.0\\.0-jvm"));
        assertThat(of(all, ConfigMap.class)).allSatisfy(cm -> assertThat(cm.getData().get("JAVA_OPTS_APPEND"))
                .contains("MaxRAMPercentage"));
        // milestone-service's and billing's young generation is 512 MB of their 768, service-view's 2 GB of its
        // 2,688 (their own javaOpts, within a memory limit sized for it); the others keep the default.
        assertThat(of(all, ConfigMap.class)).allSatisfy(cm -> assertThat(cm.getData().get("JAVA_OPTS_APPEND"))
                .isEqualTo(switch (cm.getMetadata().getName()) {
                    case "milestone-service" -> "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Xmn512m";
                    case "service-view-service" -> "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Xmn2g -XX:SurvivorRatio=4 -XX:+UseSerialGC";
                    case "billing-trigger-service" -> "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Xmn512m";
                    default -> "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";
                }));
        io.fabric8.kubernetes.api.model.Quantity memory = memoryLimit(all, "service-view-service");
        assertThat(memory.getAmount() + memory.getFormat()).isEqualTo("3584Mi");
        io.fabric8.kubernetes.api.model.Quantity billingMemory = memoryLimit(all, "billing-trigger-service");
        assertThat(billingMemory.getAmount() + billingMemory.getFormat()).isEqualTo("1Gi");
        io.fabric8.kubernetes.api.model.Quantity milestoneMemory = memoryLimit(all, "milestone-service");
        assertThat(milestoneMemory.getAmount() + milestoneMemory.getFormat()).isEqualTo("1Gi");
    }

    /** The memory limit of the deployment of that name. */
    private static io.fabric8.kubernetes.api.model.Quantity memoryLimit(List<Manifest> all, String deployment) {
        return of(all, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(deployment)).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                .get("memory");
    }

    @Test
    void nativeServicesHaveFourTimesTheirLiveSetAsHeap() {
        // A native image's heap is 80 % of its limit; the live sets under load (a backlog, or batch REST load for
        // milestone-service), measured on the JVM (docs/benchmarks.md#jvm-settings), at most: order-sync 49 MB,
        // milestone-service 60, billing 66, service-view 181 (its batches of 4,000). Four times that.
        Map<String, Long> liveSetMb = Map.of("order-sync-service", 49L, "milestone-service", 60L,
                "billing-trigger-service", 66L, "service-view-service", 181L);
        for (String set : List.of("native", "production")) {
            List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals(set)).findFirst().orElseThrow());
            for (Map.Entry<String, Long> service : liveSetMb.entrySet()) {
                io.fabric8.kubernetes.api.model.Quantity limit = memoryLimit(all, service.getKey());
                long heapMb = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(limit).longValue() * 8 / 10
                        / (1024 * 1024);
                assertThat(heapMb).as(set + " " + service.getKey()).isGreaterThanOrEqualTo(4 * service.getValue());
            }
        }
    }

    @Test
    void nativePodsHaveNoJitToWaitOutAndScaleUpAtOnce() {
        for (String set : List.of("jvm", "native", "production")) {
            List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals(set)).findFirst().orElseThrow());
            HorizontalPodAutoscaler hpa = of(all, HorizontalPodAutoscaler.class).get(0);
            assertThat(hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds()).as(set)
                    .isEqualTo(set.equals("jvm") ? 120 : 0);
            // The rest of the behaviour is the default's: only the window moves with the flavour.
            assertThat(hpa.getSpec().getBehavior().getScaleUp().getPolicies()).as(set).hasSize(2);
            assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).as(set).isEqualTo(300);
        }
    }

    @Test
    void withKedaEachServiceScalesOnTheLagOfAConsumerGroupItReallyHasAndNoHpaIsRendered() throws IOException {
        List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals("keda")).findFirst().orElseThrow());
        assertThat(of(all, HorizontalPodAutoscaler.class)).isEmpty();
        Map<String, String[]> channels = Map.of("milestone-service", new String[] {"telematics-in"},
                "billing-trigger-service", new String[] {"milestones-in"},
                "service-view-service", new String[] {"milestones-in"});
        List<GenericKubernetesResource> scaled = of(all, GenericKubernetesResource.class).stream()
                .filter(r -> "ScaledObject".equals(r.getKind())).toList();
        assertThat(scaled).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(channels.keySet());
        for (GenericKubernetesResource so : scaled) {
            String service = so.getMetadata().getName();
            String channel = channels.get(service)[0];
            assertThat(so.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
            @SuppressWarnings("unchecked")
            Map<String, Object> kafka = (Map<String, Object>) ((List<Map<String, Object>>) spec.get("triggers")).get(0)
                    .get("metadata");
            // The group and topic the service really consumes.
            assertThat(kafka.get("consumerGroup")).as(service).isEqualTo(Platform.properties(service)
                    .getProperty("mp.messaging.incoming." + channel + ".group.id"));
            assertThat(kafka.get("topic")).as(service).isEqualTo(Platform.properties(service)
                    .getProperty("mp.messaging.incoming." + channel + ".topic"));
            assertThat(kafka.get("bootstrapServers")).isEqualTo("logisync-kafka-bootstrap:9092");
            // Never more consumers than the topic has partitions: the rest would sit idle. A pod runs as many
            // consumers of the group as its channel's concurrency (service-view: 3 by default).
            int perPod = consumersPerPod(Platform.properties(service).getProperty("mp.messaging.incoming." + channel
                    + ".concurrency"));
            assertThat(((Number) spec.get("maxReplicaCount")).intValue() * perPod).as(service).isLessThanOrEqualTo(12);
        }
    }

    /** A channel's consumers per pod: its {@code concurrency} (a number or {@code ${VARIABLE:default}}), else 1. */
    private static int consumersPerPod(String concurrency) {
        if (concurrency == null) {
            return 1;
        }
        String value = concurrency.startsWith("${") ? concurrency.substring(concurrency.indexOf(':') + 1,
                concurrency.length() - 1) : concurrency;
        return Integer.parseInt(value.trim());
    }

    /**
     * service-view sends customers' webhooks and EDI: its egress reaches the subscribers' addresses (the public
     * internet by default) but never the private ranges nor the cloud metadata address; no other service has it.
     */
    @Test
    void onlyServiceViewReachesSubscribersAndNeverThePrivateRangesOrTheMetadataAddress() {
        List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals("default")).findFirst().orElseThrow());
        for (NetworkPolicy np : of(all, NetworkPolicy.class)) {
            List<String> except = np.getSpec().getEgress().stream().flatMap(e -> e.getTo().stream())
                    .filter(p -> p.getIpBlock() != null).flatMap(p -> p.getIpBlock().getExcept().stream()).toList();
            if (np.getMetadata().getName().equals("service-view-service")) {
                assertThat(np.getSpec().getEgress()).anySatisfy(e -> {
                    assertThat(e.getTo()).extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
                            .containsExactly("0.0.0.0/0");
                    assertThat(e.getTo().get(0).getIpBlock().getExcept()).contains("169.254.0.0/16", "10.0.0.0/8");
                    assertThat(e.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(443);
                });
            } else {
                assertThat(except).as(np.getMetadata().getName()).doesNotContain("169.254.0.0/16");
            }
        }
    }

    @Test
    void productionRunsPinnedNativeImagesSamplesFivePercentAndCallsOnlyThePartnersCidrs() {
        List<Manifest> all = manifests(valueSets().filter(v -> v.name().equals("production")).findFirst().orElseThrow());
        assertThat(of(all, Deployment.class)).allSatisfy(d -> assertThat(
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .startsWith("registry-mirror:5000/logisync/").endsWith(":1.0.0-native"));
        assertThat(of(all, ConfigMap.class).stream().filter(cm -> !cm.getMetadata().getName()
                .startsWith("logisync-dashboard-")).toList()).hasSize(4).allSatisfy(cm -> {
            assertThat(cm.getData()).containsEntry("QUARKUS_OTEL_TRACES_SAMPLER_ARG", "0.05")
                    .containsEntry("JAVA_OPTS_APPEND", "")
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "logisync-kafka-bootstrap.logisync:9092");
        });
        ConfigMap billing = of(all, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("billing-trigger-service")).findFirst().orElseThrow();
        assertThat(billing.getData()).containsEntry("QUARKUS_REST_CLIENT_ERP_URL", "https://erp.corp.example.com");
        NetworkPolicy orderSync = of(all, NetworkPolicy.class).stream()
                .filter(n -> n.getMetadata().getName().equals("order-sync-service")).findFirst().orElseThrow();
        assertThat(orderSync.getSpec().getEgress()).anySatisfy(e -> assertThat(e.getTo())
                .extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
                .containsExactly("203.0.113.0/24", "198.51.100.0/24"));
        assertThat(of(all, Deployment.class)).filteredOn(d -> !d.getMetadata().getName().equals("milestone-service"))
                .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(3));
        // Bearer tokens are verified with the identity provider's key, from a Secret.
        assertThat(of(all, Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()).anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("MP_JWT_VERIFY_PUBLICKEY");
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("logisync-jwt");
                }));
    }

    @Test
    void oneServiceCanRunItsOwnImageTag() {
        List<Manifest> all = Manifests.parse("helm tag", new Helm(Platform.chart()).template().withName("logisync")
                .withKubeVersion("1.31.0").set("services.billing.image.tag", "1.0.1").call());
        Map<String, String> images = of(all, Deployment.class).stream().collect(Collectors.toMap(
                d -> d.getMetadata().getName(), d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        assertThat(images).containsEntry("billing-trigger-service", "logisync/billing-trigger-service:1.0.1-jvm")
                .containsEntry("order-sync-service", "logisync/order-sync-service:1.0.0-jvm");
    }

    @Test
    void withTheSimulatorEnabledOrderSyncAndBillingTalkToItAndMayReachIt() {
        List<Manifest> all = manifests(valueSets().filter(v -> v.name().startsWith("staging")).findFirst().orElseThrow());
        Map<String, ConfigMap> cms = of(all, ConfigMap.class).stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        assertThat(cms.get("order-sync-service").getData())
                .containsEntry("QUARKUS_REST_CLIENT_TMS_URL", "http://partner-simulator:8089")
                .containsEntry("QUARKUS_REST_CLIENT_LEGACY_TMS_URL", "http://partner-simulator:8089");
        assertThat(cms.get("billing-trigger-service").getData())
                .containsEntry("QUARKUS_REST_CLIENT_ERP_URL", "http://partner-simulator:8089");
        NetworkPolicy billing = of(all, NetworkPolicy.class).stream()
                .filter(n -> n.getMetadata().getName().equals("billing-trigger-service")).findFirst().orElseThrow();
        assertThat(billing.getSpec().getEgress()).filteredOn(e -> !e.getTo().isEmpty()).anySatisfy(e -> assertThat(
                e.getTo().get(0).getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "partner-simulator"));
    }

    // ------------------------------------------------------------------ bad values

    static Stream<Object[]> badValues() {
        return Stream.of(
                new Object[] {"services.milestone.replcas", 3, "replcas"},
                new Object[] {"image.flavor", "graal", "flavor"},
                new Object[] {"services.milestone.keda.enabled", true, "/services/milestone/keda/enabled"},
                new Object[] {"services.milestone.autoscaling.minReplicas", 20, "above maxReplicas"},
                new Object[] {"services.billing.secretEnv.ERP_TOKEN.value", "s3cr3t", "value"},
                new Object[] {"otel.samplerRatio", 2, "samplerRatio"},
                new Object[] {"kafka.bootstrapServers", "kafka", "bootstrapServers"},
                new Object[] {"services.orderSync.port", 70000, "port"},
                new Object[] {"auth.jwt.publicKeySecret.value", "-----BEGIN PUBLIC KEY-----", "value"});
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @MethodSource("badValues")
    void wrongValuesFailAtInstallTimeNamingWhatIsWrong(String key, Object value, String named) {
        assertThatThrownBy(() -> new Helm(Platform.chart()).template().withName("logisync").withKubeVersion("1.31.0")
                .set(key, value).call())
                .hasMessageContaining(named);
    }

    // ------------------------------------------------------------------ helpers

    static <T> List<T> of(List<Manifest> all, Class<T> type) {
        return all.stream().filter(m -> type.isInstance(m.typed())).map(m -> type.cast(m.typed())).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path file) throws IOException {
        Object o = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        return o == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) o);
    }

    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                merge(copy, (Map<String, Object>) m);
                into.put(k, copy);
            } else {
                into.put(k, v);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static void setPath(Map<String, Object> values, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> node = values;
        for (int i = 0; i < parts.length - 1; i++) {
            Map<String, Object> next = new LinkedHashMap<>((Map<String, Object>) node.getOrDefault(parts[i], Map.of()));
            node.put(parts[i], next);
            node = next;
        }
        node.put(parts[parts.length - 1], value);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static List<String> names(List<Manifest> all, String kind) {
        List<String> out = new ArrayList<>();
        all.stream().filter(m -> m.kind().equals(kind)).forEach(m -> out.add(m.name()));
        return out;
    }
}
