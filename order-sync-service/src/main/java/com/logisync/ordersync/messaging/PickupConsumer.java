package com.logisync.ordersync.messaging;

import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.ordersync.repository.ShipmentOrderRepository;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.messaging.IncomingEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Learns from {@code logisync.milestones.v1} when an order's goods are picked up: from then on ERP
 * can no longer amend or cancel it. An actual milestone at or past loading completed counts (a
 * delivery implies the pickup, even if its report never came); plans and estimates do not.
 */
@ApplicationScoped
public class PickupConsumer implements com.logisync.runtime.deadletter.Redrivable {

    private static final Logger LOG = Logger.getLogger(PickupConsumer.class);

    private final IdempotentConsumer consumer;
    private final ShipmentOrderRepository orders;

    public PickupConsumer(IdempotentConsumer consumer, ShipmentOrderRepository orders) {
        this.consumer = consumer;
        this.orders = orders;
    }

    /**
     * A polled batch in one transaction: its pickups in one statement, whatever the batch size. Marking
     * an order picked up "if it is not yet" is idempotent by itself (a redelivered or replayed pickup finds
     * the order marked and changes nothing), so this consumer keeps no ledger row per event
     * ({@link IdempotentConsumer#applyIdempotentBatch}).
     */
    @Incoming("milestones-in")
    public Uni<Void> onMilestones(org.apache.kafka.clients.consumer.ConsumerRecords<String, String> polled) {
        java.util.List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>(polled.count());
        polled.forEach(records::add);
        return consumer.applyIdempotentBatch(records, this::applyAll);
    }

    @Override
    public java.util.List<String> topics() {
        return java.util.List.of(com.logisync.contracts.Topics.MILESTONES);
    }

    @Override
    public Uni<Void> redrive(ConsumerRecord<String, String> record) {
        return consumer.process(record, this::apply);
    }

    Uni<Void> apply(IncomingEvent event) {
        return applyAll(java.util.List.of(event));
    }

    /**
     * The first pickup of each shipment of the batch (in offset order, as one event at a time would
     * have it) marks its order picked up, if nothing did before, in one statement.
     */
    Uni<Void> applyAll(java.util.List<IncomingEvent> events) {
        java.util.Map<String, java.time.Instant> pickups = new java.util.TreeMap<>();
        for (IncomingEvent event : events) {
            if (event.payload() instanceof MilestoneRecorded m && meansPickedUp(m)) {
                pickups.putIfAbsent(m.correlation().shipmentId(), m.eventTime().utc());
            }
        }
        if (pickups.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return orders.markPickedUp(pickups).invoke(marked -> marked.forEach(id -> LOG.infof(
                "Shipment %s picked up at %s", id, pickups.get(id)))).replaceWithVoid();
    }

    static boolean meansPickedUp(MilestoneRecorded m) {
        return m.classifier() == Classifier.ACTUAL && m.milestone() != MilestoneType.CANCELLED
                && m.milestone().progressRank() >= MilestoneType.LOADING_COMPLETED.progressRank();
    }
}
