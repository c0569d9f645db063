package com.logisync.contracts;

import com.logisync.contracts.model.Correlation;

/** A payload on a LogiSync topic: it always says which shipment it concerns and how to find it. */
public interface ShipmentEvent {
    Correlation correlation();

    /** The Kafka record key: one shipment's events stay in order on one partition. */
    default String partitionKey() {
        return correlation().shipmentId();
    }
}
