package com.logisync.milestone.repository;

import com.logisync.milestone.model.MilestoneEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MilestoneRepository implements PanacheRepositoryBase<MilestoneEntry, String> {
}
