package com.logisync.serviceview.service;

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
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public CachedCaseViews(Instance<CaseViewQueries> queries, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.queries = queries;
        this.mapper = mapper;
    }

    /**
     * The view as the JSON bytes the API answers with, or null when the shipment is unknown. Kept
     * serialised: a hit costs no serialisation, and the cache holds one compact array per shipment
     * instead of an object graph for the collector to walk.
     */
    @CacheResult(cacheName = CaseViewQueries.CASE_VIEWS)
    public Uni<byte[]> view(String shipmentId) {
        return queries.get().load(shipmentId).map(v -> {
            if (v == null) {
                return null;
            }
            try {
                return mapper.writeValueAsBytes(v);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Cannot serialise the case view of " + shipmentId, e);
            }
        });
    }
}
