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
        assertThat(checks).extracting(Check::rule).containsExactly("DELIVERED", "POD_RECEIVED", "NOT_CANCELLED");
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
    void cancelledOrderIsNeverEligible() {
        List<Check> checks = BillingEligibilityRules.evaluate(new Facts(DELIVERED, "J. Doe", DELIVERED, true));
        assertThat(BillingEligibilityRules.eligible(checks)).isFalse();
        assertThat(checks.get(2).detail()).isEqualTo("the order was cancelled");
    }
}
