package com.logisync.serviceview.rest;

import com.logisync.runtime.health.WarmUp;
import com.logisync.serviceview.service.CachedCaseViews;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads one case view as {@code GET /api/v1/shipments/{id}} does before the pod reports ready, so the agent on
 * the phone does not wait for a fresh JVM to load the view's queries and serializers.
 */
@ApplicationScoped
public class CaseViewWarmUp implements WarmUp {

    private final CachedCaseViews views;

    public CaseViewWarmUp(CachedCaseViews views) {
        this.views = views;
    }

    @Override
    public String name() {
        return "case view";
    }

    @Override
    public Uni<String> run() {
        // The view is cached as the JSON the API answers with: reading it builds and serialises it.
        return WarmUp.first("select shipment_id from shipment_case limit 1", "no case yet",
                id -> views.view(id).map(json -> id + ", " + (json == null ? 0 : json.length) + " bytes"));
    }
}
