package com.logisync.milestone.service;

import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.milestone.model.ShipmentContext;
import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.milestone.rest.MilestoneRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Who may prove a delivery. A POD makes a shipment billable, so it counts only when it comes from the
 * partner reporting for the carrier the TMS dispatched the load to, from the driver app on the
 * telematics topic, or from an ops user's correction. Any other POD is kept, flagged unverified with
 * the reason, and left to a person (service-view opens a task).
 */
@ApplicationScoped
public class PodTrust {

    private static final Logger LOG = Logger.getLogger(PodTrust.class);

    private final PartnerProfiles partners;

    public PodTrust(PartnerProfiles partners) {
        this.partners = partners;
    }

    /** The partner's configured zone, assumed for a local time no location or stop resolves. */
    public String partnerZone(String partnerId) {
        return partners.find(partnerId).map(PartnerProfiles.PartnerProfile::timeZone).orElse(null);
    }

    public ProofOfDelivery judge(ShipmentContext ctx, MilestoneRequest request, ProofOfDelivery pod) {
        String reason = unverifiedReason(ctx, request, partners);
        if (reason == null) {
            return new ProofOfDelivery(pod.signedBy(), pod.signedAt(), pod.documentRef(), pod.osdNotes(), true, null);
        }
        if (pod.isSigned()) {
            LOG.warnf("Unverified POD for %s: %s", ctx.shipmentId, reason);
        }
        return new ProofOfDelivery(pod.signedBy(), pod.signedAt(), pod.documentRef(), pod.osdNotes(), false, reason);
    }

    /** Null when the reporter may prove this shipment's delivery, else why not. */
    static String unverifiedReason(ShipmentContext ctx, MilestoneRequest request, PartnerProfiles partners) {
        return unverifiedReason(ctx.carrier, request.effectiveSource(), request.partnerId(), partners);
    }

    /**
     * Whether a POD judged before the TMS named the load's carrier proves the delivery now that
     * {@code carrier} is known: it came from a partner that reports for that carrier.
     */
    public boolean provesFor(String carrier, SourceSystem source, String partnerId) {
        return carrier != null && unverifiedReason(carrier, source, partnerId, partners) == null;
    }

    private static String unverifiedReason(String carrier, SourceSystem source, String partnerId,
            PartnerProfiles partners) {
        if (source == SourceSystem.DRIVER_APP || source == SourceSystem.MANUAL) {
            return null;
        }
        if (carrier == null) {
            return "reported by partner " + partnerId + " before the TMS named the load's carrier";
        }
        boolean entitled = partners.find(partnerId).map(p -> p.reportsFor(carrier)).orElse(false);
        return entitled ? null : "reported by partner " + partnerId + ", but the load is dispatched to carrier "
                + carrier;
    }
}
