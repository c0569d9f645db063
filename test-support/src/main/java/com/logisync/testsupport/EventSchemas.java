package com.logisync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks event payloads against the JSON Schemas committed in sync-contracts
 * ({@code schemas/<ce type>.json}). {@link KafkaRecords} runs it on every record a LogiSync service
 * produced (CloudEvents source {@code /logisync/...}) that a test reads, so each service's tests
 * validate its real payloads.
 */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final AtomicLong VALIDATED = new AtomicLong();

    private EventSchemas() {
    }

    /** What is wrong with this payload of that CloudEvents type (empty when it fits its schema). */
    public static Set<String> violations(String ceType, String payload) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(ceType, EventSchemas::load);
        try {
            JsonNode json = JSON.readTree(payload);
            Set<String> out = new TreeSet<>();
            for (ValidationMessage m : schema.validate(json)) {
                out.add(m.getMessage());
            }
            return out;
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
    }

    /** Fails when a record a LogiSync service produced does not fit its type's schema. */
    public static void assertValid(ConsumerRecord<String, String> record) {
        String type = KafkaRecords.header(record, "ce_type");
        String source = KafkaRecords.header(record, "ce_source");
        if (type == null || source == null || !source.startsWith("/logisync/") || source.equals("/logisync/test")) {
            return; // not produced by a LogiSync service (a test's own or a partner's record)
        }
        Set<String> problems = violations(type, record.value());
        if (!problems.isEmpty()) {
            throw new AssertionError("A " + type + " published by " + source + " does not fit schemas/" + type
                    + ".json: " + problems + "\n" + record.value());
        }
        VALIDATED.incrementAndGet();
    }

    /** How many produced payloads were checked so far in this JVM. */
    public static long validated() {
        return VALIDATED.get();
    }

    private static JsonSchema load(String ceType) {
        InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream("schemas/" + ceType + ".json");
        if (in == null) {
            throw new AssertionError("No JSON Schema committed for event type " + ceType);
        }
        try (in) {
            return FACTORY.getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
