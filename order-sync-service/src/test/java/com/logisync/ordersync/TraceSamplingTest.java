package com.logisync.ordersync;

import com.logisync.contracts.EventType;
import com.logisync.contracts.Topics;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.HttpStandIn.Reply;
import com.logisync.testsupport.HttpStandInResource;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaRecords;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Head sampling as production runs it (the chart's {@code otel.samplerRatio}, here 0): a new trace is
 * sampled at the ratio, and a shipment's trace id still follows it everywhere, sampled or not: in the
 * TMS call, on every event it publishes (where the consumers continue it) and in the logs. A caller's
 * sampled trace is honoured whatever the ratio. With Quarkus' default sampler (parentbased_always_on)
 * the ratio is ignored and the first test fails: every span of the unsampled order is exported.
 */
@QuarkusTest
@TestProfile(TraceSamplingTest.NoNewTraceSampled.class)
@WithTestResource(JwtTestResource.class)
@TestSecurity(user = "test-suite", roles = {"erp"})
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(value = HttpStandInResource.class, initArgs = {
        @ResourceArg(name = "name", value = "tms"),
        @ResourceArg(name = "property", value = "quarkus.rest-client.tms.url") })
class TraceSamplingTest {

    /** The chart's {@code otel.samplerRatio: 0}: no new trace is sampled. */
    public static class NoNewTraceSampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "0.0");
        }
    }

    private static final AtomicInteger LOADS = new AtomicInteger();
    private final HttpStandIn tms = HttpStandIn.named("tms");

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void tmsCreatesLoads() {
        OrderFixtures.seedMasterData();
        tms.reset();
        tms.on("POST", "/tms/api/v1/loads", r -> Reply.json(201, OrderFixtures.loadCreated("LD-S" + LOADS.incrementAndGet())));
    }

    @Test
    void anUnsampledShipmentKeepsOneTraceIdEverywhereAndExportsNoSpan() {
        String shipmentId = given().contentType(ContentType.JSON).body(OrderFixtures.order("ORD-SAMPLE-OUT"))
                .when().post("/api/v1/orders")
                .then().statusCode(201).extract().path("shipmentId");

        ConsumerRecord<String, String> released = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.ORDER_RELEASED.ceType(), 1).get(0);
        ConsumerRecord<String, String> accepted = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.DISPATCH_ACCEPTED.ceType(), 1).get(0);
        String releasedParent = KafkaRecords.header(released, "traceparent");
        // version-traceid-spanid-flags, flags 00: not sampled, but a trace all the same.
        assertThat(releasedParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        String traceId = releasedParent.substring(3, 35);
        assertThat(traceId).isNotEqualTo("0".repeat(32));
        assertThat(KafkaRecords.header(accepted, "traceparent")).startsWith("00-" + traceId + "-").endsWith("-00");
        List<HttpStandIn.Received> loads = tms.received("POST", "/tms/api/v1/loads");
        assertThat(loads).hasSize(1);
        assertThat(loads.get(0).header("traceparent")).startsWith("00-" + traceId + "-").endsWith("-00");

        // A sampled order released after it is exported (the exporter works), while this one's spans never are.
        String sampledTrace = "6e0c63257de34c926f9efcd03927272e";
        String sampledShipment = given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + sampledTrace + "-00f067aa0ba902b7-01")
                .body(OrderFixtures.order("ORD-SAMPLE-AFTER"))
                .when().post("/api/v1/orders")
                .then().statusCode(201).extract().path("shipmentId");
        KafkaRecords.awaitEvents(Topics.ORDERS, sampledShipment, EventType.DISPATCH_ACCEPTED.ceType(), 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(s -> s.getTraceId().equals(sampledTrace)).extracting(SpanData::getName)
                .contains("POST /api/v1/orders", "release-order", "tms-create"));
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getTraceId().equals(traceId)).isEmpty();
    }

    @Test
    void aCallersSampledTraceIsRecordedWhateverTheRatio() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String shipmentId = given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .body(OrderFixtures.order("ORD-SAMPLE-IN"))
                .when().post("/api/v1/orders")
                .then().statusCode(201).extract().path("shipmentId");

        ConsumerRecord<String, String> accepted = KafkaRecords.awaitEvents(Topics.ORDERS, shipmentId,
                EventType.DISPATCH_ACCEPTED.ceType(), 1).get(0);
        assertThat(KafkaRecords.header(accepted, "traceparent")).startsWith("00-" + traceId + "-").endsWith("-01");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(s -> s.getTraceId().equals(traceId)).extracting(SpanData::getName)
                .contains("POST /api/v1/orders", "release-order", "tms-create"));
    }
}
