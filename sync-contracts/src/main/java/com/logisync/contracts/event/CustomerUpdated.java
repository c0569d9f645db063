package com.logisync.contracts.event;

import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.masterdata.Customer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** ERP changed a customer account; every service keeps its own copy from this. */
@RegisterForReflection
public record CustomerUpdated(Customer customer) implements LogiSyncEvent {

    /** Keyed by customer on the compacted master-data topic: its latest account survives compaction. */
    @Override
    public String partitionKey() {
        return "customer:" + customer.customerId();
    }
}
