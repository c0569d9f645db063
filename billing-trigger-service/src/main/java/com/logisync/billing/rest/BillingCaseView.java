package com.logisync.billing.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.service.BillingCaseService;
import com.logisync.billing.service.BillingEligibilityRules;

import java.time.Instant;
import java.util.List;

/** A billing case with its eligibility checklist: each rule, met or not, and what is missing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BillingCaseView(String shipmentId, String orderId, String customerId, String loadId, BillingStatus status,
        Instant deliveredAt, Pod pod, Instant eligibleAt, List<BillingEligibilityRules.Check> checklist) {

    public record Pod(String signedBy, Instant signedAt, String documentRef) {
    }

    public static BillingCaseView of(BillingCase b) {
        return new BillingCaseView(b.shipmentId, b.orderId, b.customerId, b.loadId, b.status, b.deliveredAt,
                b.podSignedBy == null ? null : new Pod(b.podSignedBy, b.podSignedAt, b.podDocumentRef), b.eligibleAt,
                BillingCaseService.checklist(b));
    }
}
