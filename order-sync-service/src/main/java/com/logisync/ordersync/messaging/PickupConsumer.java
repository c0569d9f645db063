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

    @Incoming("milestones-in")
    public Uni<Void> onMilestone(ConsumerRecord<String, String> record) {
        return consumer.apply(record, this::apply);
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
        if (!(event.payload() instanceof MilestoneRecorded m) || !meansPickedUp(m)) {
            return Uni.createFrom().voidItem();
        }
        return orders.markPickedUp(m.correlation().shipmentId(), m.eventTime().utc()).invoke(n -> {
            if (n > 0) {
                LOG.infof("Shipment %s picked up at %s (%s)", m.correlation().shipmentId(), m.eventTime().utc(),
                        m.milestone());
            }
        }).replaceWithVoid();
    }

    static boolean meansPickedUp(MilestoneRecorded m) {
        return m.classifier() == Classifier.ACTUAL && m.milestone() != MilestoneType.CANCELLED
                && m.milestone().progressRank() >= MilestoneType.LOADING_COMPLETED.progressRank();
    }
}
