package com.logisync.billing.service;

import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.repository.BillingCaseRepository;
import com.logisync.contracts.event.BillingEligible;
import com.logisync.contracts.event.DispatchAccepted;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.event.OrderCancelled;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.messaging.IncomingEvent;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Builds each shipment's billing case from the orders and milestones topics and publishes
 * {@code BillingEligible} exactly once, when every rule is met. Every update is order-independent
 * (earliest delivery, latest signed POD), so any arrival order of the same events gives the same case.
 */
@ApplicationScoped
public class BillingCaseService {

    private static final Logger LOG = Logger.getLogger(BillingCaseService.class);

    private final BillingCaseRepository cases;
    private final Outbox outbox;

    public BillingCaseService(BillingCaseRepository cases, Outbox outbox) {
        this.cases = cases;
        this.outbox = outbox;
    }

    /** Applies one consumed event, in the consumer's transaction. */
    public Uni<Void> apply(IncomingEvent event) {
        if (event.shipmentEvent() == null) {
            return Uni.createFrom().voidItem();
        }
        Correlation c = event.shipmentEvent().correlation();
        return cases.lockOrCreate(c.shipmentId())
                .chain(billingCase -> {
                    absorbCorrelation(billingCase, c);
                    if (event.payload() instanceof DispatchAccepted accepted) {
                        billingCase.loadId = accepted.dispatch().loadId();
                    } else if (event.payload() instanceof OrderCancelled cancelled) {
                        // Cancelled before pickup: never billed. (After eligibility it cannot happen:
                        // order-sync refuses a cancellation once the goods are picked up.)
                        billingCase.cancelled = true;
                        LOG.infof("Shipment %s cancelled (%s): it will not be billed", c.shipmentId(), cancelled.reason());
                    } else if (event.payload() instanceof MilestoneRecorded milestone) {
                        absorbMilestone(billingCase, milestone);
                    }
                    billingCase.updatedAt = Instant.now();
                    return evaluate(billingCase, event);
                });
    }

    @WithSession
    public Uni<BillingCase> find(String shipmentId) {
        return cases.findById(shipmentId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Billing case", shipmentId));
    }

    public static List<BillingEligibilityRules.Check> checklist(BillingCase b) {
        return BillingEligibilityRules.evaluate(
                new BillingEligibilityRules.Facts(b.deliveredAt, b.podSignedBy, b.podSignedAt, b.cancelled));
    }

    private static void absorbCorrelation(BillingCase b, Correlation c) {
        b.orderId = c.orderId() != null ? c.orderId() : b.orderId;
        b.customerId = c.customerId() != null ? c.customerId() : b.customerId;
        b.loadId = c.loadId() != null ? c.loadId() : b.loadId;
    }

    private static void absorbMilestone(BillingCase b, MilestoneRecorded m) {
        if (m.milestone() == MilestoneType.DELIVERED && m.classifier() == Classifier.ACTUAL) {
            Instant at = m.eventTime().utc();
            if (b.deliveredAt == null || at.isBefore(b.deliveredAt)) {
                b.deliveredAt = at;
                b.deliveredEvent = m.eventId();
            }
        }
        ProofOfDelivery pod = m.pod();
        if (pod != null && pod.isSigned() && (b.podSignedAt == null || pod.signedAt().isAfter(b.podSignedAt))) {
            b.podSignedBy = pod.signedBy();
            b.podSignedAt = pod.signedAt();
            b.podDocumentRef = pod.documentRef();
            b.podReceivedAt = m.receivedAt();
        }
    }

    private Uni<Void> evaluate(BillingCase b, IncomingEvent cause) {
        if (b.status != BillingStatus.OPEN || !BillingEligibilityRules.eligible(checklist(b))) {
            return Uni.createFrom().voidItem();
        }
        b.status = BillingStatus.ELIGIBLE;
        b.eligibleAt = Instant.now();
        LOG.infof("Shipment %s is billing-eligible (delivered %s, POD by %s)", b.shipmentId, b.deliveredAt, b.podSignedBy);
        return outbox.enqueueFollowing(cause, new BillingEligible(
                new Correlation(b.shipmentId, b.orderId, b.loadId, null, b.customerId, null),
                b.deliveredAt, b.podReceivedAt, b.eligibleAt)).replaceWithVoid();
    }
}
