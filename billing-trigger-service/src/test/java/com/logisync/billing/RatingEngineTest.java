package com.logisync.billing;

import com.logisync.billing.service.RatingEngine;
import com.logisync.billing.service.RatingEngine.Charge;
import com.logisync.billing.service.RatingEngine.DieselIndex;
import com.logisync.billing.service.RatingEngine.Line;
import com.logisync.billing.service.RatingEngine.Rating;
import com.logisync.contracts.masterdata.Contract;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatingEngineTest {

    private static final Contract.FuelSurchargeTable FUEL = new Contract.FuelSurchargeTable("FSC-2026-1", List.of(
            new Contract.FuelSurchargeTable.Band(new BigDecimal("3.000"), new BigDecimal("3.500"), new BigDecimal("16.0")),
            new Contract.FuelSurchargeTable.Band(new BigDecimal("3.500"), new BigDecimal("4.000"), new BigDecimal("18.5"))));
    private static final List<Contract.Lane> LANES = List.of(new Contract.Lane("US-TX", "US", new BigDecimal("1450.00"),
            "USD", List.of("LTL_STANDARD"), 60, new BigDecimal("20000")));

    private static Contract contract(BigDecimal discountPercent) {
        return new Contract("CTR-ACME-2026", "CUST-ACME", LocalDate.parse("2026-01-01"), null, LANES,
                Map.of("DET", new BigDecimal("85.00"), "LFT", new BigDecimal("75.00")), 120, new BigDecimal("340.00"),
                FUEL, false, 3, discountPercent);
    }

    private static final DieselIndex WEEK_49 = new DieselIndex("2026-W49", new BigDecimal("3.612"));

    @Test
    void linehaulAndFuelWithoutDiscount() {
        Rating r = RatingEngine.rate(contract(null), "US-TX", "US-TX", WEEK_49, List.of());
        assertThat(r.lines()).extracting(Line::code).containsExactly("LHS", "FSC");
        // 18.5% of 1450.00 = 268.25
        assertThat(r.lines().get(1).amount()).isEqualByComparingTo("268.25");
        assertThat(r.total()).isEqualByComparingTo("1718.25");
        assertThat(r.currency()).isEqualTo("USD");
        assertThat(r.lines().get(1).basis()).isEqualTo(
                "table FSC-2026-1, diesel 3.612 in week 2026-W49, band 3.500–4.000 → 18.5% of 1450.00");
    }

    @Test
    void fuelSurchargeApplysToTheDiscountedLinehaulRoundedToTheCent() {
        Rating r = RatingEngine.rate(contract(new BigDecimal("7.5")), "US-TX", "US-OK", WEEK_49,
                List.of(new Charge("DRIVER_APP:TRK-1:acc-1", "LFT", BigDecimal.ONE, "EACH")));
        // discount 7.5% of 1450.00 = 108.75; fuel 18.5% of 1341.25 = 248.13125 -> 248.13
        assertThat(r.lines()).extracting(Line::code, Line::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple("LHS", new BigDecimal("1450.00")),
                org.assertj.core.groups.Tuple.tuple("DSC", new BigDecimal("-108.75")),
                org.assertj.core.groups.Tuple.tuple("FSC", new BigDecimal("248.13")),
                org.assertj.core.groups.Tuple.tuple("LFT", new BigDecimal("75.00")));
        assertThat(r.total()).isEqualByComparingTo("1664.38");
    }

    @Test
    void detentionIsChargedPerStartedHourAndCapped() {
        Rating twoHours = RatingEngine.rate(contract(null), "US-TX", "US-TX", WEEK_49,
                List.of(new Charge("DETENTION:SHP-1:DELIVERY", "DTU", new BigDecimal("61"), "MINUTES")));
        Line detention = twoHours.lines().get(2);
        assertThat(detention.quantity()).isEqualByComparingTo("2");
        assertThat(detention.amount()).isEqualByComparingTo("170.00");
        assertThat(detention.basis()).isEqualTo(
                "2 started hour(s) × 85.00 for 61 min beyond 120 free (DETENTION:SHP-1:DELIVERY)");
        assertThat(twoHours.total()).isEqualByComparingTo("1888.25");

        Rating capped = RatingEngine.rate(contract(null), "US-TX", "US-TX", WEEK_49,
                List.of(new Charge("DETENTION:SHP-2:PICKUP", "DTL", new BigDecimal("300"), "MINUTES")));
        assertThat(capped.lines().get(2).amount()).isEqualByComparingTo("340.00");
        assertThat(capped.lines().get(2).basis()).contains("5 started hour(s) × 85.00").contains("capped at 340.00");
    }

    @Test
    void theLaneOrderReleaseChoseIsRatedNotTheFirstThatCoversTheRoute() {
        // Through 2027: country-wide LTL 1,000.00, Texas expedited 1,500.00, Texas LTL 700.00; fuel 18.5 %.
        com.logisync.contracts.masterdata.Contract contract = new com.logisync.contracts.masterdata.Contract("CTR-2026",
                "CUST-ACME", java.time.LocalDate.parse("2026-01-01"), java.time.LocalDate.parse("2027-12-31"), List.of(
                        new com.logisync.contracts.masterdata.Contract.Lane("US", "US", new BigDecimal("1000.00"), "USD",
                                List.of("LTL_STANDARD"), 60, new BigDecimal("20000")),
                        new com.logisync.contracts.masterdata.Contract.Lane("US-TX", "US-TX", new BigDecimal("1500.00"), "USD",
                                List.of("EXPEDITED"), 60, new BigDecimal("20000")),
                        new com.logisync.contracts.masterdata.Contract.Lane("US-TX", "US-TX", new BigDecimal("700.00"), "USD",
                                List.of("LTL_STANDARD"), 60, new BigDecimal("20000"))),
                java.util.Map.of(), 120, null, new com.logisync.contracts.masterdata.Contract.FuelSurchargeTable("FSC-1",
                        List.of(new com.logisync.contracts.masterdata.Contract.FuelSurchargeTable.Band(new BigDecimal("3.000"),
                                new BigDecimal("4.000"), new BigDecimal("18.5")))), false, 1);
        var chosen = com.logisync.contracts.masterdata.ContractSelection.select(List.of(contract),
                java.time.LocalDate.parse("2026-12-02"), "US-TX", "US-TX", "LTL_STANDARD");
        Rating r = RatingEngine.rate(contract, chosen.lane(), WEEK_49, List.of());
        // 700.00 + 18.5 % = 829.50 (not 1,000.00 + 185.00 from the first lane covering Dallas → Houston).
        assertThat(r.lines()).extracting(RatingEngine.Line::amount).containsExactly(new BigDecimal("700.00"),
                new BigDecimal("129.50"));
        assertThat(r.total()).isEqualByComparingTo("829.50");
        assertThat(r.contractVersion()).isEqualTo(1L);
        assertThat(r.lines().get(0).basis()).isEqualTo("contract CTR-2026 v1 lane US-TX→US-TX");
    }

    @Test
    void bandEdgesTheOpenTopBandHalfCentsAndZeroDecimalCurrencies() {
        Contract.FuelSurchargeTable open = new Contract.FuelSurchargeTable("FSC-OPEN", List.of(
                new Contract.FuelSurchargeTable.Band(new BigDecimal("3.000"), new BigDecimal("3.500"), new BigDecimal("16.0")),
                new Contract.FuelSurchargeTable.Band(new BigDecimal("3.500"), null, new BigDecimal("18.5"))));
        Contract.Lane lane = new Contract.Lane("US-TX", "US-TX", new BigDecimal("1000.25"), "USD", List.of("LTL_STANDARD"),
                60, new BigDecimal("20000"));
        Contract c = new Contract("CTR-E", "CUST-ACME", LocalDate.parse("2026-01-01"), null, List.of(lane), Map.of(), 120,
                null, open, false, 1);
        // A price on an edge belongs to the band that starts there: 3.500 is 18.5 %, not 16 %.
        // 18.5 % of 1000.25 = 185.04625 → 185.05 (half-up at the cent).
        assertThat(RatingEngine.rate(c, lane, new DieselIndex("2026-W49", new BigDecimal("3.500")), List.of()).lines()
                .get(1).amount()).isEqualByComparingTo("185.05");
        // 2.999 is below every band: not ratable; 9.999 is in the open top band.
        assertThatThrownBy(() -> RatingEngine.rate(c, lane, new DieselIndex("2026-W49", new BigDecimal("2.999")), List.of()))
                .hasMessageContaining("is in no band");
        assertThat(RatingEngine.rate(c, lane, new DieselIndex("2026-W49", new BigDecimal("9.999")), List.of()).total())
                .isEqualByComparingTo("1185.30");
        Contract.Lane yen = new Contract.Lane("JP-13", "JP-27", new BigDecimal("150001"), "JPY", List.of("LTL_STANDARD"),
                60, new BigDecimal("20000"));
        Contract jp = new Contract("CTR-JP", "CUST-JP", LocalDate.parse("2026-01-01"), null, List.of(yen), Map.of(), 120,
                null, open, false, 1);
        // JPY has no minor unit: 150001 × 18.5 % = 27750.185 → 27750, total 177751.
        Rating r = RatingEngine.rate(jp, yen, new DieselIndex("2026-W49", new BigDecimal("3.612")), List.of());
        assertThat(r.lines().get(1).amount()).isEqualByComparingTo("27750");
        assertThat(r.lines().get(1).amount().scale()).isZero();
        assertThat(r.total()).isEqualByComparingTo("177751");
    }

    @Test
    void theFuelWeekIsTheShipDaysWeekInItsZoneOrTheDeliveryDaysWhereTheContractSaysSo() {
        Contract.FuelSurchargeTable byShip = new Contract.FuelSurchargeTable("T", List.of());
        Contract.FuelSurchargeTable byDelivery = new Contract.FuelSurchargeTable("T", List.of(), "DELIVERY_DATE");
        // Delivered Sunday 2026-12-06 at 20:30 in Chicago: Monday 02:30 UTC, the next ISO week.
        java.time.Instant sundayEvening = java.time.Instant.parse("2026-12-07T02:30:00Z");
        assertThat(com.logisync.billing.service.BillingCaseService.fuelWeek(byDelivery, LocalDate.parse("2026-12-04"), sundayEvening,
                "America/Chicago")).isEqualTo("2026-W49");
        // By default the ship day's week: picked up Friday 2026-12-04.
        assertThat(com.logisync.billing.service.BillingCaseService.fuelWeek(byShip, LocalDate.parse("2026-12-04"), sundayEvening, "America/Chicago"))
                .isEqualTo("2026-W49");
        assertThat(com.logisync.billing.service.BillingCaseService.fuelWeek(byShip, LocalDate.parse("2026-12-07"), sundayEvening, "America/Chicago"))
                .isEqualTo("2026-W50");
    }

    @Test
    void moneyIsRoundedOnceTheWayTheErpBooksItAndEveryLineSaysItsCurrencyAndRateQualifier() {
        Contract.Lane lane = new Contract.Lane("US-TX", "US-TX", new BigDecimal("1000.25"), "USD", List.of("LTL_STANDARD"),
                60, new BigDecimal("20000"));
        Contract c = new Contract("CTR-R", "CUST-ACME", LocalDate.parse("2026-01-01"), null, List.of(lane), Map.of(), 120,
                null, FUEL, false, 1, new BigDecimal("10"));
        // 10 % of 1000.25 = 100.025: half-up books 100.03, half-even (banker's) 100.02.
        assertThat(RatingEngine.rate(c, lane, WEEK_49, List.of()).lines().get(1).amount()).isEqualByComparingTo("-100.03");
        Rating even = RatingEngine.rate(c, lane, WEEK_49, List.of(), java.math.RoundingMode.HALF_EVEN);
        assertThat(even.lines().get(1).amount()).isEqualByComparingTo("-100.02");
        assertThat(even.lines()).extracting(Line::currency).containsOnly("USD");
        assertThat(even.lines()).extracting(Line::code, Line::rateQualifier).containsExactly(
                org.assertj.core.groups.Tuple.tuple("LHS", "PER_UNIT"), org.assertj.core.groups.Tuple.tuple("DSC", "PER_UNIT"),
                org.assertj.core.groups.Tuple.tuple("FSC", "PERCENT_OF_LINEHAUL"));
    }

    @Test
    void whatCannotBeRatedSaysWhy() {
        assertThatThrownBy(() -> RatingEngine.rate(contract(null), "DE-BY", "US", WEEK_49, List.of()))
                .hasMessage("Contract CTR-ACME-2026 has no lane from DE-BY to US");
        assertThatThrownBy(() -> RatingEngine.rate(contract(null), "US-TX", "US", null, List.of()))
                .hasMessage("No diesel index for the delivery week");
        assertThatThrownBy(() -> RatingEngine.rate(contract(null), "US-TX", "US",
                new DieselIndex("2026-W50", new BigDecimal("4.250")), List.of()))
                .hasMessage("Diesel price 4.250 of week 2026-W50 is in no band of fuel table FSC-2026-1");
        assertThatThrownBy(() -> RatingEngine.rate(contract(null), "US-TX", "US", WEEK_49,
                List.of(new Charge("x", "RES", BigDecimal.ONE, "EACH"))))
                .hasMessage("RES is not in contract CTR-ACME-2026's rate card");
    }

    @Test
    void aSupplementaryInvoiceBillsOnlyTheLateChargesAndACreditNoteNegatesEveryLine() {
        Rating late = RatingEngine.supplementary(contract(null), "USD",
                List.of(new Charge("DETENTION:SHP-1:2", "DTU", new BigDecimal("90"), "MINUTES"),
                        new Charge("DRIVER_APP:TRK-1:lft", "LFT", BigDecimal.ONE, "EACH")), java.math.RoundingMode.HALF_UP);
        assertThat(late.lines()).extracting(Line::code, Line::amount, Line::accessorialId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DTU", new BigDecimal("170.00"), "DETENTION:SHP-1:2"),
                org.assertj.core.groups.Tuple.tuple("LFT", new BigDecimal("75.00"), "DRIVER_APP:TRK-1:lft"));
        assertThat(late.total()).isEqualByComparingTo("245.00");
        assertThat(RatingEngine.accessorialIds(late)).containsExactly("DETENTION:SHP-1:2", "DRIVER_APP:TRK-1:lft");

        Rating invoice = RatingEngine.rate(contract(null), "US-TX", "US-TX", WEEK_49, List.of());
        Rating credit = RatingEngine.credit(invoice);
        assertThat(credit.lines()).extracting(Line::code, Line::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple("LHS", new BigDecimal("-1450.00")),
                org.assertj.core.groups.Tuple.tuple("FSC", new BigDecimal("-268.25")));
        assertThat(credit.total()).isEqualByComparingTo("-1718.25");
    }

    @Test
    void chargesPricedInAnotherCurrencyThanTheLaneAreNotRatable() {
        Contract cad = new Contract("CTR-CA", "CUST-CA", LocalDate.parse("2026-01-01"), null, LANES,
                Map.of("LFT", new BigDecimal("75.00")), 120, null, FUEL, false, 1, null, null, "CAD", null);
        assertThat(RatingEngine.rate(cad, "US-TX", "US-TX", WEEK_49, List.of()).total()).isEqualByComparingTo("1718.25");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RatingEngine.rate(cad, "US-TX", "US-TX", WEEK_49,
                        List.of(new Charge("DRIVER_APP:TRK-1:lft", "LFT", BigDecimal.ONE, "EACH"))))
                .isInstanceOf(RatingEngine.RatingException.class)
                .hasMessage("Contract CTR-CA prices its accessorials in CAD but the lane bills in USD");
    }
}
