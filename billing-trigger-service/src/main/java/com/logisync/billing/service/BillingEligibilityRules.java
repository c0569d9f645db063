package com.logisync.billing.service;

import java.time.Instant;
import java.util.List;

/**
 * When a shipment may be invoiced, as plain Java: delivered (an ACTUAL DELIVERED), a signed POD,
 * and not cancelled. Each rule reports whether it is met and, if not, what is missing, which is the
 * checklist a billing clerk sees. Later rules (accessorial decisions, open exceptions) join here.
 */
public final class BillingEligibilityRules {

    private BillingEligibilityRules() {
    }

    /** The facts the rules look at. */
    public record Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled) {
    }

    /** One rule's verdict. */
    public record Check(String rule, boolean met, String detail) {
    }

    public static List<Check> evaluate(Facts f) {
        return List.of(
                f.deliveredAt() != null
                        ? new Check("DELIVERED", true, "delivered at " + f.deliveredAt())
                        : new Check("DELIVERED", false, "awaiting an actual DELIVERED milestone"),
                f.podSignedBy() != null && !f.podSignedBy().isBlank() && f.podSignedAt() != null
                        ? new Check("POD_RECEIVED", true, "signed by " + f.podSignedBy() + " at " + f.podSignedAt())
                        : new Check("POD_RECEIVED", false, "awaiting POD (signed by and signed at)"),
                f.cancelled()
                        ? new Check("NOT_CANCELLED", false, "the order was cancelled")
                        : new Check("NOT_CANCELLED", true, "order active"));
    }

    public static boolean eligible(List<Check> checks) {
        return checks.stream().allMatch(Check::met);
    }
}
