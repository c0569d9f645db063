package com.logisync.milestone.messaging;

import com.logisync.milestone.service.OrderContextProjection;
import com.logisync.runtime.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Learns each shipment's order context from {@code logisync.orders.v1}. */
@ApplicationScoped
public class OrdersConsumer implements com.logisync.runtime.deadletter.Redrivable {

    private final IdempotentConsumer consumer;
    private final OrderContextProjection projection;

    public OrdersConsumer(IdempotentConsumer consumer, OrderContextProjection projection) {
        this.consumer = consumer;
        this.projection = projection;
    }

    /** A polled batch in one transaction ({@link IdempotentConsumer#applyBatch}, {@link OrderContextProjection#applyAll}). */
    @Incoming("orders-in")
    public Uni<Void> onOrderEvents(org.apache.kafka.clients.consumer.ConsumerRecords<String, String> polled) {
        java.util.List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>(polled.count());
        polled.forEach(records::add);
        return consumer.applyBatch(records, projection::applyAll);
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.ORDERS);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return consumer.process(record, projection::apply);
    }
}
