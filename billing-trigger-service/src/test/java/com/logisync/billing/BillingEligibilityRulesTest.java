package com.logisync.billing;

import com.logisync.billing.service.BillingEligibilityRules;
import com.logisync.billing.service.BillingEligibilityRules.Check;
import com.logisync.billing.service.BillingEligibilityRules.Facts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BillingEligibilityRulesTest {

    private static final Instant DELIVERED = Instant.parse("2026-12-02T19:30:00Z");

    @Test
    void deliveredWithSignedPodAndActiveOrderIsEligible() {
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false));
        assertThat(checks).extracting(Check::rule).containsExactly("DELIVERED", "POD_RECEIVED", "ACCESSORIALS_DECIDED",
                "NO_OPEN_EXCEPTION", "NOT_CANCELLED");
        assertThat(BillingEligibilityRules.eligible(checks)).isTrue();
    }

    @Test
    void notDeliveredWaitsForDelivery() {
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(null, "J. Doe", DELIVERED, false));
        assertThat(BillingEligibilityRules.eligible(checks)).isFalse();
        assertThat(checks.get(0)).isEqualTo(new Check("DELIVERED", false, "awaiting an actual DELIVERED milestone"));
    }

    @Test
    void deliveredWithoutSignedPodWaitsForPod() {
        assertThat(BillingEligibilityRules.evaluate(new Facts(DELIVERED, null, null, false)).get(1))
                .isEqualTo(new Check("POD_RECEIVED", false, "awaiting POD (signed by and signed at)"));
        assertThat(BillingEligibilityRules.eligible(BillingEligibilityRules.evaluate(new Facts(DELIVERED, " ", DELIVERED,
                false)))).isFalse();
        assertThat(BillingEligibilityRules.eligible(BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", null,
                false)))).isFalse();
    }

    @Test
    void anUnsignedDeliveryFromTheDispatchedCarrierIsEnoughWhereTheContractLetsThePodFollow() {
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(DELIVERED, null, null, false, true, List.of(),
                List.of()));
        assertThat(checks.get(1)).isEqualTo(new Check("POD_RECEIVED", true,
                "delivered unsigned by the dispatched carrier; the contract lets the POD document follow"));
        assertThat(BillingEligibilityRules.eligible(checks)).isTrue();
        // Not delivered yet: the promise of a document to follow proves nothing.
        assertThat(BillingEligibilityRules.evaluate(new Facts(null, null, null, false, true, List.of(), List.of()))
                .get(1).met()).isFalse();
    }

    @Test
    void aMultiDropOrderIsDeliveredWhenEveryDeliveryStopIs() {
        List<Check> firstDrop = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false, false,
                List.of(), List.of(), List.of(3)));
        assertThat(firstDrop.get(0)).isEqualTo(new Check("DELIVERED", false, "delivered at " + DELIVERED
                + "; awaiting delivery at stop(s) [3]"));
        assertThat(BillingEligibilityRules.eligible(firstDrop)).isFalse();
        assertThat(BillingEligibilityRules.eligible(BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe",
                DELIVERED, false, false, List.of(), List.of(), List.of())))).isTrue();
    }

    @Test
    void cancelledOrderIsNeverEligible() {
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, true));
        assertThat(BillingEligibilityRules.eligible(checks)).isFalse();
        assertThat(checks.get(4).detail()).isEqualTo("the order was cancelled");
    }

    @Test
    void anUndecidedAccessorialHoldsTheInvoiceAndSaysWhich() {
        List<BillingEligibilityRules.AccessorialFact> accessorials = List.of(
                new BillingEligibilityRules.AccessorialFact("DETENTION:SHP-1:DELIVERY", "DTU", "PENDING"),
                new BillingEligibilityRules.AccessorialFact("DRIVER_APP:TRK-1:acc-1", "LFT", "APPROVED"));
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false,
                accessorials, List.of()));
        assertThat(BillingEligibilityRules.eligible(checks)).isFalse();
        assertThat(checks.get(2)).isEqualTo(new Check("ACCESSORIALS_DECIDED", false,
                "DTU pending approval (DETENTION:SHP-1:DELIVERY)"));

        List<BillingEligibilityRules.AccessorialFact> decided = List.of(
                new BillingEligibilityRules.AccessorialFact("DETENTION:SHP-1:DELIVERY", "DTU", "REJECTED"),
                new BillingEligibilityRules.AccessorialFact("DRIVER_APP:TRK-1:acc-1", "LFT", "APPROVED"));
        List<Check> after = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false, decided,
                List.of()));
        assertThat(after.get(2)).isEqualTo(new Check("ACCESSORIALS_DECIDED", true, "2 accessorial(s) decided"));
        assertThat(BillingEligibilityRules.eligible(after)).isTrue();
    }

    @Test
    void anOpenExceptionHoldsTheInvoiceUntilResolved() {
        Instant opened = Instant.parse("2026-12-02T16:00:00Z");
        List<Check> open = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false, List.of(),
                List.of(new BillingEligibilityRules.ExceptionFact("REST_API:SWIFT:x1", "DAMAGE", opened, null))));
        assertThat(open.get(3)).isEqualTo(new Check("NO_OPEN_EXCEPTION", false,
                "DAMAGE open since 2026-12-02T16:00:00Z (REST_API:SWIFT:x1)"));
        assertThat(BillingEligibilityRules.eligible(open)).isFalse();

        List<Check> resolved = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, false,
                List.of(), List.of(new BillingEligibilityRules.ExceptionFact("REST_API:SWIFT:x1", "DAMAGE", opened,
                        opened.plusSeconds(3600)))));
        assertThat(resolved.get(3)).isEqualTo(new Check("NO_OPEN_EXCEPTION", true, "1 exception(s) resolved"));
        assertThat(BillingEligibilityRules.eligible(resolved)).isTrue();
    }
}
