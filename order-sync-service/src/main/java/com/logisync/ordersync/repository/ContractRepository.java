package com.logisync.ordersync.repository;

import com.logisync.ordersync.model.ContractRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ContractRepository implements PanacheRepositoryBase<ContractRecord, String> {

    public Uni<List<ContractRecord>> ofCustomer(String customerId) {
        return list("customerId", customerId);
    }
}
