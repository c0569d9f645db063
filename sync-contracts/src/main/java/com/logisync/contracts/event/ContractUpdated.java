package com.logisync.contracts.event;

import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.masterdata.Contract;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** ERP changed a contract; billing rates from its copy, the case view shows its terms. */
@RegisterForReflection
public record ContractUpdated(Contract contract) implements LogiSyncEvent {

    /** Keyed by customer, so a customer's master-data changes stay in order. */
    @Override
    public String partitionKey() {
        return contract.customerId();
    }
}
