package com.logisync.billing;

import com.logisync.contracts.Topics;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An outbox row Kafka refuses for good never blocks the rows behind it: tried three times, then buried with its reason. */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ErpStandIn.class)
class OutboxRelayPoisonTest {

    private static boolean published(String eventId) {
        return KafkaRecords.snapshot(Topics.BILLING).stream().anyMatch(r -> eventId.equals(KafkaRecords.header(r, "ce_id")));
    }

    @Test
    void aRecordTooLargeForKafkaIsBuriedAndAnnouncedWhileTheRowsBehindItArePublished() {
        // 2 MB: over the producer's 1 MB max.request.size, so Kafka can never take it.
        PostgresServer.execute("logisync", "insert into outbox_event (event_id, topic, partition_key, ce_type, payload)"
                + " values ('relay-big-1', '" + Topics.BILLING + "', 'SHP-RELAY1', 'com.logisync.billing.case-updated.v1',"
                + " repeat('x', 2000000))");
        PostgresServer.execute("logisync", "insert into outbox_event (event_id, topic, partition_key, ce_type, payload)"
                + " values ('relay-ok-1', '" + Topics.BILLING + "', 'SHP-RELAY1', 'com.logisync.billing.case-updated.v1',"
                + " '{\"after\": \"the big one\"}')");

        // The row behind it is published at once, not after the big one gave up.
        await().atMost(Duration.ofSeconds(20)).until(() -> published("relay-ok-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(PostgresServer.queryValue("logisync",
                "select count(*) from outbox_dead where event_id = ?", "relay-big-1")));
        assertThat(PostgresServer.queryValue("logisync", "select count(*) from outbox_event where event_id = ?",
                "relay-big-1")).isEqualTo(0L);
        assertThat((String) PostgresServer.queryValue("logisync", "select reason from outbox_dead where event_id = ?",
                "relay-big-1")).contains("RecordTooLargeException");
        assertThat(published("relay-big-1")).isFalse();

        // Announced on the DLQ with why, the payload kept in outbox_dead.
        var announced = await().atMost(Duration.ofSeconds(20)).until(() -> KafkaRecords.snapshot(Topics.BILLING + ".dlq")
                .stream().filter(r -> "relay-big-1".equals(KafkaRecords.header(r, "ce_id"))).findFirst(),
                java.util.Optional::isPresent).get();
        assertThat(KafkaRecords.header(announced, "dead-letter-reason")).contains("RecordTooLargeException");
        assertThat(KafkaRecords.header(announced, "logisync-dlq-service")).isEqualTo("billing-trigger-service");
        assertThat(announced.value()).contains("\"payloadBytes\":2000000").contains("\"keptIn\":\"outbox_dead\"");
    }
}
