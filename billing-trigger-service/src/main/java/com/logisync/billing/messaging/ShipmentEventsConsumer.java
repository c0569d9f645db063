package com.logisync.billing.messaging;

import com.logisync.billing.service.BillingCaseService;
import com.logisync.runtime.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    public Uni<Void> onMasterData(ConsumerRecord<String, String> record) {
        return consumer.apply(record, cases::apply);
    }

    @Incoming("orders-in")
    public Uni<Void> onOrderEvent(ConsumerRecord<String, String> record) {
        return consumer.apply(record, cases::apply);
    }

    @Incoming("milestones-in")
    public Uni<Void> onMilestoneEvent(ConsumerRecord<String, String> record) {
        return consumer.apply(record, cases::apply);
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.MASTER_DATA, com.logisync.contracts.Topics.ORDERS,
                com.logisync.contracts.Topics.MILESTONES);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return consumer.process(record, cases::apply);
    }
}
