package com.logisync.serviceview.service;

import com.logisync.contracts.Topics;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.messaging.PoisonEventException;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.vertx.SafeContext;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds the read model from the topics: empties it (cases, timeline, stages, keys, customer
 * preferences, service tasks and this service's processed-event ledger), then reads every topic the
 * consumers read from its beginning up to where it ended when the replay started, through the same
 * projection. Live consumers keep running: every update is order-independent and the ledger
 * dedupes, so the result equals the live model. Service-task events are not published again.
 */
@ApplicationScoped
public class ReadModelReplay {

    private static final Logger LOG = Logger.getLogger(ReadModelReplay.class);
    static final List<String> TOPICS = List.of(Topics.ORDERS, Topics.MILESTONES, Topics.BILLING, Topics.SERVICE_TASKS);

    public enum State { IDLE, RUNNING, DONE, FAILED }

    public record Status(State state, Instant startedAt, Instant finishedAt, long records, long skipped, String error) {
    }

    private final IdempotentConsumer consumer;
    private final ShipmentCaseProjection projection;
    private final Cache views;
    private final Vertx vertx;
    private final String bootstrap;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.IDLE, null, null, 0, 0, null));

    public ReadModelReplay(IdempotentConsumer consumer, ShipmentCaseProjection projection,
            @CacheName(CaseViewQueries.CASE_VIEWS) Cache views, Vertx vertx,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.consumer = consumer;
        this.projection = projection;
        this.views = views;
        this.vertx = vertx;
        this.bootstrap = bootstrap;
    }

    public Status status() {
        return status.get();
    }

    /** Starts a replay; 409 while one runs. */
    public Uni<Status> start() {
        Status current = status.get();
        if (current.state() == State.RUNNING) {
            return Uni.createFrom().failure(ProblemException.conflict("replay-running",
                    "A replay started at " + current.startedAt() + " is still running", Map.of()));
        }
        Status running = new Status(State.RUNNING, Instant.now(), null, 0, 0, null);
        if (!status.compareAndSet(current, running)) {
            return Uni.createFrom().failure(ProblemException.conflict("replay-running", "A replay is starting", Map.of()));
        }
        LOG.infof("Replaying the read model from %s", TOPICS);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "truncate shipment_case, case_milestone, transaction_stage, case_key, customer_preference,"
                        + " service_task, processed_event").executeUpdate()))
                .chain(() -> views.invalidateAll())
                .invoke(() -> {
                    Thread worker = new Thread(() -> run(running), "read-model-replay");
                    worker.setDaemon(true);
                    worker.start();
                })
                .replaceWith(running)
                .onFailure().invoke(f -> status.set(new Status(State.FAILED, running.startedAt(), Instant.now(), 0, 0,
                        f.toString())));
    }

    private void run(Status started) {
        long records = 0;
        long skipped = 0;
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.CLIENT_ID_CONFIG, "service-view-service-replay");
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                kafka.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> kafka.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // arrived after the replay started: the live consumers apply it
                    }
                    try {
                        SafeContext.run(vertx, () -> {
                            Vertx.currentContext().putLocal(ServiceTasks.REPLAYING, true);
                            return consumer.apply(record, projection::apply);
                        }).await().atMost(Duration.ofSeconds(60));
                        records++;
                    } catch (PoisonEventException e) {
                        skipped++;
                    }
                    if (record.key() != null) {
                        views.invalidate(record.key()).await().atMost(Duration.ofSeconds(5));
                    }
                }
                status.set(new Status(State.RUNNING, started.startedAt(), null, records, skipped, null));
            }
            views.invalidateAll().await().atMost(Duration.ofSeconds(5));
            status.set(new Status(State.DONE, started.startedAt(), Instant.now(), records, skipped, null));
            LOG.infof("Read model replayed: %d records (%d unusable, skipped) in %d ms", records, skipped,
                    Duration.between(started.startedAt(), Instant.now()).toMillis());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Read model replay failed after %d records", records);
            status.set(new Status(State.FAILED, started.startedAt(), Instant.now(), records, skipped, e.toString()));
        }
    }
}
