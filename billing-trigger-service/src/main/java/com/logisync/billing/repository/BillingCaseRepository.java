package com.logisync.billing.repository;

import com.logisync.billing.model.BillingCase;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class BillingCaseRepository implements PanacheRepositoryBase<BillingCase, String> {
}
