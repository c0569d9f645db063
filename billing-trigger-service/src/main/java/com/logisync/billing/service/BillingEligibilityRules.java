package com.logisync.billing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a shipment may be invoiced, as plain Java: delivered (an ACTUAL DELIVERED at every delivery stop of
 * a multi-drop order), a signed POD (or, where
 * the contract lets the document follow, a delivery the dispatched carrier reported unsigned),
 * the POD document uploaded where the contract sends it with the invoice, every captured accessorial
 * decided (approved, rejected, or withdrawn by a recomputation), no open exception, and not cancelled.
 * Each rule reports whether it is met and, if not, what is missing: the checklist a billing clerk sees.
 */
public final class BillingEligibilityRules {

    private BillingEligibilityRules() {
    }

    /** An accessorial on the case and where its decision stands. */
    public record AccessorialFact(String accessorialId, String chargeCode, String decision) {
        public boolean decided() {
            return "APPROVED".equals(decision) || "REJECTED".equals(decision) || "WITHDRAWN".equals(decision);
        }
    }

    /** An exception on the case; open while {@code resolvedAt} is null. */
    public record ExceptionFact(String exceptionId, String kind, Instant openedAt, Instant resolvedAt) {
    }

    /** The facts the rules look at. */
    public record Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled,
            boolean podMayFollow, List<AccessorialFact> accessorials, List<ExceptionFact> exceptions,
            List<Integer> stopsAwaitingDelivery, boolean podDocumentRequired, boolean podDocumentUploaded) {

        public Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled,
                boolean podMayFollow, List<AccessorialFact> accessorials, List<ExceptionFact> exceptions,
                List<Integer> stopsAwaitingDelivery) {
            this(deliveredAt, podSignedBy, podSignedAt, cancelled, podMayFollow, accessorials, exceptions,
                    stopsAwaitingDelivery, false, false);
        }

        public Facts {
            accessorials = accessorials == null ? List.of() : List.copyOf(accessorials);
            exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
            stopsAwaitingDelivery = stopsAwaitingDelivery == null ? List.of() : List.copyOf(stopsAwaitingDelivery);
        }

        public Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled,
                boolean podMayFollow, List<AccessorialFact> accessorials, List<ExceptionFact> exceptions) {
            this(deliveredAt, podSignedBy, podSignedAt, cancelled, podMayFollow, accessorials, exceptions, List.of());
        }

        public Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled,
                List<AccessorialFact> accessorials, List<ExceptionFact> exceptions) {
            this(deliveredAt, podSignedBy, podSignedAt, cancelled, false, accessorials, exceptions);
        }


        /** Delivery, POD and cancellation only (no accessorials, no exceptions). */
        public Facts(Instant deliveredAt, String podSignedBy, Instant podSignedAt, boolean cancelled) {
            this(deliveredAt, podSignedBy, podSignedAt, cancelled, false, List.of(), List.of());
        }
    }

    /** One rule's verdict. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "EligibilityCheck")
    public record Check(String rule, boolean met, String detail) {
    }

    public static List<Check> evaluate(Facts f) {
        List<Check> checks = new ArrayList<>();
        checks.add(f.deliveredAt() == null
                ? new Check("DELIVERED", false, "awaiting an actual DELIVERED milestone")
                : !f.stopsAwaitingDelivery().isEmpty()
                ? new Check("DELIVERED", false, "delivered at " + f.deliveredAt() + "; awaiting delivery at stop(s) "
                        + f.stopsAwaitingDelivery())
                : new Check("DELIVERED", true, "delivered at " + f.deliveredAt()));
        checks.add(f.podSignedBy() != null && !f.podSignedBy().isBlank() && f.podSignedAt() != null
                ? new Check("POD_RECEIVED", true, "signed by " + f.podSignedBy() + " at " + f.podSignedAt())
                : f.podMayFollow() && f.deliveredAt() != null
                ? new Check("POD_RECEIVED", true, "delivered unsigned by the dispatched carrier; the contract lets the"
                        + " POD document follow")
                : new Check("POD_RECEIVED", false, "awaiting POD (signed by and signed at)"));
        if (f.podDocumentRequired()) {
            checks.add(f.podDocumentUploaded()
                    ? new Check("POD_DOCUMENT", true, "POD document uploaded; it goes with the invoice")
                    : new Check("POD_DOCUMENT", false, "the shipper wants the POD document with the invoice: upload it"
                            + " (PUT /api/v1/billing-cases/{shipmentId}/pod-document)"));
        }
        checks.add(accessorialsDecided(f.accessorials()));
        checks.add(noOpenException(f.exceptions()));
        checks.add(f.cancelled()
                ? new Check("NOT_CANCELLED", false, "the order was cancelled")
                : new Check("NOT_CANCELLED", true, "order active"));
        return checks;
    }

    private static Check accessorialsDecided(List<AccessorialFact> accessorials) {
        List<String> pending = accessorials.stream().filter(a -> !a.decided())
                .map(a -> a.chargeCode() + " pending approval (" + a.accessorialId() + ")").sorted().toList();
        if (!pending.isEmpty()) {
            return new Check("ACCESSORIALS_DECIDED", false, String.join("; ", pending));
        }
        return new Check("ACCESSORIALS_DECIDED", true, accessorials.isEmpty() ? "no accessorials"
                : accessorials.size() + " accessorial(s) decided");
    }

    private static Check noOpenException(List<ExceptionFact> exceptions) {
        List<String> open = exceptions.stream().filter(e -> e.resolvedAt() == null)
                .sorted(java.util.Comparator.comparing(ExceptionFact::openedAt))
                .map(e -> e.kind() + " open since " + e.openedAt() + " (" + e.exceptionId() + ")").toList();
        if (!open.isEmpty()) {
            return new Check("NO_OPEN_EXCEPTION", false, String.join("; ", open));
        }
        return new Check("NO_OPEN_EXCEPTION", true, exceptions.isEmpty() ? "no exceptions"
                : exceptions.size() + " exception(s) resolved");
    }

    public static boolean eligible(List<Check> checks) {
        return checks.stream().allMatch(Check::met);
    }
}
