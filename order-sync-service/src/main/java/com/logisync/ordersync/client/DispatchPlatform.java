package com.logisync.ordersync.client;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.DispatchReference;
import io.smallrye.mutiny.Uni;

/**
 * The port to a dispatch platform (TMS). Fails with {@link TmsRejectedException} when the TMS
 * refuses the shipment for good, and with {@link TmsUnavailableException} when it cannot be reached.
 */
public interface DispatchPlatform {

    /** Creates the load; the same {@code idempotencyKey} never creates a second one. */
    Uni<DispatchReference> createLoad(String idempotencyKey, OrderReleased order);
}
