package com.logisync.deploy;

import com.logisync.deploy.Manifests.Manifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform in k8s/, rendered with kustomize (the engine {@code kubectl kustomize} embeds) for
 * each overlay: parsed, schema-checked (Strimzi, CloudNativePG, core), and matched against what
 * the chart and the services expect of it.
 */
class KustomizeTest {

    private static List<Manifest> render(String overlay) throws Exception {
        return Manifests.parse("k8s/overlays/" + overlay,
                NodeTools.kustomize(NodeTools.REPO.resolve("k8s/overlays/" + overlay)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String... path) {
        Map<String, Object> m = (Map<String, Object>) o;
        for (String p : path) {
            m = (Map<String, Object>) m.get(p);
        }
        return m;
    }

    private static List<Manifest> kind(List<Manifest> all, String kind) {
        return all.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    @ParameterizedTest(name = "overlay {0} renders valid objects")
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectOfTheOverlayParsesStrictlyAndMatchesItsSchema(String overlay) throws Exception {
        List<Manifest> all = render(overlay);
        assertThat(all.stream().flatMap(m -> Manifests.unknownFields(m).stream().map(f -> m + " " + f))).isEmpty();
        assertThat(NodeTools.validate(all)).as("schema violations").isEmpty();
        assertThat(all).filteredOn(m -> !m.kind().equals("Namespace"))
                .allSatisfy(m -> assertThat(map(m.raw(), "metadata").get("namespace")).as(m.toString())
                        .isEqualTo("logisync"));
        assertThat(kind(all, "Namespace")).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo("logisync"));
    }

    @ParameterizedTest(name = "overlay {0}: every topic the services use exists, with its DLQ")
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicTheServicesUseExistsWithItsDeadLetterTopic(String overlay) throws Exception {
        List<Manifest> all = render(overlay);
        Set<String> declared = new TreeSet<>();
        for (Manifest t : kind(all, "KafkaTopic")) {
            Map<String, Object> spec = map(t.raw(), "spec");
            declared.add((String) spec.get("topicName"));
            assertThat(map(t.raw(), "metadata", "labels")).containsEntry("strimzi.io/cluster", "logisync");
            int replicas = ((Number) spec.get("replicas")).intValue();
            int minIsr = ((Number) map(spec, "config").get("min.insync.replicas")).intValue();
            assertThat(minIsr).as(t + " min.insync.replicas").isLessThanOrEqualTo(replicas);
            String topicName = (String) spec.get("topicName");
            if (com.logisync.contracts.Topics.config(topicName).containsKey("cleanup.policy")) {
                // Compacted (the master data): kept by key, never deleted by age.
                assertThat(map(spec, "config")).as(topicName).containsEntry("cleanup.policy",
                        com.logisync.contracts.Topics.config(topicName).get("cleanup.policy"))
                        .doesNotContainKey("retention.ms");
            } else {
                assertThat(map(spec, "config")).as(topicName).containsKey("retention.ms")
                        .containsEntry("cleanup.policy", "delete");
            }
            assertThat(((Number) spec.get("partitions")).intValue()).isPositive();
            // The relays send LZ4 batches: the broker must store them as they come, not recompress every one.
            assertThat(map(spec, "config").getOrDefault("compression.type", "producer")).as(topicName + " compression.type")
                    .isEqualTo("producer");
        }
        assertThat(kind(all, "Kafka")).hasSize(1);
        for (Manifest k : kind(all, "Kafka")) {
            Object brokerConfig = map(k.raw(), "spec", "kafka").get("config");
            Object compression = brokerConfig instanceof Map<?, ?> c ? c.get("compression.type") : null;
            assertThat(compression == null ? "producer" : compression).as(k + " compression.type").isEqualTo("producer");
        }
        assertThat(declared).containsAll(Platform.topicsInUse());
        for (String topic : declared) {
            if (!topic.endsWith(".dlq")) {
                assertThat(declared).as("DLQ of " + topic).contains(topic + ".dlq");
            }
        }
        // milestone-service may run as many consumers as its telematics and milestones partitions.
        int telematics = kind(all, "KafkaTopic").stream().filter(t -> "logisync.telematics.v1".equals(
                map(t.raw(), "spec").get("topicName"))).map(t -> ((Number) map(t.raw(), "spec").get("partitions"))
                .intValue()).findFirst().orElseThrow();
        assertThat(telematics).isGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest(name = "overlay {0}: Kafka and PostgreSQL are where the chart looks for them")
    @ValueSource(strings = {"dev", "prod"})
    void kafkaAndPostgresAreWhereTheChartLooksAndEveryServiceHasItsDatabaseAndOwner(String overlay) throws Exception {
        List<Manifest> all = render(overlay);
        Manifest kafka = kind(all, "Kafka").get(0);
        assertThat(kafka.name()).as("strimzi.io/cluster the chart selects; bootstrap logisync-kafka-bootstrap")
                .isEqualTo("logisync");
        assertThat(map(kafka.raw(), "metadata", "annotations")).containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listeners = (List<Map<String, Object>>) map(kafka.raw(), "spec", "kafka").get("listeners");
        assertThat(listeners).anySatisfy(l -> assertThat(((Number) l.get("port")).intValue()).isEqualTo(9092));
        List<Manifest> pools = kind(all, "KafkaNodePool");
        Set<String> roles = new TreeSet<>();
        pools.forEach(p -> {
            assertThat(map(p.raw(), "metadata", "labels")).containsEntry("strimzi.io/cluster", "logisync");
            roles.addAll((List<String>) map(p.raw(), "spec").get("roles"));
        });
        assertThat(roles).containsExactly("broker", "controller");

        Manifest pg = kind(all, "Cluster").get(0);
        assertThat(pg.name() + "-rw").as("the chart's database.host").isEqualTo("logisync-pg-rw");
        Map<String, String> ownerByDatabase = new java.util.HashMap<>();
        Map<String, Object> initdb = map(pg.raw(), "spec", "bootstrap", "initdb");
        ownerByDatabase.put((String) initdb.get("database"), (String) initdb.get("owner"));
        kind(all, "Database").forEach(d -> {
            Map<String, Object> spec = map(d.raw(), "spec");
            assertThat(map(spec, "cluster").get("name")).isEqualTo(pg.name());
            ownerByDatabase.put((String) spec.get("name"), (String) spec.get("owner"));
        });
        List<String> secrets = new ArrayList<>();
        secrets.add((String) map(initdb, "secret").get("name"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> managed = (List<Map<String, Object>>) map(pg.raw(), "spec", "managed").get("roles");
        Set<String> roleNames = managed.stream().map(r -> (String) r.get("name")).collect(Collectors.toSet());
        managed.forEach(r -> secrets.add((String) map(r, "passwordSecret").get("name")));
        for (String service : HelmChartTest.SERVICES) {
            String db = Platform.database(service);
            assertThat(ownerByDatabase).as("database of " + service).containsKey(db);
            String owner = ownerByDatabase.get(db);
            assertThat(owner.equals(initdb.get("owner")) || roleNames.contains(owner)).as("owner role " + owner).isTrue();
        }
        // The locale the local suite and the tests create their databases with (PostgresServerMain#PLATFORM_LOCALE):
        // CloudNativePG's initdb default, collation and character classes "C". Nothing here may set another.
        for (String key : List.of("locale", "localeCollate", "localeCType", "localeProvider")) {
            assertThat(initdb.getOrDefault(key, "C")).as("initdb " + key).isEqualTo("C");
            kind(all, "Database").forEach(d -> assertThat(map(d.raw(), "spec").getOrDefault(key, "C"))
                    .as(d.name() + " " + key).isEqualTo("C"));
        }
        assertThat(map(pg.raw(), "spec", "postgresql", "parameters")).containsEntry("shared_buffers", "512MB")
                .containsEntry("max_wal_size", "4GB");
        // The credentials secrets the chart's services read are the ones CloudNativePG manages.
        assertThat(secrets).containsExactlyInAnyOrder("logisync-order-sync-db", "logisync-milestone-db",
                "logisync-billing-db", "logisync-service-view-db");
        if (overlay.equals("dev")) {
            assertThat(map(pg.raw(), "spec").get("instances")).isEqualTo(1);
            assertThat(pools).hasSize(1);
        } else {
            assertThat(map(pg.raw(), "spec").get("instances")).isEqualTo(3);
            assertThat(pools).hasSize(2).allSatisfy(p -> assertThat(map(p.raw(), "spec").get("replicas")).isEqualTo(3));
        }
    }
}
