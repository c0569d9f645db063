package com.logisync.serviceview.messaging;

import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.serviceview.service.ShipmentCaseProjection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    /** Applies the record, then (after its commit) drops the shipment's cached case view. */
    private Uni<Void> apply(ConsumerRecord<String, String> record) {
        return consumer.deadLetterOnFailure(record, applied(record));
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.MASTER_DATA, com.logisync.contracts.Topics.ORDERS,
                com.logisync.contracts.Topics.MILESTONES,
                com.logisync.contracts.Topics.BILLING, com.logisync.contracts.Topics.SERVICE_TASKS);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return applied(record);
    }

    private Uni<Void> applied(ConsumerRecord<String, String> record) {
        return consumer.process(record, projection::apply).call(() -> {
            if (com.logisync.contracts.EventType.CUSTOMER_UPDATED.ceType().equals(header(record, "ce_type"))) {
                // A new delay threshold may have changed the tasks of any of the customer's shipments.
                return views.invalidateAll();
            }
            return record.key() == null ? Uni.createFrom().voidItem() : views.invalidate(record.key());
        });
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Incoming("masterdata-in")
    public Uni<Void> onMasterData(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    @Incoming("tasks-in")
    public Uni<Void> onServiceTaskEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    @Incoming("orders-in")
    public Uni<Void> onOrderEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    @Incoming("milestones-in")
    public Uni<Void> onMilestoneEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    @Incoming("billing-in")
    public Uni<Void> onBillingEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }
}
