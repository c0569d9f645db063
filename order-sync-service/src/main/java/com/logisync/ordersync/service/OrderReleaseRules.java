package com.logisync.ordersync.service;

import com.logisync.contracts.masterdata.ContractSelection;
import com.logisync.contracts.model.ContractTerms;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.runtime.rest.Problem.FieldError;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The business rules an order must meet to be released, as plain Java. Every violated rule is
 * reported, each with a stable code, so ERP can fix the order in one round trip.
 */
public final class OrderReleaseRules {

    private OrderReleaseRules() {
    }

    /** The contract lane an order travels on, once one covers it. */
    public record Coverage(Contract contract, Contract.Lane lane) {
    }

    public static List<FieldError> violations(OrderReleased order, Customer customer, List<Contract> contracts,
            Instant now) {
        List<FieldError> errors = new ArrayList<>();
        checkCustomer(customer, order.correlation().customerId(), errors);
        List<Stop> stops = order.stops();
        checkStops(stops, now, errors);
        Stop pickup = stops.get(0);
        Stop delivery = stops.get(stops.size() - 1);
        if (customer != null) {
            coverage(order, contracts, errors).ifPresent(c -> checkLane(order, c, pickup, delivery, errors));
        }
        boolean hasPo = order.correlation().references().stream().anyMatch(r -> r.type() == ReferenceType.PO);
        boolean hasBol = order.correlation().references().stream().anyMatch(r -> r.type() == ReferenceType.BOL);
        if (!hasPo && !hasBol) {
            errors.add(new FieldError("references", "MISSING_REFERENCES",
                    "at least one PO number or a bill of lading is required"));
        }
        return errors;
    }

    private static void checkCustomer(Customer customer, String customerId, List<FieldError> errors) {
        if (customer == null) {
            errors.add(new FieldError("customerId", "CUSTOMER_UNKNOWN", "ERP has not sent customer " + customerId));
            return;
        }
        if (customer.status() != Customer.AccountStatus.ACTIVE) {
            errors.add(new FieldError("customerId", "CUSTOMER_INACTIVE",
                    "customer " + customerId + " is " + customer.status()));
        }
        if (customer.creditHold()) {
            errors.add(new FieldError("customerId", "CREDIT_HOLD", "customer " + customerId + " is on credit hold"));
        }
    }

    private static void checkStops(List<Stop> stops, Instant now, List<FieldError> errors) {
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
        int last = stops.size() - 1;
        if (stops.get(0).type() != StopType.PICKUP) {
            errors.add(new FieldError("stops[0].type", "FIRST_STOP_NOT_PICKUP", "the first stop must be a PICKUP"));
        }
        if (stops.get(last).type() != StopType.DELIVERY) {
            errors.add(new FieldError("stops[" + last + "].type", "LAST_STOP_NOT_DELIVERY",
                    "the last stop must be a DELIVERY"));
        }
        if (stops.get(last).window().end().isBefore(stops.get(0).window().start())) {
            errors.add(new FieldError("stops[" + last + "].window", "DELIVERY_BEFORE_PICKUP",
                    "the delivery window ends before the pickup window starts"));
        }
    }

    /** The contract and lane an order travels on, by the one rule in {@link ContractSelection}. */
    static Optional<Coverage> coverage(OrderReleased order, List<Contract> contracts, List<FieldError> errors) {
        Stop pickup = order.stops().get(0);
        Stop delivery = order.stops().get(order.stops().size() - 1);
        LocalDate pickupDay = pickupDay(pickup);
        String origin = region(pickup);
        String destination = region(delivery);
        ContractSelection.Result chosen = ContractSelection.select(contracts, pickupDay, origin, destination,
                order.serviceLevel());
        if (chosen.refusal() == null) {
            return Optional.of(new Coverage(chosen.contract(), chosen.lane()));
        }
        switch (chosen.refusal()) {
            case NO_CONTRACT -> errors.add(new FieldError("customerId", "NO_CONTRACT",
                    "no contract of the customer is valid on " + pickupDay));
            case LANE_NOT_COVERED -> errors.add(new FieldError("stops", "LANE_NOT_COVERED",
                    "no valid contract covers the lane " + origin + " -> " + destination));
            default -> errors.add(new FieldError("serviceLevel", "SERVICE_LEVEL_NOT_COVERED",
                    "the lane " + origin + " -> " + destination + " is not contracted for " + order.serviceLevel()));
        }
        return Optional.empty();
    }

    /**
     * The contract terms an order that meets every rule is released (or amended) under: decided here
     * once, carried on its events, and what billing rates it with whatever contracts arrive later.
     */
    public static Optional<ContractTerms> terms(OrderReleased order, List<Contract> contracts) {
        return coverage(order, contracts, new ArrayList<>()).map(c -> new ContractTerms(c.contract().contractId(),
                c.contract().erpVersion(), c.lane().originRegion(), c.lane().destinationRegion(), order.serviceLevel()));
    }

    /** The planned pickup day: the pickup window's start, in the pickup stop's zone. */
    static LocalDate pickupDay(Stop pickup) {
        return pickup.window().start().atZone(ZoneId.of(pickup.zoneId())).toLocalDate();
    }

    private static void checkLane(OrderReleased order, Coverage coverage, Stop pickup, Stop delivery,
            List<FieldError> errors) {
        int last = order.stops().size() - 1;
        long windowMinutes = Duration.between(delivery.window().start(), delivery.window().end()).toMinutes();
        if (windowMinutes < coverage.lane().minDeliveryWindowMinutes()) {
            errors.add(new FieldError("stops[" + last + "].window", "WINDOW_TOO_SHORT", "the delivery window is "
                    + windowMinutes + " min; the contract requires at least " + coverage.lane().minDeliveryWindowMinutes()));
        }
        BigDecimal weight = order.lines().stream().map(OrderLine::weightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (weight.compareTo(coverage.lane().maxWeightKg()) > 0) {
            errors.add(new FieldError("lines", "WEIGHT_OVER_LIMIT", "total weight " + weight.stripTrailingZeros()
                    .toPlainString() + " kg exceeds the lane's " + coverage.lane().maxWeightKg().stripTrailingZeros()
                    .toPlainString() + " kg"));
        }
        if (!coverage.contract().hazmatAllowed() && order.lines().stream().anyMatch(OrderLine::hazmat)) {
            errors.add(new FieldError("lines", "HAZMAT_NOT_ALLOWED",
                    "contract " + coverage.contract().contractId() + " does not allow hazmat"));
        }
    }

    /** {@code COUNTRY-REGION}, or just the country when the address has no region. */
    public static String region(Stop stop) {
        return stop.address().regionCode();
    }
}
