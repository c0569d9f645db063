package com.logisync.ordersync.repository;

import com.logisync.ordersync.model.CustomerRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<CustomerRecord, String> {
}
