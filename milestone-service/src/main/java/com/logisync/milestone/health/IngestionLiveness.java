package com.logisync.milestone.health;

import com.logisync.milestone.service.GroupedIngestion;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the ingestion hot path: DOWN while a group commit has been in flight for more than
 * twice its timeout (the timeout did not free it, so reports would queue behind it forever); the
 * orchestrator restarts the pod, and the reports' callers, never answered, retry.
 */
@Liveness
@ApplicationScoped
public class IngestionLiveness implements HealthCheck {

    private final GroupedIngestion ingestion;

    public IngestionLiveness(GroupedIngestion ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public HealthCheckResponse call() {
        var wedged = ingestion.wedged();
        return wedged.isEmpty() ? HealthCheckResponse.up("milestone ingestion")
                : HealthCheckResponse.named("milestone ingestion").down()
                        .withData("groupInFlightFor", wedged.get().toString()).build();
    }
}
