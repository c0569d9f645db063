package com.logisync.billing.messaging;

import com.logisync.billing.service.BillingCaseService;
import com.logisync.runtime.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds billing cases from the orders and milestones topics, and the contracts from the master-data topic
 * (one channel each, each with its DLQ).
 */
@ApplicationScoped
public class ShipmentEventsConsumer implements com.logisync.runtime.deadletter.Redrivable {

    private final IdempotentConsumer consumer;
    private final BillingCaseService cases;

    public ShipmentEventsConsumer(IdempotentConsumer consumer, BillingCaseService cases) {
        this.consumer = consumer;
        this.cases = cases;
    }

    @Incoming("masterdata-in")
    public Uni<Void> onMasterData(ConsumerRecords<String, String> records) {
        return applyBatch(records);
    }

    @Incoming("orders-in")
    public Uni<Void> onOrderEvent(ConsumerRecords<String, String> records) {
        return applyBatch(records);
    }

    @Incoming("milestones-in")
    public Uni<Void> onMilestoneEvent(ConsumerRecords<String, String> records) {
        return applyBatch(records);
    }

    /**
     * A polled batch in one transaction ({@link IdempotentConsumer#applyBatch}, {@link BillingCaseService#applyAll}),
     * with ledger rows for the events whose redelivery would change something ({@link BillingCaseService#needsLedger}).
     */
    private Uni<Void> applyBatch(ConsumerRecords<String, String> polled) {
        java.util.List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>(polled.count());
        polled.forEach(records::add);
        return consumer.applyBatch(records, cases::applyAll, true, BillingCaseService::needsLedger);
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.MASTER_DATA, com.logisync.contracts.Topics.ORDERS,
                com.logisync.contracts.Topics.MILESTONES);
    }

    /** A redriven record gets its ledger row whatever it is, as before: redriven again, it is skipped. */
    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return consumer.process(record, cases::apply);
    }
}
