package com.logisync.billing.service;

import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.model.StopType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Detention as carrier tariffs define it, per stop, as plain Java, and the only place its money is
 * computed: the clock starts at the later of the truck's actual arrival and the stop's appointment
 * (its window start), so a truck that comes early waits on its own time; it stops at departure. The
 * contract's free time is deducted, every started hour beyond it is charged at the contract's
 * detention rate ({@code DTL} at pickup, {@code DTU} at delivery, falling back to {@code DET}), and
 * the contract's {@code detentionCap} bounds the charge of one stop.
 */
public final class DetentionTariff {

    private DetentionTariff() {
    }

    /** A stop's stay: its appointment (may be null) and the actual arrival and departure. */
    public record Stay(int stopSequence, StopType stopType, Instant appointment, Instant arrivedAt,
            Instant departedAt) {
    }

    /** What one stop's stay is billed: zero billable minutes means no charge. */
    public record Assessment(String chargeCode, long billableMinutes, long hours, BigDecimal rate, BigDecimal amount,
            boolean capped, String evidence) {

        public boolean chargeable() {
            return billableMinutes > 0;
        }
    }

    /** The charge code of detention at a stop of this type. */
    public static String chargeCode(StopType type) {
        return type == StopType.PICKUP ? "DTL" : "DTU";
    }

    /** The stay assessed under the contract; the rate null when the contract has no detention rate. */
    public static Assessment assess(Stay stay, Contract contract, RoundingMode rounding) {
        String code = chargeCode(stay.stopType());
        boolean early = stay.appointment() != null && stay.appointment().isAfter(stay.arrivedAt());
        Instant clockStart = early ? stay.appointment() : stay.arrivedAt();
        long onClock = stay.departedAt().isAfter(clockStart)
                ? Duration.between(clockStart, stay.departedAt()).toMinutes() : 0;
        long billable = Math.max(0, onClock - contract.freeDetentionMinutes());
        BigDecimal rate = AccessorialPolicy.rate(contract, code);
        String evidence = "stop " + stay.stopSequence() + ": arrived " + stay.arrivedAt()
                + (stay.appointment() == null ? "" : ", appointment " + stay.appointment())
                + ", clock from " + clockStart + (early ? " (arrived early)" : "") + ", departed " + stay.departedAt()
                + ": " + onClock + " min on the clock, " + contract.freeDetentionMinutes() + " free, " + billable
                + " billable";
        if (billable == 0 || rate == null) {
            return new Assessment(code, billable, 0, rate, BigDecimal.ZERO, false, evidence);
        }
        Priced priced = price(contract, rate, BigDecimal.valueOf(billable), currencyOf(contract), rounding);
        return new Assessment(code, billable, priced.hours(), rate, priced.amount(), priced.capped(),
                evidence + (priced.capped() ? ", capped at " + contract.detentionCap() : ""));
    }

    /** Billable minutes priced: started hours × rate, bounded by the contract's cap per stop. */
    public record Priced(long hours, BigDecimal amount, boolean capped) {
    }

    public static Priced price(Contract contract, BigDecimal rate, BigDecimal billableMinutes, String currency,
            RoundingMode rounding) {
        long hours = startedHours(billableMinutes);
        BigDecimal amount = Money.round(rate.multiply(BigDecimal.valueOf(hours)), currency, rounding);
        if (contract.detentionCap() != null && amount.compareTo(contract.detentionCap()) > 0) {
            return new Priced(hours, Money.round(contract.detentionCap(), currency, rounding), true);
        }
        return new Priced(hours, amount, false);
    }

    /** Billable minutes become started hours: 61 minutes are two hours, none are none. */
    public static long startedHours(BigDecimal minutes) {
        return minutes.signum() <= 0 ? 0 : minutes.divide(BigDecimal.valueOf(60), 0, RoundingMode.CEILING).longValueExact();
    }

    /** The currency the contract's accessorial rates and detention cap are in. */
    public static String currencyOf(Contract contract) {
        return contract.chargesCurrency() != null ? contract.chargesCurrency()
                : contract.lanes().isEmpty() ? "USD" : contract.lanes().get(0).currency();
    }

    /** Whether a charge code is detention. */
    public static boolean isDetention(String chargeCode) {
        return "DTL".equals(chargeCode) || "DTU".equals(chargeCode) || "DET".equals(chargeCode);
    }
}
