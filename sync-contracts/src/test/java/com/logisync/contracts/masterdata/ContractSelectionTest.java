package com.logisync.contracts.masterdata;

import com.logisync.contracts.model.ContractTerms;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one contract rule, with the case finance found: a renewal must not reprice a shipment in flight. */
class ContractSelectionTest {

    static Contract.Lane lane(String from, String to, String rate, String... levels) {
        return new Contract.Lane(from, to, new BigDecimal(rate), "USD", List.of(levels), 60, new BigDecimal("20000"));
    }

    static Contract contract(String id, long version, String validFrom, String validTo, Contract.Lane... lanes) {
        return new Contract(id, "CUST-ACME", LocalDate.parse(validFrom), validTo == null ? null : LocalDate.parse(validTo),
                List.of(lanes), Map.of(), 120, null, new Contract.FuelSurchargeTable("FSC-1", List.of(
                        new Contract.FuelSurchargeTable.Band(new BigDecimal("3.000"), new BigDecimal("4.000"),
                                new BigDecimal("18.5")))), false, version);
    }

    /** Through 2027: country-wide LTL 1,000, Texas expedited 1,500, Texas LTL 700. */
    static final Contract CURRENT = contract("CTR-2026", 1, "2026-01-01", "2027-12-31",
            lane("US", "US", "1000.00", "LTL_STANDARD"), lane("US-TX", "US-TX", "1500.00", "EXPEDITED"),
            lane("US-TX", "US-TX", "700.00", "LTL_STANDARD"));
    /** The next contract, valid only from June 2027, at 2,000. */
    static final Contract NEXT = contract("CTR-2027", 1, "2027-06-01", null, lane("US", "US", "2000.00", "LTL_STANDARD"));

    @Test
    void theContractValidOnThePickupDayAndItsMostSpecificLaneWithTheServiceLevelWin() {
        ContractSelection.Result r = ContractSelection.select(List.of(CURRENT, NEXT), LocalDate.parse("2026-12-02"),
                "US-TX", "US-TX", "LTL_STANDARD");
        assertThat(r.contract().contractId()).isEqualTo("CTR-2026");
        assertThat(r.lane().linehaulRate()).isEqualByComparingTo("700.00");
        assertThat(r.terms("LTL_STANDARD")).contains(new ContractTerms("CTR-2026", 1, "US-TX", "US-TX", "LTL_STANDARD"));
        // An express order on the same route is rated at the expedited lane, never the standard one.
        assertThat(ContractSelection.select(List.of(CURRENT, NEXT), LocalDate.parse("2026-12-02"), "US-TX", "US-TX",
                "EXPEDITED").lane().linehaulRate()).isEqualByComparingTo("1500.00");
        // Leaving Texas: only the country-wide lane carries it.
        assertThat(ContractSelection.select(List.of(CURRENT), LocalDate.parse("2026-12-02"), "US-TX", "US-CA",
                "LTL_STANDARD").lane().linehaulRate()).isEqualByComparingTo("1000.00");
    }

    @Test
    void fromItsFirstDayTheLaterContractWinsAndANewerVersionSupersedesAnOlderOne() {
        assertThat(ContractSelection.select(List.of(CURRENT, NEXT), LocalDate.parse("2027-06-01"), "US-TX", "US-TX",
                "LTL_STANDARD").contract().contractId()).isEqualTo("CTR-2027");
        Contract v2 = contract("CTR-2026", 2, "2026-01-01", "2027-12-31", lane("US-TX", "US-TX", "720.00", "LTL_STANDARD"));
        ContractSelection.Result r = ContractSelection.select(List.of(v2, CURRENT), LocalDate.parse("2026-12-02"),
                "US-TX", "US-TX", "LTL_STANDARD");
        assertThat(r.contract().erpVersion()).isEqualTo(2);
        assertThat(r.lane().linehaulRate()).isEqualByComparingTo("720.00");
    }

    @Test
    void whyNoContractAppliesIsSaid() {
        assertThat(ContractSelection.select(List.of(NEXT), LocalDate.parse("2026-12-02"), "US-TX", "US-TX", "LTL_STANDARD")
                .refusal()).isEqualTo(ContractSelection.Refusal.NO_CONTRACT);
        assertThat(ContractSelection.select(List.of(CURRENT), LocalDate.parse("2026-12-02"), "CA-ON", "US-TX",
                "LTL_STANDARD").refusal()).isEqualTo(ContractSelection.Refusal.LANE_NOT_COVERED);
        assertThat(ContractSelection.select(List.of(CURRENT), LocalDate.parse("2026-12-02"), "US-TX", "US-CA", "FTL")
                .refusal()).isEqualTo(ContractSelection.Refusal.SERVICE_LEVEL_NOT_COVERED);
    }

    @Test
    void theTermsFindTheirLaneInTheContract() {
        assertThat(ContractSelection.lane(CURRENT, new ContractTerms("CTR-2026", 1, "US-TX", "US-TX", "EXPEDITED")))
                .map(Contract.Lane::linehaulRate).contains(new BigDecimal("1500.00"));
        assertThat(ContractSelection.lane(CURRENT, new ContractTerms("CTR-2026", 1, "US-TX", "US-NM", "LTL_STANDARD")))
                .isEmpty();
    }
}
