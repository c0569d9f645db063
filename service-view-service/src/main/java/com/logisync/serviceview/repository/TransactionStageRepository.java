package com.logisync.serviceview.repository;

import com.logisync.serviceview.model.TransactionStage;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;

@ApplicationScoped
public class TransactionStageRepository implements PanacheRepositoryBase<TransactionStage, TransactionStage.Key> {

    public Uni<List<TransactionStage>> stages(String shipmentId) {
        return list("id.shipmentId", shipmentId).map(stages -> stages.stream()
                .sorted(Comparator.comparing((TransactionStage s) -> s.id.stage().ordinal())).toList());
    }
}
