package com.logisync.testsupport;

import com.logisync.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in the test JVM (broker and controller combined), started
 * once per JVM with every LogiSync topic and dead-letter topic created.
 */
public final class KafkaBroker {

    public static final int PARTITIONS = 3;
    private static KafkaClusterTestKit cluster;

    private KafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            // No shutdown hook: a graceful broker shutdown takes long on a busy machine, and its data
            // lives under target/ anyway; the JVM's exit ends it.
            cluster = start();
        }
        return cluster.bootstrapServers();
    }

    private static KafkaClusterTestKit start() {
        // The test kit deletes its directories in a JVM shutdown hook while the broker still runs; the
        // broker then sees its log dir fail and halts the JVM with exit code 1, which fails the test
        // run after every test passed. Kafka's own tests replace these procedures the same way.
        Exit.setHaltProcedure((code, message) -> { });
        Exit.setExitProcedure((code, message) -> { });
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", String.valueOf(PARTITIONS))
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            createTopics(kit.bootstrapServers());
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the test Kafka broker", e);
        }
    }

    private static void createTopics(String bootstrap) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : Topics.ALL) {
            topics.add(new NewTopic(t, PARTITIONS, (short) 1).configs(Topics.config(t)));
            topics.add(new NewTopic(Topics.deadLetter(t), 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }
}
