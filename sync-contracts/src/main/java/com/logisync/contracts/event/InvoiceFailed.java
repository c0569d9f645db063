package com.logisync.contracts.event;

import com.logisync.contracts.ShipmentEvent;
import com.logisync.contracts.model.Correlation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * ERP refused the invoice for good (hard rejections, not an outage): a billing clerk has to fix the
 * cause and ask again, which makes a new rating revision with a new idempotency key.
 */
@RegisterForReflection
public record InvoiceFailed(Correlation correlation, int ratingRevision, String idempotencyKey, String reason,
        int attempts, Instant failedAt) implements ShipmentEvent {
}
