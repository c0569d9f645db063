package com.logisync.billing;

import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.testsupport.EventPublisher;
import com.logisync.testsupport.PostgresServer;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Contract seeding shared by the billing tests: published as order-sync publishes it, awaited until billing keeps it. */
final class ContractSeed {

    private ContractSeed() {
    }

    /** Publishes the contract and waits until billing keeps this version of it. */
    static void seed(Contract contract) {
        EventPublisher.publish(new ContractUpdated(contract), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> PostgresServer.queryValue("logisync",
                "select contract_id from billing_contract_version where contract_id = ? and erp_version = ?",
                contract.contractId(), contract.erpVersion()) != null);
    }
}
