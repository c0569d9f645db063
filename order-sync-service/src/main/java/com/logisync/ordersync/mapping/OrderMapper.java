package com.logisync.ordersync.mapping;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.ordersync.rest.OrderRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** From ERP's order to the canonical model. */
public final class OrderMapper {

    private OrderMapper() {
    }

    /** The shipment id is derived from the ERP order id, so a retried release can never mint a second shipment. */
    public static String shipmentIdFor(String orderId) {
        return "SHP-" + UUID.nameUUIDFromBytes(("erp-order:" + orderId).getBytes(StandardCharsets.UTF_8))
                .toString().substring(0, 13).toUpperCase().replace("-", "");
    }

    public static OrderReleased toReleased(OrderRequest req, Instant releasedAt) {
        List<Stop> stops = new ArrayList<>();
        for (int i = 0; i < req.stops().size(); i++) {
            OrderRequest.StopRequest s = req.stops().get(i);
            OrderRequest.AddressRequest a = s.address();
            stops.add(new Stop(i + 1, s.type(), s.name(), s.locationCode(),
                    new Address(a.line1(), a.city(), a.region(), a.postalCode(), a.country()), s.zoneId(),
                    new TimeWindow(s.window().start().toInstant(), s.window().end().toInstant())));
        }
        List<OrderLine> lines = req.lines().stream()
                .map(l -> new OrderLine(l.pieces(), l.weightKg(), l.hazmat(), l.description())).toList();
        Correlation correlation = new Correlation(shipmentIdFor(req.orderId()), req.orderId(), null, null,
                req.customerId(), references(req.references()));
        return new OrderReleased(correlation, req.serviceLevel(), lines, stops, releasedAt);
    }

    private static List<ExternalReference> references(OrderRequest.References refs) {
        List<ExternalReference> out = new ArrayList<>();
        if (refs == null) {
            return out;
        }
        if (refs.bol() != null) {
            out.add(new ExternalReference(ReferenceType.BOL, refs.bol()));
        }
        if (refs.pro() != null) {
            out.add(new ExternalReference(ReferenceType.PRO, refs.pro()));
        }
        if (refs.poNumbers() != null) {
            refs.poNumbers().forEach(po -> out.add(new ExternalReference(ReferenceType.PO, po)));
        }
        return out;
    }
}
