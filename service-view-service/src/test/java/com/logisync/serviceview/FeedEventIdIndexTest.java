package com.logisync.serviceview;

import com.logisync.serviceview.notify.FeedEventIdIndex;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaBroker;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresServer;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The customer feed's unique index on event ids (V21): dropped by a round once nothing needs it, kept while a consumer
 * of a version before V21 is in one of service-view's groups, built again by a replay (ReadModelTest) or a hold.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class FeedEventIdIndexTest {

    private static final String BILLING_GROUP = "service-view-service.billing";

    @Inject
    FeedEventIdIndex index;

    @Test
    void theIndexGoesOnceEveryConsumerOfTheGroupsIsOfThisVersionAndTheInvoicesKeepTheirOwn() throws Exception {
        // Every consumer of this version says so in its client id.
        try (Admin admin = admin()) {
            List<String> clients = admin.describeConsumerGroups(List.of("service-view-service.milestones",
                    BILLING_GROUP)).all().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(g -> g.members().stream()).map(MemberDescription::clientId).toList();
            assertThat(clients).isNotEmpty()
                    .allMatch(id -> id.startsWith(FeedEventIdIndex.CLIENT_ID_PREFIX), "prefixed");
        }
        // The round (every second in tests) dropped V12's constraint; the invoices' partial index stays.
        await().atMost(Duration.ofSeconds(30)).until(() -> !index.present().await().atMost(Duration.ofSeconds(10)));
        assertThat(PostgresServer.queryValue("logisync", "select string_agg(indexname, ', ' order by indexname)"
                + " from pg_indexes where tablename = 'customer_event'"))
                .isEqualTo("customer_event_customer, customer_event_invoice, customer_event_pkey");
        assertThat(PostgresServer.queryValue("logisync", "select indexdef from pg_indexes"
                + " where indexname = 'customer_event_invoice'")).asString()
                .endsWith("(event_id) WHERE ((event_type)::text = 'invoice.issued'::text)");
    }

    @Test
    void aConsumerOfAnEarlierVersionInAGroupKeepsTheIndexUntilItLeaves() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> !index.present().await().atMost(Duration.ofSeconds(10)));
        // A pod of a version before V21 joins the billing group: SmallRye's default client id, no prefix.
        try (KafkaConsumer<String, String> earlier = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, BILLING_GROUP,
                ConsumerConfig.CLIENT_ID_CONFIG, "kafka-consumer-billing-in",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            earlier.subscribe(List.of(com.logisync.contracts.Topics.BILLING));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                earlier.poll(Duration.ofMillis(100));
                return memberIds(BILLING_GROUP).contains("kafka-consumer-billing-in");
            });
            // The rollout: the index exists (here built and then let go, as after a replay's hold).
            index.build(Duration.ZERO).await().atMost(Duration.ofSeconds(30));
            assertThat(index.present().await().atMost(Duration.ofSeconds(10))).isTrue();
            assertThat(index.dropIfUnneeded().await().atMost(Duration.ofSeconds(40))).isFalse();
            // Rounds come every second; three seconds later it is still there.
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                earlier.poll(Duration.ofMillis(200));
            }
            assertThat(index.present().await().atMost(Duration.ofSeconds(10))).isTrue();
        }
        // It left the group: the next rounds drop the index.
        await().atMost(Duration.ofSeconds(60)).until(() -> !index.present().await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void aHoldKeepsTheIndexAndABuildOfAnIndexThatIsThereIsNothing() {
        index.build(Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(30));
        try {
            Object built = PostgresServer.queryValue("logisync", "select oid from pg_class"
                    + " where relname = 'customer_event_event_id'");
            assertThat(built).isNotNull();
            assertThat(index.dropIfUnneeded().await().atMost(Duration.ofSeconds(40))).isFalse();
            index.build(Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(30));
            assertThat(PostgresServer.queryValue("logisync", "select oid from pg_class"
                    + " where relname = 'customer_event_event_id'")).as("the same index").isEqualTo(built);
        } finally {
            index.hold(Duration.ZERO).await().atMost(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !index.present().await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void aFeedThatHoldsAnEventTwiceRefusesAReplayAndAnInvalidLeftoverIndexIsDropped() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !index.present().await().atMost(Duration.ofSeconds(10)));
        for (int i = 0; i < 2; i++) {
            PostgresServer.execute("logisync", "insert into customer_event (event_id, customer_id, shipment_id,"
                    + " event_type, event_date_time, created_at, payload) values ('twice-1', 'CUST-TWICE', 'SHP-TWICE',"
                    + " 'shipment.in_transit', now(), now(), '{}')");
        }
        try {
            assertThatThrownBy(() -> index.build(Duration.ZERO).await().atMost(Duration.ofSeconds(30)))
                    .hasMessageContaining("could not create unique index \"customer_event_event_id\"");
            assertThat(PostgresServer.queryValue("logisync", "select count(*) from pg_class"
                    + " where relname = 'customer_event_event_id'")).as("the failed build's leftover").isEqualTo(0L);
            String ops = com.logisync.testsupport.TestTokens.token("ops-on-call", "ops");
            io.restassured.RestAssured.given().auth().oauth2(ops).post("/api/v1/ops/view/replay").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith(":feed-index"))
                    .body("detail", org.hamcrest.Matchers.containsString("twice-1"));
            io.restassured.RestAssured.given().auth().oauth2(ops).get("/api/v1/ops/view/replay").then()
                    .statusCode(org.hamcrest.Matchers.oneOf(200, 404))
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("RUNNING")));

            // A build that left an invalid index behind (its pod died, say): PostgreSQL maintains it on every insert.
            assertThatThrownBy(() -> PostgresServer.execute("logisync", "create unique index concurrently"
                    + " customer_event_event_id on customer_event (event_id)"))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(PostgresServer.queryValue("logisync", "select i.indisvalid from pg_index i join pg_class c"
                    + " on c.oid = i.indexrelid where c.relname = 'customer_event_event_id'")).isEqualTo(false);
        } finally {
            PostgresServer.execute("logisync", "delete from customer_event where event_id = 'twice-1'");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> PostgresServer.queryValue("logisync", "select count(*)"
                + " from pg_class where relname = 'customer_event_event_id'").equals(0L));
    }

    private static List<String> memberIds(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().map(MemberDescription::clientId).toList();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
    }
}
