package com.logisync.runtime.deadletter;

import com.logisync.runtime.config.LogiSyncConfig;
import com.logisync.runtime.rest.Paging;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.vertx.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What operators do with this service's dead letters: list them (the DLQ topics of the topics this
 * service consumes, only the records this service failed) with their reason and what became of a
 * redrive, and redrive one or all after a fix. A redriven record goes through the consumer that
 * failed it, the same idempotent consumer as its channel: applied once, or recognised as applied.
 */
@ApplicationScoped
public class DeadLetterOps {

    private static final Logger LOG = Logger.getLogger(DeadLetterOps.class);
    private static final int MAX_SCANNED = 20_000;
    private static final String SAVE = "insert into dead_letter_redrive (dlq_topic, dlq_partition, dlq_offset, event_id,"
            + " redriven_at, redriven_by, outcome, detail) values (:t, :p, :o, :e, :at, :by, :outcome, :detail)"
            + " on conflict (dlq_topic, dlq_partition, dlq_offset) do update set redriven_at = excluded.redriven_at,"
            + " redriven_by = excluded.redriven_by, outcome = excluded.outcome, detail = excluded.detail";

    /** What became of a redrive: REDRIVEN (applied, or applied before) or FAILED, with why. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "RedriveAttempt")
    public record Redrive(Instant at, String by, String outcome, String detail) {
    }

    /** One dead-lettered record this service failed. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "DeadLetter")
    public record Entry(String dlqTopic, int partition, long offset, String key, String eventId, String eventType,
            String reason, String causeClass, String topic, Integer originalPartition, Long originalOffset,
            String service, Instant deadLetteredAt, Redrive redrive) {
    }

    /** A page of the list: {@code nextCursor} absent on the last page (the project's paging). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "DeadLetterPage")
    public record Page(List<Entry> items, String nextCursor) {
    }

    private final Instance<Redrivable> consumers;
    private final String service;
    private final Vertx vertx;

    public DeadLetterOps(@Any Instance<Redrivable> consumers, LogiSyncConfig config, Vertx vertx) {
        this.consumers = consumers;
        this.service = config.serviceName();
        this.vertx = vertx;
    }

    /** The topics whose dead letters this service may hold. */
    public List<String> topics() {
        return consumers.stream().flatMap(c -> c.topics().stream()).distinct().sorted().toList();
    }

    public Uni<Page> list(String topic, int limit, String cursor) {
        int max = Paging.limit(limit);
        String after = Paging.after(cursor, "");
        return read(topic).chain(records -> ledger().map(redrives -> {
            List<Entry> all = records.stream().map(r -> entry(r, redrives.get(position(r)))).toList();
            List<Entry> page = new ArrayList<>();
            String next = null;
            for (Entry e : all) {
                if (!after.isEmpty() && position(e).compareTo(after) <= 0) {
                    continue;
                }
                if (page.size() == max) {
                    next = Paging.cursor(position(page.get(page.size() - 1)));
                    break;
                }
                page.add(e);
            }
            return new Page(page, next);
        }));
    }

    /** Redrives one record; its outcome is recorded and answered, a failure included. */
    public Uni<Entry> redrive(String dlqTopic, int partition, long offset, String actor) {
        return read(null).chain(records -> records.stream()
                .filter(r -> r.topic().equals(dlqTopic) && r.partition() == partition && r.offset() == offset)
                .findFirst()
                .map(r -> redrive(r, actor))
                .orElseGet(() -> Uni.createFrom().failure(ProblemException.notFound("Dead letter of " + service,
                        dlqTopic + "/" + partition + "/" + offset))));
    }

    /** Redrives every record not redriven successfully yet (of one topic, or all), one after the other. */
    public Uni<List<Entry>> redriveAll(String topic, String actor) {
        return read(topic).chain(records -> ledger().chain(redrives -> {
            Uni<List<Entry>> done = Uni.createFrom().item(new ArrayList<>());
            for (ConsumerRecord<String, String> r : records) {
                Redrive before = redrives.get(position(r));
                if (before != null && "REDRIVEN".equals(before.outcome())) {
                    continue;
                }
                done = done.chain(list -> redrive(r, actor).map(e -> {
                    list.add(e);
                    return list;
                }));
            }
            return done;
        }));
    }

