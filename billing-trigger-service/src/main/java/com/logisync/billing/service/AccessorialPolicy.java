package com.logisync.billing.service;

import com.logisync.contracts.masterdata.Contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * The contract's auto-approval policy for captured accessorials, as plain Java. Approved without a
 * clerk: detention with arrival and departure evidence (priced by {@link DetentionTariff}, at most the
 * contract's cap per stop); any other charge the
 * contract's rate card has, a lumper only with its receipt. Everything else waits for a clerk, with
 * the reason.
 */
public final class AccessorialPolicy {

    private static final Set<String> RECEIPT_REQUIRED = Set.of("UNL");

    private AccessorialPolicy() {
    }

    /** What is known of a captured accessorial when it is decided. */
    public record Claim(String chargeCode, BigDecimal quantity, String unit, boolean hasArrivalAndDeparture,
            String receiptRef) {
    }

    /** The decision: APPROVED (automatically) or PENDING (for a clerk), and why. */
    public record Decision(String status, String reason) {
        static Decision approved(String reason) {
            return new Decision("APPROVED", reason);
        }

        static Decision pending(String reason) {
            return new Decision("PENDING", reason);
        }
    }

    public static Decision decide(Claim claim, Contract contract) {
        String code = claim.chargeCode();
        if (RECEIPT_REQUIRED.contains(code) && (claim.receiptRef() == null || claim.receiptRef().isBlank())) {
            return Decision.pending("lumper needs a receipt reference");
        }
        if (contract == null) {
            return Decision.pending("no contract known for the customer");
        }
        BigDecimal rate = rate(contract, code);
        if (rate == null) {
            return Decision.pending(code + " is not in the contract's rate card");
        }
        if (DetentionTariff.isDetention(code)) {
            if (!claim.hasArrivalAndDeparture() || !"MINUTES".equals(claim.unit())) {
                return Decision.pending("detention without arrival and departure evidence");
            }
            // The tariff bounds the charge (DetentionTariff, the one place the cap is applied): a capped
            // detention is approved at the cap, never sent to a clerk whose approval could not change it.
            DetentionTariff.Priced priced = DetentionTariff.price(contract, rate, claim.quantity(),
                    DetentionTariff.currencyOf(contract), RoundingMode.HALF_UP);
            return Decision.approved("detention " + priced.hours() + " started hour(s) at " + rate + " = "
                    + priced.amount() + (priced.capped() ? ", capped at the contract's " + contract.detentionCap()
                            + " per stop" : ""));
        }
        return Decision.approved(code + " is in the contract's rate card at " + rate);
    }

    /** The rate for a charge code; detention codes fall back to the generic DET rate. */
    public static BigDecimal rate(Contract contract, String code) {
        BigDecimal rate = contract.accessorialRates().get(code);
        if (rate == null && DetentionTariff.isDetention(code)) {
            rate = contract.accessorialRates().get("DET");
        }
        return rate;
    }
}
