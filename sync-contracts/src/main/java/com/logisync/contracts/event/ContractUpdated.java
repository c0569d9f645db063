package com.logisync.contracts.event;

import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.masterdata.Contract;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** ERP changed a contract; billing rates from its copy, the case view shows its terms. */
@RegisterForReflection
public record ContractUpdated(Contract contract) implements LogiSyncEvent {

    /**
     * Keyed by contract and version on the compacted master-data topic: compaction keeps every version (an
     * order is rated by the version it was released under), never only a customer's latest.
     */
    @Override
    public String partitionKey() {
        return "contract:" + contract.contractId() + ":" + contract.erpVersion();
    }
}
