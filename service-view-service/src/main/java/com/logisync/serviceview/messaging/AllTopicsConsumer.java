package com.logisync.serviceview.messaging;

import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.serviceview.service.ShipmentCaseProjection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds the case view from every topic; one channel per topic so each has its own dead-letter topic. */
@ApplicationScoped
public class AllTopicsConsumer {

    private final IdempotentConsumer consumer;
    private final ShipmentCaseProjection projection;

    public AllTopicsConsumer(IdempotentConsumer consumer, ShipmentCaseProjection projection) {
        this.consumer = consumer;
        this.projection = projection;
    }

    @Incoming("orders-in")
    public Uni<Void> onOrderEvent(ConsumerRecord<String, String> record) {
        return consumer.apply(record, projection::apply);
    }

    @Incoming("milestones-in")
    public Uni<Void> onMilestoneEvent(ConsumerRecord<String, String> record) {
        return consumer.apply(record, projection::apply);
    }

    @Incoming("billing-in")
    public Uni<Void> onBillingEvent(ConsumerRecord<String, String> record) {
        return consumer.apply(record, projection::apply);
    }
}
