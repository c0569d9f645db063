package com.logisync.runtime.deadletter;

import com.logisync.runtime.config.LogiSyncConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes a record that can never be processed to {@code <topic>.dlq}: its key, value and headers as
 * they were, plus why ({@code dead-letter-reason}, {@code dead-letter-cause-class-name}), where it came
 * from ({@code dead-letter-topic}, {@code -partition}, {@code -offset}) and which consumer failed it
 * ({@code logisync-dlq-service}: the DLQ topics are shared by every service that consumes a topic, and
 * a redrive goes back to the one that failed it). Only then is the record's offset committed.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String SERVICE = "logisync-dlq-service";
    public static final String AT = "logisync-dlq-at";

    private final MutinyEmitter<String> emitter;
    private final String service;
    private final io.micrometer.core.instrument.MeterRegistry registry;
    private final jakarta.enterprise.event.Event<DeadLettered> deadLettered;

    public DeadLetters(@Channel("logisync-dead-letters") MutinyEmitter<String> emitter, LogiSyncConfig config,
            io.micrometer.core.instrument.MeterRegistry registry, jakarta.enterprise.event.Event<DeadLettered> deadLettered) {
        this.emitter = emitter;
        this.service = config.serviceName();
        this.registry = registry;
        this.deadLettered = deadLettered;
    }

    /** {@code logisync_dead_letters_total{topic}}: records this service dead-lettered, by the topic they came from. */
    private void count(String topic) {
        io.micrometer.core.instrument.Counter.builder("logisync.dead.letters")
                .description("Records this service sent to a dead-letter topic, by the topic they came from")
                .tag("topic", topic).register(registry).increment();
    }

    public static String dlqTopic(String topic) {
        return topic + ".dlq";
    }

    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable failure) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("dead-letter-") && !h.key().startsWith("logisync-dlq-")) {
                headers.add(h);
            }
        }
        String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        headers.add(REASON, bytes(reason.length() > 1000 ? reason.substring(0, 1000) : reason));
        headers.add(CAUSE_CLASS, bytes(failure.getClass().getName()));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET, bytes(Long.toString(record.offset())));
        headers.add(SERVICE, bytes(service));
        headers.add(AT, bytes(Instant.now().toString()));
        String dlq = dlqTopic(record.topic());
        LOG.errorf("Dead-lettering %s-%d@%d to %s: %s", record.topic(), record.partition(), record.offset(), dlq,
                reason);
        count(record.topic());
        Header ceId = record.headers().lastHeader("ce_id");
        DeadLettered what = new DeadLettered(record.topic(), record.key(),
                ceId == null || ceId.value() == null ? null : new String(ceId.value(), StandardCharsets.UTF_8),
                reason.length() > 500 ? reason.substring(0, 500) : reason, Instant.now());
        return emitter.sendMessage(Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(dlq).withKey(record.key()).withHeaders(headers).build()))
                .invoke(() -> deadLettered.fire(what));
    }

    /** Writes a record as given to a dead-letter topic (the outbox relay announcing a row it buried). */
    public Uni<Void> announce(String dlqTopic, String key, String value, RecordHeaders headers) {
        count(dlqTopic.endsWith(".dlq") ? dlqTopic.substring(0, dlqTopic.length() - 4) : dlqTopic);
        return emitter.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(dlqTopic).withKey(key).withHeaders(headers).build()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
