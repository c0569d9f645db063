package com.logisync.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads and writes records on the real test broker, the way an outside observer would. */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    /** Every record currently on the topic (a snapshot up to the end offsets), in partition then offset order. */
    public static List<ConsumerRecord<String, String>> snapshot(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading " + topic);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Waits until consumer group {@code group} has committed, on every partition of {@code topic}, the end
     * offset the topic has now: everything published so far has been processed by that group.
     */
    public static void awaitConsumed(String group, String topic, Duration atMost) {
        try (org.apache.kafka.clients.admin.Admin admin = admin()) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            });
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Cannot read the offsets of " + group + " on " + topic, e);
        }
    }

    /**
     * The partitions of {@code topic} each member of consumer group {@code group} holds now, by member id (a member
     * holding none of them is listed with an empty set).
     */
    public static Map<String, java.util.Set<Integer>> assignment(String group, String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = admin()) {
            Map<String, java.util.Set<Integer>> held = new java.util.TreeMap<>();
            admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members()
                    .forEach(m -> held.put(m.consumerId(), m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))));
            return held;
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Cannot describe consumer group " + group, e);
        }
    }

    private static org.apache.kafka.clients.admin.Admin admin() {
        return org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
    }

    /** The records keyed by this shipment. */
    public static List<ConsumerRecord<String, String>> forShipment(String topic, String shipmentId) {
        List<ConsumerRecord<String, String>> records = snapshot(topic).stream().filter(r -> shipmentId.equals(r.key()))
                .toList();
        records.forEach(EventSchemas::assertValid);
        return records;
    }

    /** Waits until at least {@code count} records on the topic match, and returns all that match. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, int count,
            Predicate<ConsumerRecord<String, String>> filter) {
        List<List<ConsumerRecord<String, String>>> holder = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<ConsumerRecord<String, String>> matching = snapshot(topic).stream().filter(filter).toList();
            holder.clear();
            holder.add(matching);
            return matching.size() >= count;
        });
        holder.get(0).forEach(EventSchemas::assertValid);
        return holder.get(0);
    }

    /** Waits for {@code count} records of the given CloudEvents type keyed by the shipment. */
    public static List<ConsumerRecord<String, String>> awaitEvents(String topic, String shipmentId, String ceType,
            int count) {
        return awaitRecords(topic, count, r -> shipmentId.equals(r.key()) && ceType.equals(header(r, "ce_type")));
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * A record as a consumer channel hands it over, without a broker: a binary-mode CloudEvent (its id, type and
     * source as headers) whose value is the event's JSON, at partition 0 and the given offset. For tests that apply a
     * whole poll to a consumer directly (a test cannot make Kafka deliver a poll of a given size for sure).
     */
    public static ConsumerRecord<String, String> consumed(String topic, long offset, String key, String ceId, String ceType,
            String json) {
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("ce_id", ceId.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", ceType.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/logisync/test".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(topic, 0, offset, System.currentTimeMillis(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, key, json, headers,
                java.util.Optional.empty());
    }

    /** Sends a raw record (for example a poison pill, or an event as another service would publish it). */
    public static void send(String topic, String key, String value, Map<String, String> headers) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send to " + topic, e);
        }
    }
}
