package com.logisync.billing;

import com.logisync.billing.service.AccessorialPolicy;
import com.logisync.billing.service.AccessorialPolicy.Claim;
import com.logisync.billing.service.AccessorialPolicy.Decision;
import com.logisync.contracts.masterdata.Contract;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessorialPolicyTest {

    private static final Contract CONTRACT = new Contract("CTR-1", "CUST-ACME", LocalDate.parse("2026-01-01"), null,
            List.of(), Map.of("DET", new BigDecimal("85.00"), "LFT", new BigDecimal("75.00"),
                    "UNL", new BigDecimal("120.00")), 120, new BigDecimal("340.00"), null, false, 1);

    private static Claim detention(int minutes) {
        return new Claim("DTU", BigDecimal.valueOf(minutes), "MINUTES", true, null);
    }

    @Test
    void detentionIsPaidPerStartedHour() {
        assertThat(com.logisync.billing.service.DetentionTariff.startedHours(new BigDecimal("60"))).isEqualTo(1);
        assertThat(com.logisync.billing.service.DetentionTariff.startedHours(new BigDecimal("61"))).isEqualTo(2);
        assertThat(com.logisync.billing.service.DetentionTariff.price(CONTRACT, new BigDecimal("85.00"),
                new BigDecimal("90"), "USD", java.math.RoundingMode.HALF_UP).amount()).isEqualByComparingTo("170.00");
    }

    @Test
    void detentionWithEvidenceIsApprovedAutomaticallyAtMostAtTheCap() {
        assertThat(AccessorialPolicy.decide(detention(90), CONTRACT)).isEqualTo(new Decision("APPROVED",
                "detention 2 started hour(s) at 85.00 = 170.00"));
        // Exactly at the cap: 4 started hours x 85 = 340.
        assertThat(AccessorialPolicy.decide(detention(240), CONTRACT)).isEqualTo(new Decision("APPROVED",
                "detention 4 started hour(s) at 85.00 = 340.00"));
        // Beyond it the tariff bounds the charge: approved at the cap, no clerk whose approval could change it.
        assertThat(AccessorialPolicy.decide(detention(241), CONTRACT)).isEqualTo(new Decision("APPROVED",
                "detention 5 started hour(s) at 85.00 = 340.00, capped at the contract's 340.00 per stop"));
    }

    @Test
    void detentionWithoutEvidenceWaitsForAClerk() {
        assertThat(AccessorialPolicy.decide(new Claim("DTU", new BigDecimal("90"), "MINUTES", false, null), CONTRACT))
                .isEqualTo(new Decision("PENDING", "detention without arrival and departure evidence"));
    }

    @Test
    void aChargeOnTheRateCardIsApprovedOtherwiseItWaits() {
        assertThat(AccessorialPolicy.decide(new Claim("LFT", BigDecimal.ONE, "EACH", false, null), CONTRACT))
                .isEqualTo(new Decision("APPROVED", "LFT is in the contract's rate card at 75.00"));
        assertThat(AccessorialPolicy.decide(new Claim("RES", BigDecimal.ONE, "EACH", false, null), CONTRACT))
                .isEqualTo(new Decision("PENDING", "RES is not in the contract's rate card"));
        assertThat(AccessorialPolicy.decide(new Claim("LFT", BigDecimal.ONE, "EACH", false, null), null))
                .isEqualTo(new Decision("PENDING", "no contract known for the customer"));
    }

    @Test
    void aLumperNeedsItsReceipt() {
        assertThat(AccessorialPolicy.decide(new Claim("UNL", BigDecimal.ONE, "EACH", false, null), CONTRACT))
                .isEqualTo(new Decision("PENDING", "lumper needs a receipt reference"));
        assertThat(AccessorialPolicy.decide(new Claim("UNL", BigDecimal.ONE, "EACH", false, "RCPT-88"), CONTRACT)
                .status()).isEqualTo("APPROVED");
    }
}