    private Uni<Entry> redrive(ConsumerRecord<String, String> dead, String actor) {
        String topic = header(dead, DeadLetters.TOPIC);
        Redrivable consumer = consumers.stream().filter(c -> c.topics().contains(topic)).findFirst().orElse(null);
        if (consumer == null) {
            return Uni.createFrom().failure(ProblemException.conflict("no-consumer", service + " consumes no topic "
                    + topic + " any more: the record cannot be redriven here", Map.of("topic", String.valueOf(topic))));
        }
        ConsumerRecord<String, String> original = original(dead, topic);
        Instant at = Instant.now();
        return SafeContext.run(vertx, () -> consumer.redrive(original)
                .onItemOrFailure().transformToUni((ok, failure) -> {
                    Redrive outcome = new Redrive(at, actor, failure == null ? "REDRIVEN" : "FAILED",
                            failure == null ? null : truncate(String.valueOf(failure.getMessage())));
                    LOG.infof("Dead letter %s-%d@%d (%s) redriven by %s: %s%s", dead.topic(), dead.partition(),
                            dead.offset(), header(dead, "ce_id"), actor, outcome.outcome(),
                            outcome.detail() == null ? "" : " (" + outcome.detail() + ")");
                    return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(SAVE)
                                    .setParameter("t", dead.topic()).setParameter("p", dead.partition())
                                    .setParameter("o", dead.offset()).setParameter("e", header(dead, "ce_id"))
                                    .setParameter("at", at.atOffset(java.time.ZoneOffset.UTC)).setParameter("by", actor)
                                    .setParameter("outcome", outcome.outcome()).setParameter("detail", outcome.detail())
                                    .executeUpdate()))
                            .replaceWith(entry(dead, outcome));
                }));
    }

    /** The record as its topic delivered it: original topic, partition and offset, without the DLQ headers. */
    static ConsumerRecord<String, String> original(ConsumerRecord<String, String> dead, String topic) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : dead.headers()) {
            if (!h.key().startsWith("dead-letter-") && !h.key().startsWith("logisync-dlq-")) {
                headers.add(h);
            }
        }
        int partition = parseInt(header(dead, DeadLetters.PARTITION), dead.partition());
        long offset = parseLong(header(dead, DeadLetters.OFFSET), dead.offset());
        return new ConsumerRecord<>(topic, partition, offset, dead.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                dead.key(), dead.value(), headers, Optional.empty());
    }

    private Uni<Map<String, Redrive>> ledger() {
        return SafeContext.run(vertx, () -> Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createNativeQuery("select dlq_topic, dlq_partition, dlq_offset, redriven_at, redriven_by, outcome, detail"
                        + " from dead_letter_redrive", Object[].class).getResultList())))
                .map(rows -> {
                    Map<String, Redrive> byPosition = new HashMap<>();
                    for (Object[] row : rows) {
                        byPosition.put(position(String.valueOf(row[0]), ((Number) row[1]).intValue(),
                                ((Number) row[2]).longValue()), new Redrive(instant(row[3]), String.valueOf(row[4]),
                                String.valueOf(row[5]), row[6] == null ? null : String.valueOf(row[6])));
                    }
                    return byPosition;
                });
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return value == null ? null : Instant.parse(value.toString());
    }

    /** The dead letters this service failed, of one topic or of every topic it consumes, in topic, partition, offset order. */
    private Uni<List<ConsumerRecord<String, String>>> read(String topic) {
        List<String> topics = topic == null ? topics() : List.of(topic);
        if (topic != null && !topics().contains(topic)) {
            return Uni.createFrom().failure(new ProblemException(400, "invalid-parameter", "Bad request",
                    service + " consumes " + topics() + ", not " + topic, null, Map.of("topics", topics())));
        }
        return Uni.createFrom().item(() -> scan(topics.stream().map(DeadLetters::dlqTopic).toList()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private List<ConsumerRecord<String, String>> scan(List<String> dlqTopics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                String.class));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-dlq-reader");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String dlq : dlqTopics) {
                List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(10)).get(dlq);
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(dlq, i.partition())));
                }
            }
            if (partitions.isEmpty()) {
                return found;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int scanned = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && scanned < MAX_SCANNED
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    scanned++;
                    if (service.equals(header(r, DeadLetters.SERVICE))) {
                        found.add(r);
                    }
                }
            }
        }
        found.sort(Comparator.comparing((ConsumerRecord<String, String> r) -> r.topic())
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return found;
    }

    private Entry entry(ConsumerRecord<String, String> r, Redrive redrive) {
        String at = header(r, DeadLetters.AT);
        return new Entry(r.topic(), r.partition(), r.offset(), r.key(), header(r, "ce_id"), header(r, "ce_type"),
                header(r, DeadLetters.REASON), header(r, DeadLetters.CAUSE_CLASS), header(r, DeadLetters.TOPIC),
                header(r, DeadLetters.PARTITION) == null ? null : parseInt(header(r, DeadLetters.PARTITION), 0),
                header(r, DeadLetters.OFFSET) == null ? null : parseLong(header(r, DeadLetters.OFFSET), 0),
                header(r, DeadLetters.SERVICE), at == null ? Instant.ofEpochMilli(r.timestamp()) : Instant.parse(at),
                redrive);
    }

    private static String position(ConsumerRecord<String, String> r) {
        return position(r.topic(), r.partition(), r.offset());
    }

    private static String position(Entry e) {
        return position(e.dlqTopic(), e.partition(), e.offset());
    }

    /** Sorts as the list does: topic, then partition and offset (zero-padded). */
    private static String position(String topic, int partition, long offset) {
        return topic + "|" + String.format("%06d|%019d", partition, offset);
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) : s;
    }
}
