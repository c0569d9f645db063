package com.logisync.ordersync.service;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.runtime.rest.Problem.FieldError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The business rules an order must meet to be released, as plain Java. Every violated rule is
 * reported, each with a stable code, so ERP can fix the order in one round trip.
 */
public final class OrderReleaseRules {

    private OrderReleaseRules() {
    }

    public static List<FieldError> violations(OrderReleased order, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        List<Stop> stops = order.stops();
        for (int i = 0; i < stops.size(); i++) {
            Stop s = stops.get(i);
            if (!s.window().end().isAfter(s.window().start())) {
                errors.add(new FieldError("stops[" + i + "].window", "WINDOW_NOT_ORDERED",
                        "the window must end after it starts"));
            }
            if (s.window().end().isBefore(now)) {
                errors.add(new FieldError("stops[" + i + "].window", "WINDOW_IN_PAST",
                        "the window ended at " + s.window().end() + ", before the release"));
            }
        }
        if (stops.get(0).type() != StopType.PICKUP) {
            errors.add(new FieldError("stops[0].type", "FIRST_STOP_NOT_PICKUP", "the first stop must be a PICKUP"));
        }
        int last = stops.size() - 1;
        if (stops.get(last).type() != StopType.DELIVERY) {
            errors.add(new FieldError("stops[" + last + "].type", "LAST_STOP_NOT_DELIVERY",
                    "the last stop must be a DELIVERY"));
        }
        Stop pickup = stops.get(0);
        Stop delivery = stops.get(last);
        if (delivery.window().end().isBefore(pickup.window().start())) {
            errors.add(new FieldError("stops[" + last + "].window", "DELIVERY_BEFORE_PICKUP",
                    "the delivery window ends before the pickup window starts"));
        }
        return errors;
    }
}
