package com.logisync.serviceview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.serviceview.notify.WebhookSignature;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.HttpStandIn;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.Milestones;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Customers are told: a subscription receives the events it selected, signed in the Standard Webhooks
 * shape, in each shipment's order, retried until the subscriber takes them (the same webhook-id on
 * every attempt), given up after the configured day (8 s in tests) with the subscription FAILING and a
 * service task, and redelivered on an operator's request. The events API pages the same events stably.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class SubscriptionTest {

    @jakarta.inject.Inject
    com.logisync.serviceview.notify.CustomerEventFeed feed;

    @jakarta.inject.Inject
    com.logisync.serviceview.notify.FeedEventIdIndex feedIndex;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERP = TestTokens.token("erp-system", "erp");
    private static final String AGENT = TestTokens.token("agent-12", "service-agent");
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static String portal(String customer) {
        return TestTokens.token("portal-" + customer, Map.of("customer", customer), "service-agent");
    }

    private static Correlation corr(String shipmentId, String customerId) {
        return new Correlation(shipmentId, "ORD-" + shipmentId, null, null, customerId,
                List.of(new ExternalReference(ReferenceType.BOL, "BOL-" + shipmentId),
                        new ExternalReference(ReferenceType.PO, "PO-" + shipmentId)));
    }

    /** The customer master with its zone, once service-view has it (the zone of local times without a stop's). */
    private static void customer(String customerId, String zone) {
        EventPublisher.publish(new CustomerUpdated(new Customer(customerId, customerId + " Inc", Customer.AccountStatus.ACTIVE,
                false, zone, new Customer.ServicePreferences(60, List.of("ops@" + customerId + ".example")), 1)), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> zone.equals(sql("select time_zone from customer_preference"
                + " where customer_id = '" + customerId + "'")));
    }

    private static Connection connect() throws java.sql.SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    private static String sql(String query) {
        try {
            return query(query);
        } catch (java.sql.SQLException e) {
            return e.toString();
        }
    }

    private static String query(String query) throws java.sql.SQLException {
        try (Connection c = connect(); var s = c.createStatement(); var r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static void order(String shipmentId, String customerId) {
        EventPublisher.publish(new OrderReleased(corr(shipmentId, customerId), "LTL_STANDARD", List.of(), List.of(),
                Instant.parse("2026-12-01T08:00:00Z"), null), null);
    }

    private static void subscribe(String id, String customerId, String url, List<String> types) {
        given().auth().oauth2(ERP).contentType(ContentType.JSON)
                .body(Map.of("customerId", customerId, "url", url, "eventTypes", types, "secret", SECRET))
                .put("/api/v1/subscriptions/" + id)
                .then().statusCode(201).body("status", equalTo("ACTIVE")).body("secret", equalTo(null));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDelayAndADeliveryAreSignedRetriedAndDeliveredInTheShipmentsOrder() {
        HttpStandIn subscriber = HttpStandIn.named("subscriber-ok");
        subscriber.on("POST", "/hooks", r -> HttpStandIn.Reply.json(204, null));
        subscriber.thenReply("POST", "/hooks", HttpStandIn.Reply.json(500, "{\"error\":\"busy\"}"),
                HttpStandIn.Reply.json(502, "{\"error\":\"gateway\"}"));
        customer("CUST-SUB1", "America/Chicago");
        subscribe("sub-sub1", "CUST-SUB1", subscriber.url() + "/hooks", List.of("shipment.delayed", "shipment.delivered"));
        order("SHP-SUB1", "CUST-SUB1");
        Instant delayedAt = Instant.parse("2026-12-02T15:00:00Z");
        EventPublisher.publish(Milestones.reported(corr("SHP-SUB1", "CUST-SUB1"), "sub1-dl", MilestoneType.DELAYED, delayedAt)
                .reason(new Reason("WEATHER", "AO", "X12-1651", "snow on I-80"))
                .local(LocalDateTime.parse("2026-12-02T09:00:00"), "America/Chicago").build(), null);
        EventPublisher.publish(Milestones.reported(corr("SHP-SUB1", "CUST-SUB1"), "sub1-it", MilestoneType.IN_TRANSIT,
                delayedAt.plusSeconds(600)).build(), null);
        EventPublisher.publish(Milestones.reported(corr("SHP-SUB1", "CUST-SUB1"), "sub1-dv", MilestoneType.DELIVERED,
                delayedAt.plusSeconds(7200)).location(new Location("Acme DC", null, new Address(null, "Joliet", "IL", null, "US"),
                        null, null, 2, com.logisync.contracts.model.StopType.DELIVERY))
                .pod(new ProofOfDelivery("J. Smith", delayedAt.plusSeconds(7200), "POD-77", "1 carton crushed")).build(), null);

        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.received("POST", "/hooks").size() >= 4);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("The subscriber received " + subscriber.received("POST", "/hooks").size()
                    + " calls; events " + sql("select string_agg(event_type || '@' || coalesce(customer_id, '-'), ', ')"
                    + " from customer_event where shipment_id = 'SHP-SUB1'") + "; deliveries " + sql("select string_agg("
                    + "event_type || ' ' || status || ' ' || attempts || ' ' || coalesce(last_error, ''), ', ') from delivery"
                    + " where shipment_id = 'SHP-SUB1'") + "; timeline " + sql("select string_agg(milestone, ', ') from"
                    + " case_milestone where shipment_id = 'SHP-SUB1'"), e);
        }
        List<HttpStandIn.Received> calls = subscriber.received("POST", "/hooks");
        assertThat(calls).hasSize(4);
        // The delay three times (500, 502, then taken), the same id each time; the delivery only after it.
        List<String> types = calls.stream().map(c -> json(c.body()).get("type").asText()).toList();
        assertThat(types).containsExactly("shipment.delayed", "shipment.delayed", "shipment.delayed", "shipment.delivered");
        assertThat(calls.subList(0, 3).stream().map(c -> c.header("webhook-id")).distinct().toList()).hasSize(1);
        assertThat(calls.get(3).header("webhook-id")).isNotEqualTo(calls.get(0).header("webhook-id")).startsWith("msg_");
        for (HttpStandIn.Received c : calls) {
            assertThat(WebhookSignature.verify(SECRET, c.header("webhook-id"), c.header("webhook-timestamp"), c.body(),
                    c.header("webhook-signature"))).as("signature of %s", c.body()).isTrue();
            assertThat(Math.abs(Long.parseLong(c.header("webhook-timestamp")) - Instant.now().getEpochSecond())).isLessThan(60);
            assertThat(c.header("content-type")).isEqualTo("application/json");
        }
        assertThat(WebhookSignature.verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                calls.get(0).header("webhook-id"), calls.get(0).header("webhook-timestamp"), calls.get(0).body(),
                calls.get(0).header("webhook-signature"))).isFalse();

        JsonNode delay = json(calls.get(2).body()).get("data");
        assertThat(delay.get("eventClassifierCode").asText()).isEqualTo("ACT");
        assertThat(delay.get("eventDateTime").asText()).isEqualTo("2026-12-02T15:00:00Z");
        assertThat(delay.get("eventLocalDateTime").get("local").asText()).isEqualTo("2026-12-02T09:00:00");
        assertThat(delay.get("eventLocalDateTime").get("zoneId").asText()).isEqualTo("America/Chicago");
        assertThat(delay.get("reason").get("code").asText()).isEqualTo("WEATHER");
        assertThat(delay.get("reason").get("sourceCode").asText()).isEqualTo("AO");
        assertThat(delay.get("reason").get("description").asText()).isEqualTo("snow on I-80");
        assertThat(delay.get("references").get("orderId").asText()).isEqualTo("ORD-SHP-SUB1");
        assertThat(delay.get("references").get("billsOfLading").get(0).asText()).isEqualTo("BOL-SHP-SUB1");
        assertThat(delay.get("references").get("purchaseOrders").get(0).asText()).isEqualTo("PO-SHP-SUB1");
        JsonNode delivered = json(calls.get(3).body()).get("data");
        assertThat(delivered.get("pod").get("signedBy").asText()).isEqualTo("J. Smith");
        assertThat(delivered.get("pod").get("documentRef").asText()).isEqualTo("POD-77");
        assertThat(delivered.get("shipmentEventTypeCode").asText()).isEqualTo("CMPL");
        // No zone from the stop: the customer's, and said so.
        assertThat(delivered.get("eventLocalDateTime").get("local").asText()).isEqualTo("2026-12-02T11:00:00");
        assertThat(delivered.get("eventLocalDateTime").get("zoneSource").asText()).isEqualTo("CUSTOMER");
        assertThat(delivered.get("location").get("city").asText()).isEqualTo("Joliet");

        // The delivery log: newest first, every attempt with the subscriber's answer.
        given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-sub1/deliveries")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].eventType", equalTo("shipment.delivered"))
                .body("items[0].status", equalTo("DELIVERED"))
                .body("items[0].attempts", equalTo(1))
                .body("items[0].attemptLog[0].statusCode", equalTo(204))
                .body("items[1].eventType", equalTo("shipment.delayed"))
                .body("items[1].deliveryId", equalTo(calls.get(0).header("webhook-id")))
                .body("items[1].attempts", equalTo(3))
                .body("items[1].attemptLog.statusCode", equalTo(List.of(500, 502, 204)))
                .body("items[1].attemptLog[0].error", containsString("busy"));
        // Paged: one at a time, then the next.
        String next = given().auth().oauth2(ERP).queryParam("limit", 1).get("/api/v1/subscriptions/sub-sub1/deliveries")
                .then().statusCode(200).body("items", hasSize(1)).extract().path("nextCursor");
        given().auth().oauth2(ERP).queryParam("limit", 1).queryParam("cursor", next)
                .get("/api/v1/subscriptions/sub-sub1/deliveries")
                .then().statusCode(200).body("items[0].eventType", equalTo("shipment.delayed")).body("nextCursor", equalTo(null));

        // The events API has the three events (in transit included: it is not a subscription's filter).
        Response page = given().auth().oauth2(portal("CUST-SUB1")).get("/api/v1/events");
        page.then().statusCode(200).body("items.type", equalTo(List.of("shipment.delayed", "shipment.in_transit",
                "shipment.delivered"))).body("nextCursor", equalTo(null));
        given().auth().oauth2(portal("CUST-SUB1")).queryParam("eventTypes", "shipment.delivered").get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].eventID", equalTo(delivered.get("eventID").asText()));
        String cursor = given().auth().oauth2(AGENT).queryParam("customerId", "CUST-SUB1").queryParam("limit", 2)
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(2)).extract().path("nextCursor");
        given().auth().oauth2(AGENT).queryParam("customerId", "CUST-SUB1").queryParam("cursor", cursor).get("/api/v1/events")
                .then().statusCode(200).body("items.type", equalTo(List.of("shipment.delivered")))
                .body("resumeCursor", equalTo(page.path("resumeCursor")));
        // Another customer's portal sees none of it; an unknown type is named.
        given().auth().oauth2(portal("CUST-OTHER")).get("/api/v1/events").then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(portal("CUST-OTHER")).queryParam("customerId", "CUST-SUB1").get("/api/v1/events")
                .then().statusCode(403);
        given().auth().oauth2(AGENT).queryParam("eventTypes", "shipment.teleported").get("/api/v1/events")
                .then().statusCode(400).body("detail", containsString("shipment.teleported"));
    }

    @Test
    void aSubscriberDownForTheWholeRetryPeriodIsFailingWithATaskAndCanBeRedelivered() {
        HttpStandIn subscriber = HttpStandIn.named("subscriber-down");
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(false);
        subscriber.on("POST", "/down", r -> up.get() ? HttpStandIn.Reply.json(200, "{}")
                : HttpStandIn.Reply.json(503, "{\"error\":\"maintenance\"}"));
        customer("CUST-SUB2", "America/New_York");
        subscribe("sub-sub2", "CUST-SUB2", subscriber.url() + "/down", List.of("shipment.delayed"));
        order("SHP-SUB2", "CUST-SUB2");
        EventPublisher.publish(Milestones.reported(corr("SHP-SUB2", "CUST-SUB2"), "sub2-dl", MilestoneType.DELAYED,
                Instant.parse("2026-12-02T15:00:00Z")).reason(new Reason("MECHANICAL", "AI", "X12-1651", null)).build(), null);

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> given().auth().oauth2(ERP)
                .get("/api/v1/subscriptions/sub-sub2/deliveries").then().statusCode(200)
                .body("items[0].status", equalTo("FAILED")));
        int attempts = given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-sub2/deliveries").then()
                .extract().path("items[0].attempts");
        assertThat(attempts).isGreaterThanOrEqualTo(3);
        assertThat(subscriber.received("POST", "/down")).hasSize(attempts);
        given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-sub2").then().statusCode(200)
                .body("status", equalTo("FAILING")).body("secretHint", equalTo("…" + SECRET.substring(SECRET.length() - 4)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(AGENT)
                .get("/api/v1/shipments/SHP-SUB2").then().statusCode(200)
                .body("serviceTasks.find { it.reason == 'SUBSCRIPTION_FAILING' }.status", equalTo("OPEN"))
                .body("serviceTasks.find { it.reason == 'SUBSCRIPTION_FAILING' }.detail", containsString("HTTP 503"))
                .body("serviceTasks.find { it.reason == 'SUBSCRIPTION_FAILING' }.detail",
                        containsString("customer contacts: ops@CUST-SUB2.example")));

        // The operator redrives it once the subscriber is back: the same webhook-id, delivered, ACTIVE again.
        up.set(true);
        String deliveryId = given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-sub2/deliveries").then()
                .extract().path("items[0].deliveryId");
        given().auth().oauth2(ERP).post("/api/v1/subscriptions/sub-sub2/deliveries/" + deliveryId + "/redeliver")
                .then().statusCode(200).body("status", equalTo("PENDING"));
        given().auth().oauth2(ERP).post("/api/v1/subscriptions/sub-sub2/deliveries/" + deliveryId + "/redeliver")
                .then().statusCode(409).body("type", equalTo("urn:logisync:problem:delivery-not-failed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(ERP)
                .get("/api/v1/subscriptions/sub-sub2/deliveries").then().body("items[0].status", equalTo("DELIVERED")));
        List<HttpStandIn.Received> calls = subscriber.received("POST", "/down");
        assertThat(calls.get(calls.size() - 1).header("webhook-id")).isEqualTo(deliveryId);
        given().auth().oauth2(ERP).get("/api/v1/subscriptions/sub-sub2").then().body("status", equalTo("ACTIVE"));
    }

    /**
     * Live, a batch of milestones' events goes into the feed without {@code on conflict}: the feed cannot have them,
     * since their timeline rows were new in the same transaction. After a restore of the read model from a snapshot
     * older than the feed it can: the timeline lost the row, the feed kept it. A replay builds the feed's unique index
     * on event ids before it restores (V21, FeedEventIdIndex), so the batch fails once, is retried with
     * {@code on conflict}, the redelivered milestone is applied again, its event is not told twice, and the rest of
     * its batch is written and told. Here the timeline row is deleted by hand and the index held as a replay holds it.
     */
    @Test
    void aMilestoneTheFeedHasButTheTimelineLostIsAppliedAgainAndNotToldTwice() {
        feedIndex.build(Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(30));
        try {
            milestoneTheFeedHasButTheTimelineLost();
        } finally {
            feedIndex.hold(Duration.ZERO).await().atMost(Duration.ofSeconds(10));
        }
    }

    private void milestoneTheFeedHasButTheTimelineLost() {
        HttpStandIn subscriber = HttpStandIn.named("subscriber-once");
        subscriber.on("POST", "/once", r -> HttpStandIn.Reply.json(204, null));
        customer("CUST-SUB5", "Europe/Berlin");
        subscribe("sub-sub5", "CUST-SUB5", subscriber.url() + "/once", List.of("shipment.delayed", "shipment.in_transit"));
        order("SHP-SUB5", "CUST-SUB5");
        Instant at = Instant.parse("2026-12-02T15:00:00Z");
        MilestoneRecorded delay = Milestones.reported(corr("SHP-SUB5", "CUST-SUB5"), "sub5-dl", MilestoneType.DELAYED, at)
                .reason(new Reason("WEATHER", "AO", "X12-1651", null)).build();
        EventPublisher.publish(delay, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.received("POST", "/once").size() == 1);
        String delayRow = "from customer_event where event_id = '" + delay.eventId() + "'";
        String delayId = sql("select feed_xid::text || ':' || feed_seq " + delayRow);

        execute("delete from case_milestone where event_id = '" + delay.eventId() + "'");
        EventPublisher.publish(delay, null);
        EventPublisher.publish(Milestones.reported(corr("SHP-SUB5", "CUST-SUB5"), "sub5-it", MilestoneType.IN_TRANSIT,
                at.plusSeconds(600)).build(), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.received("POST", "/once").size() >= 2
                && "1".equals(sql("select count(*) from case_milestone where event_id = '" + delay.eventId() + "'")));
        assertThat(subscriber.received("POST", "/once").stream().map(c -> json(c.body()).get("type").asText()))
                .containsExactly("shipment.delayed", "shipment.in_transit");
        assertThat(sql("select string_agg(event_type, ',' order by feed_xid, feed_seq) from customer_event"
                + " where shipment_id = 'SHP-SUB5'")).isEqualTo("shipment.delayed,shipment.in_transit");
        assertThat(sql("select feed_xid::text || ':' || feed_seq " + delayRow)).isEqualTo(delayId);
        assertThat(sql("select string_agg(event_type || ' ' || status, ',' order by created_at) from delivery"
                + " where shipment_id = 'SHP-SUB5'")).isEqualTo("shipment.delayed DELIVERED,shipment.in_transit DELIVERED");
        assertThat(sql("select count(*) from case_dead_letter where shipment_id = 'SHP-SUB5'")).isEqualTo("0");
        // The batch met the feed's row without on conflict, and the feed checks conflicts for a while now.
        assertThat(feed.conflictsCheckedUntil()).isAfter(Instant.now().plusSeconds(60));
    }

    /**
     * During the rollout of V21 a pod of the version before it still writes deliveries without their event's feed
     * position. The sender finds such a delivery's event by its id while the feed has that index; the round that
     * drops the index first gives every such delivery not yet sent its position.
     */
    @Test
    void aDeliveryAPodOfAnEarlierVersionWroteIsSentAndGetsItsFeedPositionBeforeTheIndexGoes() {
        HttpStandIn subscriber = HttpStandIn.named("subscriber-v20");
        subscriber.on("POST", "/v20", r -> HttpStandIn.Reply.json(204, null));
        customer("CUST-SUB6", "Europe/Berlin");
        subscribe("sub-sub6", "CUST-SUB6", subscriber.url() + "/v20", List.of("shipment.in_transit"));
        feedIndex.build(Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(30));
        try {
            for (String id : List.of("v20-now", "v20-later")) {
                execute("insert into customer_event (event_id, customer_id, shipment_id, event_type, event_date_time,"
                        + " created_at, payload) values ('" + id + "', 'CUST-SUB6', 'SHP-SUB6', 'shipment.in_transit',"
                        + " now(), now(), '{\"eventID\":\"" + id + "\",\"type\":\"shipment.in_transit\"}')");
                execute("insert into delivery (delivery_id, subscription_id, shipment_id, event_id, event_type, status,"
                        + " next_attempt_at, created_at) values ('msg_" + id + "', 'sub-sub6', 'SHP-SUB6',"
                        + " '" + id + "',"
                        + " 'shipment.in_transit', 'PENDING', now() + interval '" + ("v20-now".equals(id) ? 0 : 1)
                        + " hour', now())");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.received("POST", "/v20").size() == 1);
            assertThat(json(subscriber.received("POST", "/v20").get(0).body()).get("data").get("eventID").asText())
                    .isEqualTo("v20-now");
            assertThat(sql("select feed_seq from delivery where delivery_id = 'msg_v20-later'")).isNull();
        } finally {
            feedIndex.hold(Duration.ZERO).await().atMost(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !feedIndex.present().await().atMost(Duration.ofSeconds(10)));
        assertThat(sql("select d.feed_xid::text || ':' || d.feed_seq from delivery d"
                + " where delivery_id = 'msg_v20-later'"))
                .isNotNull().isEqualTo(sql("select feed_xid::text || ':' || feed_seq from customer_event"
                        + " where event_id = 'v20-later'"));
    }

    private static void execute(String statement) {
        try (Connection c = connect(); var s = c.createStatement()) {
            s.executeUpdate(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void subscriptionsAreManagedByErpOpsOrTheCustomersOwnPortal() {
        String url = HttpStandIn.named("subscriber-ok").url() + "/hooks";
        // A portal user creates its own: the secret is made here and shown once.
        Response created = given().auth().oauth2(portal("CUST-SUB3")).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-SUB3", "url", url, "eventTypes", List.of("shipment.delivered")))
                .put("/api/v1/subscriptions/sub-sub3");
        created.then().statusCode(201).body("format", equalTo("JSON"));
        String secret = created.path("secret");
        assertThat(WebhookSignature.valid(secret)).isTrue();
        given().auth().oauth2(portal("CUST-SUB3")).get("/api/v1/subscriptions/sub-sub3").then().statusCode(200)
                .body("secret", equalTo(null)).body("eventTypes", equalTo(List.of("shipment.delivered")));
        // The same request again replaces it (200), keeping the secret.
        given().auth().oauth2(portal("CUST-SUB3")).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-SUB3", "url", url, "eventTypes", List.of("shipment.delivered",
                        "invoice.issued"))).put("/api/v1/subscriptions/sub-sub3")
                .then().statusCode(200).body("eventTypes", equalTo(List.of("invoice.issued", "shipment.delivered")))
                .body("secretHint", equalTo("…" + secret.substring(secret.length() - 4)));
        // Not another customer's, not moved to another customer, not by an agent without a customer.
        given().auth().oauth2(portal("CUST-OTHER")).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-SUB3", "url", url, "eventTypes", List.of("shipment.delivered")))
                .put("/api/v1/subscriptions/sub-sub3x").then().statusCode(403);
        given().auth().oauth2(portal("CUST-OTHER")).get("/api/v1/subscriptions/sub-sub3").then().statusCode(404);
        given().auth().oauth2(ERP).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-OTHER", "url", url, "eventTypes", List.of("shipment.delivered")))
                .put("/api/v1/subscriptions/sub-sub3").then().statusCode(409)
                .body("type", equalTo("urn:logisync:problem:subscription-customer")).body("customerId", equalTo("CUST-SUB3"));
        given().auth().oauth2(AGENT).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-SUB3", "url", url, "eventTypes", List.of("shipment.delivered")))
                .put("/api/v1/subscriptions/sub-sub3").then().statusCode(403);
        // Bad input is named, field by field.
        given().auth().oauth2(ERP).contentType(ContentType.JSON)
                .body(Map.of("customerId", "CUST-SUB3", "url", "ftp://x.example/in", "eventTypes",
                        List.of("shipment.teleported"), "secret", "hunter2", "format", "X12"))
                .put("/api/v1/subscriptions/sub-sub3y").then().statusCode(400)
                .body("errors.field", equalTo(List.of("url", "eventTypes", "secret", "edi")))
                .body("detail", containsString("shipment.teleported"));
        // The list, paged; the delete cancels.
        given().auth().oauth2(ERP).queryParam("customerId", "CUST-SUB3").get("/api/v1/subscriptions").then()
                .statusCode(200).body("items.subscriptionId", equalTo(List.of("sub-sub3")));
        given().auth().oauth2(portal("CUST-SUB3")).delete("/api/v1/subscriptions/sub-sub3").then().statusCode(204);
        given().auth().oauth2(portal("CUST-SUB3")).delete("/api/v1/subscriptions/sub-sub3").then().statusCode(404);
        given().auth().oauth2(ERP).queryParam("customerId", "CUST-SUB3").get("/api/v1/subscriptions").then()
                .statusCode(200).body("items", hasSize(0));
    }

    /**
     * A customer event lists every PO, BOL and PRO number the shipment is known by, in order: those an earlier
     * batch stored (the order's) and one the report itself brings; each key is stored once.
     */
    @Test
    void aCustomerEventListsTheReferencesTheShipmentIsKnownBy() {
        EventPublisher.publish(new OrderReleased(new Correlation("SHP-REF1", "ORD-REF1", null, null, "CUST-REF",
                List.of(new ExternalReference(ReferenceType.PO, "PO-B"), new ExternalReference(ReferenceType.BOL, "BOL-1"),
                        new ExternalReference(ReferenceType.PO, "PO-A"))), "LTL_STANDARD", List.of(), List.of(),
                Instant.parse("2026-12-01T08:00:00Z"), null), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "3".equals(sql("select count(*) from case_key"
                + " where shipment_id = 'SHP-REF1' and key_type in ('PO', 'BOL')")));
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        EventPublisher.publish(Milestones.reported(new Correlation("SHP-REF1", null, null, null, "CUST-REF", List.of()),
                "ref1-a", MilestoneType.IN_TRANSIT, at).build(), null);
        EventPublisher.publish(Milestones.reported(new Correlation("SHP-REF1", null, null, null, "CUST-REF",
                List.of(new ExternalReference(ReferenceType.PRO, "PRO-9"), new ExternalReference(ReferenceType.PO, "PO-A"))),
                "ref1-b", MilestoneType.IN_TRANSIT, at.plusSeconds(60))
                .location(new Location("Zoë's dock 日本 🚚", "USHOU", null, null, null, null, null)).build(), null);
        List<Map<String, Object>> items = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth()
                .oauth2(AGENT).queryParam("customerId", "CUST-REF").get("/api/v1/events").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("items"), l -> l.size() == 2);
        Map<String, Object> first = items.stream().filter(i -> "2026-12-02T10:00:00Z".equals(i.get("eventDateTime")))
                .findFirst().orElseThrow();
        Map<String, Object> second = items.stream().filter(i -> "2026-12-02T10:01:00Z".equals(i.get("eventDateTime")))
                .findFirst().orElseThrow();
        assertThat(first.get("references")).asString().contains("purchaseOrders=[PO-A, PO-B]")
                .contains("billsOfLading=[BOL-1]");
        assertThat(second.get("references")).asString().contains("purchaseOrders=[PO-A, PO-B]")
                .contains("billsOfLading=[BOL-1]").contains("proNumbers=[PRO-9]");
        // Written as UTF-8 bytes (SessionSql.utf8) and read back as the same text, every character intact.
        assertThat(second.get("location")).asString().contains("name=Zoë's dock 日本 🚚");
        // Stored in its compact form (values by position: CustomerEventJson#compact), the text intact in it.
        assertThat(sql("select payload from customer_event where event_id = 'REST_API:SWIFT:ref1-b'"))
                .startsWith("[1,\"").contains(",[\"Zoë's dock 日本 🚚\"").doesNotContain("\"name\"");
        assertThat(sql("select string_agg(key_type || ' ' || key_value, ', ' order by key_value) from case_key"
                + " where shipment_id = 'SHP-REF1'"))
                .isEqualTo("BOL BOL-1, ORDER ORD-REF1, PO PO-A, PO PO-B, PRO PRO-9, SHIPMENT SHP-REF1");
    }

    /**
     * A page never skips an event whose transaction commits after a later one: a row written by a transaction
     * still open stays invisible, and so does everything after it, until it commits; then both come, in order.
     */
    @Test
    void theEventsCursorNeitherSkipsALateCommitNorRepeats() throws Exception {
        String start = given().auth().oauth2(AGENT).queryParam("customerId", "CUST-FEED").get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(0)).extract().path("resumeCursor");
        try (Connection early = connect(); Connection late = connect()) {
            early.setAutoCommit(false);
            late.setAutoCommit(false);
            insertEvent(early, "feed-early");   // takes the older transaction id, commits last
            insertEvent(late, "feed-late");
            late.commit();
            given().auth().oauth2(AGENT).queryParam("customerId", "CUST-FEED").queryParam("cursor", start)
                    .get("/api/v1/events").then().statusCode(200).body("items", hasSize(0));
            early.commit();
        }
        List<String> seen = new ArrayList<>();
        String cursor = start;
        for (int i = 0; i < 3; i++) {
            Response page = given().auth().oauth2(AGENT).queryParam("customerId", "CUST-FEED").queryParam("limit", 1)
                    .queryParam("cursor", cursor).get("/api/v1/events");
            page.then().statusCode(200);
            seen.addAll(page.path("items.eventID"));
            cursor = page.path("resumeCursor");
        }
        assertThat(seen).containsExactly("feed-early", "feed-late");
    }

    private static void insertEvent(Connection c, String id) throws java.sql.SQLException {
        try (var s = c.prepareStatement("insert into customer_event (event_id, customer_id, shipment_id, event_type,"
                + " event_date_time, created_at, payload) values (?, 'CUST-FEED', 'SHP-FEED', 'shipment.in_transit', now(),"
                + " now(), ?)")) {
            s.setString(1, id);
            s.setString(2, "{\"eventID\":\"" + id + "\",\"type\":\"shipment.in_transit\"}");
            s.executeUpdate();
        }
    }
}
