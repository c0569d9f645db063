package com.logisync.serviceview.service;

import com.logisync.serviceview.rest.ShipmentCaseView;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The case-view cache: agents' reads are served from memory and load neither the database nor,
 * through it, anyone else. The consumers invalidate a shipment's entry after every committed change
 * to it (an unknown shipment is cached as null and invalidated when it appears). A read racing a
 * change cannot keep the older view: its load is in the cache as a future from the start, and the
 * invalidation after the commit removes it, so the old result is never kept.
 */
@ApplicationScoped
public class CachedCaseViews {

    private final Instance<CaseViewQueries> queries;

    public CachedCaseViews(Instance<CaseViewQueries> queries) {
        this.queries = queries;
    }

    @CacheResult(cacheName = CaseViewQueries.CASE_VIEWS)
    public Uni<ShipmentCaseView> view(String shipmentId) {
        return queries.get().load(shipmentId);
    }
}
