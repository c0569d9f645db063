package com.logisync.runtime.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code logisync_dlq_depth{dlq_topic}}: the records a dead-letter topic of a topic this service
 * consumes holds (its end offsets minus its start offsets over all partitions), read once a minute
 * with an admin client, never by reading the records. The DLQ topics are shared by the services that
 * consume a topic, so every such service reports the same figure: dashboards take {@code max by (dlq_topic)}.
 * A redriven record stays in the topic until its retention removes it; "what is still to redrive" is
 * the DLQ API's ({@code redrive} is null or FAILED), and new dead letters are
 * {@code logisync_dead_letters_total}.
 */
@ApplicationScoped
public class DeadLetterDepth {

    private static final Logger LOG = Logger.getLogger(DeadLetterDepth.class);

    private final DeadLetterOps ops;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public DeadLetterDepth(DeadLetterOps ops, MeterRegistry registry) {
        this.ops = ops;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ignored) {
        for (String topic : ops.topics()) {
            // At zero from the start: increase() sees the first dead letter of a topic only if the series exists before it.
            io.micrometer.core.instrument.Counter.builder("logisync.dead.letters")
                    .description("Records this service sent to a dead-letter topic, by the topic they came from")
                    .tag("topic", topic).register(registry);
            String dlq = DeadLetters.dlqTopic(topic);
            AtomicLong n = new AtomicLong();
            depths.put(dlq, n);
            Gauge.builder("logisync.dlq.depth", n, AtomicLong::get)
                    .description("Records held by a dead-letter topic of a topic this service consumes")
                    .tag("dlq_topic", dlq).register(registry);
        }
        if (depths.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "logisync-dlq-depth");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 5, 60, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Reads every DLQ topic's depth now (the timer does it once a minute). */
    public void refresh() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                String.class));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            List<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(depths::containsKey).toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(existing).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(part -> {
                        TopicPartition tp = new TopicPartition(name, part.partition());
                        earliest.put(tp, OffsetSpec.earliest());
                        latest.put(tp, OffsetSpec.latest());
                    }));
            Map<String, Long> held = new HashMap<>();
            var start = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            end.forEach((tp, info) -> held.merge(tp.topic(), info.offset() - start.get(tp).offset(), Long::sum));
            depths.forEach((dlq, n) -> n.set(held.getOrDefault(dlq, 0L)));
        } catch (Exception e) {
            LOG.debugf("DLQ depths not read: %s", e.toString());
        }
    }

    /** The last depth read of every DLQ topic of a topic this service consumes, by name. */
    public Map<String, Long> depths() {
        Map<String, Long> out = new java.util.TreeMap<>();
        depths.forEach((dlq, n) -> out.put(dlq, n.get()));
        return out;
    }

    /** The last depth read of a DLQ topic (tests). */
    public long depth(String dlqTopic) {
        AtomicLong n = depths.get(dlqTopic);
        return n == null ? -1 : n.get();
    }
}
