package com.logisync.serviceview.messaging;

import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.serviceview.service.ShipmentCaseProjection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds the case view from every topic; one channel per topic so each has its own dead-letter topic. */
@ApplicationScoped
public class AllTopicsConsumer implements com.logisync.runtime.deadletter.Redrivable {

    private final IdempotentConsumer consumer;
    private final ShipmentCaseProjection projection;

    private final io.quarkus.cache.Cache views;

    public AllTopicsConsumer(IdempotentConsumer consumer, ShipmentCaseProjection projection,
            @io.quarkus.cache.CacheName(com.logisync.serviceview.service.CaseViewQueries.CASE_VIEWS)
            io.quarkus.cache.Cache views) {
        this.consumer = consumer;
        this.projection = projection;
        this.views = views;
    }

    /**
     * Applies a polled batch in one transaction ({@link IdempotentConsumer#applyBatch}), then (after its
     * commit) drops the cached case views of the shipments it changed. A recorded milestone gets no ledger
     * row: its timeline row tells a redelivery ({@link ShipmentCaseProjection#needsLedger}).
     */
    private Uni<Void> apply(ConsumerRecords<String, String> polled) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>(polled.count());
        polled.forEach(records::add);
        return consumer.applyBatch(records, projection::applyAll, true, ShipmentCaseProjection::needsLedger)
                .chain(() -> invalidate(records));
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.MASTER_DATA, com.logisync.contracts.Topics.ORDERS,
                com.logisync.contracts.Topics.MILESTONES,
                com.logisync.contracts.Topics.BILLING, com.logisync.contracts.Topics.SERVICE_TASKS);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return consumer.process(record, projection::apply, ShipmentCaseProjection::needsLedger)
                .chain(() -> invalidate(List.of(record)));
    }

    private Uni<Void> invalidate(List<ConsumerRecord<String, String>> records) {
        Set<String> shipments = new LinkedHashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            if (isCustomerUpdate(record)) {
                // A new delay threshold may have changed the tasks of any of the customer's shipments.
                return views.invalidateAll();
            }
            if (record.key() != null) {
                shipments.add(record.key());
            }
        }
        return com.logisync.runtime.vertx.Sequential.each(shipments, views::invalidate);
    }

    private static final byte[] CUSTOMER_UPDATED = com.logisync.contracts.EventType.CUSTOMER_UPDATED.ceType()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Whether the record is a customer update, read from its type header's bytes (no string per record). */
    static boolean isCustomerUpdate(ConsumerRecord<String, String> record) {
        var h = record.headers().lastHeader("ce_type");
        return h != null && java.util.Arrays.equals(CUSTOMER_UPDATED, h.value());
    }

    @Incoming("masterdata-in")
    public Uni<Void> onMasterData(ConsumerRecords<String, String> records) {
        return apply(records);
    }

    @Incoming("tasks-in")
    public Uni<Void> onServiceTaskEvent(ConsumerRecords<String, String> records) {
        return apply(records);
    }

    @Incoming("orders-in")
    public Uni<Void> onOrderEvent(ConsumerRecords<String, String> records) {
        return apply(records);
    }

    @Incoming("milestones-in")
    public Uni<Void> onMilestoneEvent(ConsumerRecords<String, String> records) {
        return apply(records);
    }

    @Incoming("billing-in")
    public Uni<Void> onBillingEvent(ConsumerRecords<String, String> records) {
        return apply(records);
    }
}
