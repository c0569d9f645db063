package com.logisync.ordersync.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The older dispatch product some regions still run (base URL: {@code quarkus.rest-client.legacy-tms.url}).
 * It answers HTTP 200 for business outcomes and says what happened in {@code result}: {@code ACK}
 * (done), {@code DUP} (already done for this client reference; the original trip is returned),
 * {@code NAK} (refused, with {@code reasonCode}/{@code reasonText}) or {@code BUSY} (try later).
 * It dedupes on {@code clientRef}, weighs in pounds and writes times as {@code yyyyMMddHHmm} UTC.
 */
@RegisterRestClient(configKey = "legacy-tms")
@Path("/legacy-tms/shipments")
public interface LegacyTmsApi {

    @POST
    Uni<Reply> book(Shipment shipment);

    @POST
    @Path("/{clientRef}/revise")
    Uni<Reply> revise(@PathParam("clientRef") String clientRef, Shipment shipment);

    @POST
    @Path("/{clientRef}/void")
    Uni<Reply> voidShipment(@PathParam("clientRef") String clientRef, VoidRequest request);

    record Point(String name, String city, String ctry, String tz, String from, String to) {
    }

    record Shipment(String clientRef, String custNo, String svcCode, int pcs, long wtLbs, String haz, Point orig,
            Point dest) {
    }

    record VoidRequest(String reasonText) {
    }

    record Reply(String result, String tripNo, String routeCode, String carrierName, String driverName,
            String tractorNo, String pickupEta, String deliveryEta, String reasonCode, String reasonText) {
    }
}
