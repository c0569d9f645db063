package com.logisync.ordersync.client;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.DispatchReference;
import io.smallrye.mutiny.Uni;

/**
 * The port to a dispatch platform (TMS). Every operation fails with {@link TmsRejectedException}
 * when the TMS refuses for good, and with {@link TmsUnavailableException} (or a fault-tolerance
 * exception such as an open circuit) when it cannot answer now. Every operation is idempotent for its
 * shipment (and amendment): repeating it after a lost answer never does the work twice.
 */
public interface DispatchPlatform {

    /** The name orders are routed by and stored with ({@code REST_TMS}, {@code LEGACY_TMS}). */
    String system();

    /** Creates the load for the order; the shipment id makes a repeat return the same load. */
    Uni<DispatchReference> createLoad(OrderReleased order);

    /** Replaces the load's content with amendment {@code amendment}; answers the (possibly re-planned) reference. */
    Uni<DispatchReference> updateLoad(String loadId, int amendment, OrderReleased order);

    /** Cancels the shipment's load. */
    Uni<Void> cancelLoad(String loadId, String shipmentId, String reason);
}
