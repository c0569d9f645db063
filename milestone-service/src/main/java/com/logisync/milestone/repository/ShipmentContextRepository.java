package com.logisync.milestone.repository;

import com.logisync.milestone.model.ShipmentContext;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ShipmentContextRepository implements PanacheRepositoryBase<ShipmentContext, String> {
}
