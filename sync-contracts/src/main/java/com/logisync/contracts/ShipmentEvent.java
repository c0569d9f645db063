package com.logisync.contracts;

import com.logisync.contracts.model.Correlation;

/** An event about one shipment: it always says which shipment it concerns and how to find it. */
public interface ShipmentEvent extends LogiSyncEvent {
    Correlation correlation();

    /** One shipment's events stay in order on one partition. */
    @Override
    default String partitionKey() {
        return correlation().shipmentId();
    }
}
