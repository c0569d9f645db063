package com.logisync.ordersync;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.Stop;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.ordersync.service.OrderReleaseRules;
import com.logisync.runtime.rest.Problem.FieldError;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrderReleaseRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant PICKUP = Instant.parse("2026-12-01T14:00:00Z");
    private static final Instant DELIVERY = Instant.parse("2026-12-02T14:00:00Z");

    private static final Customer ACME = new Customer("CUST-ACME", "Acme", Customer.AccountStatus.ACTIVE, false,
            "America/Chicago", new Customer.ServicePreferences(60, List.of()), 1);

    private static Contract contract(boolean hazmat, LocalDate from, LocalDate to, String origin, String level,
            int minWindowMinutes, String maxWeight) {
        return new Contract("CTR-1", "CUST-ACME", from, to,
                List.of(new Contract.Lane(origin, "US", new BigDecimal("1450.00"), "USD", List.of(level),
                        minWindowMinutes, new BigDecimal(maxWeight))),
                Map.of("LFT", new BigDecimal("75.00")), 120, new BigDecimal("300.00"), null, hazmat, 1);
    }

    private static final Contract CONTRACT = contract(false, LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"),
            "US-TX", "LTL_STANDARD", 120, "20000");

    private static OrderReleased order(String level, String weight, boolean hazmat, Instant pickupStart,
            Instant deliveryStart, long deliveryMinutes, List<ExternalReference> refs) {
        Address dallas = new Address("100 Commerce St", "Dallas", "TX", "75201", "US");
        Address houston = new Address("9 Main St", "Houston", "TX", "77002", "US");
        return new OrderReleased(new Correlation("SHP-1", "ORD-1", null, null, "CUST-ACME", refs), level,
                List.of(new OrderLine(4, new BigDecimal(weight), hazmat, "parts")),
                List.of(new Stop(1, StopType.PICKUP, "DC", null, dallas, "America/Chicago",
                                new TimeWindow(pickupStart, pickupStart.plusSeconds(4 * 3600))),
                        new Stop(2, StopType.DELIVERY, "Store", null, houston, "America/Chicago",
                                new TimeWindow(deliveryStart, deliveryStart.plusSeconds(deliveryMinutes * 60)))),
                NOW);
    }

    private static OrderReleased validOrder() {
        return order("LTL_STANDARD", "1200", false, PICKUP, DELIVERY, 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
    }

    private static List<String> codes(OrderReleased order, Customer customer, List<Contract> contracts) {
        return OrderReleaseRules.violations(order, customer, contracts, NOW).stream().map(FieldError::code).toList();
    }

    @Test
    void aValidOrderViolatesNoRule() {
        assertThat(codes(validOrder(), ACME, List.of(CONTRACT))).isEmpty();
    }

    @Test
    void unknownCustomer() {
        assertThat(codes(validOrder(), null, List.of())).containsExactly("CUSTOMER_UNKNOWN");
    }

    @Test
    void inactiveCustomer() {
        Customer closed = new Customer("CUST-ACME", "Acme", Customer.AccountStatus.CLOSED, false, "UTC", null, 2);
        assertThat(codes(validOrder(), closed, List.of(CONTRACT))).containsExactly("CUSTOMER_INACTIVE");
    }

    @Test
    void creditHold() {
        Customer held = new Customer("CUST-ACME", "Acme", Customer.AccountStatus.ACTIVE, true, "UTC", null, 2);
        assertThat(codes(validOrder(), held, List.of(CONTRACT))).containsExactly("CREDIT_HOLD");
    }

    @Test
    void noContractValidOnThePickupDay() {
        Contract expired = contract(false, LocalDate.parse("2025-01-01"), LocalDate.parse("2026-11-30"), "US-TX",
                "LTL_STANDARD", 120, "20000");
        assertThat(codes(validOrder(), ACME, List.of(expired))).containsExactly("NO_CONTRACT");
        assertThat(codes(validOrder(), ACME, List.of())).containsExactly("NO_CONTRACT");
    }

    @Test
    void laneNotCovered() {
        Contract california = contract(false, LocalDate.parse("2026-01-01"), null, "US-CA", "LTL_STANDARD", 120, "20000");
        assertThat(codes(validOrder(), ACME, List.of(california))).containsExactly("LANE_NOT_COVERED");
    }

    @Test
    void aCountryWideLaneCoversEveryRegionOfTheCountry() {
        Contract national = contract(false, LocalDate.parse("2026-01-01"), null, "US", "LTL_STANDARD", 120, "20000");
        assertThat(codes(validOrder(), ACME, List.of(national))).isEmpty();
    }

    @Test
    void serviceLevelNotCovered() {
        OrderReleased expedited = order("EXPEDITED", "1200", false, PICKUP, DELIVERY, 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(codes(expedited, ACME, List.of(CONTRACT))).containsExactly("SERVICE_LEVEL_NOT_COVERED");
    }

    @Test
    void deliveryWindowBeforePickupWindow() {
        OrderReleased backwards = order("LTL_STANDARD", "1200", false, PICKUP, PICKUP.minusSeconds(86400), 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(codes(backwards, ACME, List.of(CONTRACT))).containsExactly("DELIVERY_BEFORE_PICKUP");
    }

    @Test
    void windowInThePast() {
        Instant lastWeek = NOW.minusSeconds(7 * 86400);
        OrderReleased stale = order("LTL_STANDARD", "1200", false, lastWeek, lastWeek.plusSeconds(86400), 480,
                List.of(new ExternalReference(ReferenceType.BOL, "BOL-1")));
        // the contract covers the pickup day, so only the windows are wrong
        assertThat(codes(stale, ACME, List.of(CONTRACT))).containsExactly("WINDOW_IN_PAST", "WINDOW_IN_PAST");
    }

    @Test
    void windowNotOrdered() {
        OrderReleased empty = order("LTL_STANDARD", "1200", false, PICKUP, DELIVERY, 0,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(codes(empty, ACME, List.of(contract(false, LocalDate.parse("2026-01-01"), null, "US-TX",
                "LTL_STANDARD", 0, "20000")))).containsExactly("WINDOW_NOT_ORDERED");
    }

    @Test
    void windowShorterThanTheContractMinimum() {
        OrderReleased narrow = order("LTL_STANDARD", "1200", false, PICKUP, DELIVERY, 90,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        List<FieldError> errors = OrderReleaseRules.violations(narrow, ACME, List.of(CONTRACT), NOW);
        assertThat(errors).containsExactly(new FieldError("stops[1].window", "WINDOW_TOO_SHORT",
                "the delivery window is 90 min; the contract requires at least 120"));
    }

    @Test
    void weightOverTheLaneLimit() {
        OrderReleased heavy = order("LTL_STANDARD", "20000.5", false, PICKUP, DELIVERY, 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(OrderReleaseRules.violations(heavy, ACME, List.of(CONTRACT), NOW)).containsExactly(
                new FieldError("lines", "WEIGHT_OVER_LIMIT", "total weight 20000.5 kg exceeds the lane's 20000 kg"));
    }

    @Test
    void hazmatNotAllowedByTheContract() {
        OrderReleased hazardous = order("LTL_STANDARD", "1200", true, PICKUP, DELIVERY, 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(codes(hazardous, ACME, List.of(CONTRACT))).containsExactly("HAZMAT_NOT_ALLOWED");
        Contract hazmatOk = contract(true, LocalDate.parse("2026-01-01"), null, "US-TX", "LTL_STANDARD", 120, "20000");
        assertThat(codes(hazardous, ACME, List.of(hazmatOk))).isEmpty();
    }

    @Test
    void missingReferences() {
        OrderReleased bare = order("LTL_STANDARD", "1200", false, PICKUP, DELIVERY, 480, List.of());
        assertThat(codes(bare, ACME, List.of(CONTRACT))).containsExactly("MISSING_REFERENCES");
    }

    @Test
    void everyViolatedRuleIsListedAtOnce() {
        Customer held = new Customer("CUST-ACME", "Acme", Customer.AccountStatus.ON_HOLD, true, "UTC", null, 3);
        OrderReleased bad = order("LTL_STANDARD", "25000", true, PICKUP, DELIVERY, 60, List.of());
        assertThat(codes(bad, held, List.of(CONTRACT))).containsExactlyInAnyOrder("CUSTOMER_INACTIVE", "CREDIT_HOLD",
                "WINDOW_TOO_SHORT", "WEIGHT_OVER_LIMIT", "HAZMAT_NOT_ALLOWED", "MISSING_REFERENCES");
    }

    @Test
    void theReleaseDecidesTheContractAndLaneOnceByTheSharedRule() {
        // A renewal valid only from after the pickup day, at a higher rate, must not be chosen.
        Contract renewal = new Contract("CTR-2", "CUST-ACME", LocalDate.parse("2026-12-15"), null,
                List.of(new Contract.Lane("US", "US", new BigDecimal("2000.00"), "USD", List.of("LTL_STANDARD"), 60,
                        new BigDecimal("20000"))), Map.of(), 120, null, null, false, 1);
        Contract texas = new Contract("CTR-1", "CUST-ACME", LocalDate.parse("2026-01-01"), LocalDate.parse("2027-12-31"),
                List.of(new Contract.Lane("US", "US", new BigDecimal("1000.00"), "USD", List.of("LTL_STANDARD"), 60,
                                new BigDecimal("20000")),
                        new Contract.Lane("US-TX", "US-TX", new BigDecimal("1500.00"), "USD", List.of("EXPEDITED"), 60,
                                new BigDecimal("20000")),
                        new Contract.Lane("US-TX", "US-TX", new BigDecimal("700.00"), "USD", List.of("LTL_STANDARD"), 60,
                                new BigDecimal("20000"))), Map.of(), 120, null, null, false, 4);
        assertThat(OrderReleaseRules.terms(validOrder(), List.of(renewal, texas))).contains(
                new com.logisync.contracts.model.ContractTerms("CTR-1", 4, "US-TX", "US-TX", "LTL_STANDARD"));
        OrderReleased express = order("EXPEDITED", "1200", false, PICKUP, DELIVERY, 480,
                List.of(new ExternalReference(ReferenceType.PO, "PO-1")));
        assertThat(OrderReleaseRules.terms(express, List.of(renewal, texas))).contains(
                new com.logisync.contracts.model.ContractTerms("CTR-1", 4, "US-TX", "US-TX", "EXPEDITED"));
    }
}
