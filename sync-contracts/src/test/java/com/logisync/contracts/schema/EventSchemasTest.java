package com.logisync.contracts.schema;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.logisync.contracts.EventType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed JSON Schemas ({@code src/main/resources/schemas/<ce type>.json}) are the ones the
 * payload records define: a payload change without its schema fails here. After an intended change:
 * {@code mvn -pl sync-contracts test -Dtest=EventSchemasTest -Dschemas.write=true}, and review the diff.
 * (Real produced payloads are validated against these files by test-support's KafkaRecords in every
 * service's tests.)
 */
class EventSchemasTest {

    static final Path DIR = Path.of("src/main/resources/schemas");

    static String file(EventType t) {
        return t.ceType() + ".json";
    }

    @Test
    void everyEventTypeHasItsCommittedSchemaAndItIsCurrent() throws Exception {
        boolean write = Boolean.getBoolean("schemas.write");
        List<String> stale = new ArrayList<>();
        for (EventType t : EventType.values()) {
            String generated = EventSchemaGenerator.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(EventSchemaGenerator.schemaOf(t)) + "\n";
            Path f = DIR.resolve(file(t));
            if (write) {
                Files.createDirectories(DIR);
                Files.writeString(f, generated, StandardCharsets.UTF_8);
            } else if (!Files.exists(f) || !Files.readString(f, StandardCharsets.UTF_8).equals(generated)) {
                stale.add(f.toString());
            }
        }
        assertThat(stale).as("schemas that differ from their payload records (rewrite with -Dschemas.write=true)")
                .isEmpty();
        try (var files = Files.list(DIR)) {
            assertThat(files.count()).as("one schema per event type, no leftovers").isEqualTo(EventType.values().length);
        }
    }
}
