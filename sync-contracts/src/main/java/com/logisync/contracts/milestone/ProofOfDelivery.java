package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * Signed proof of delivery, with over/short/damage notes. {@code verified} says whether it came from
 * someone entitled to prove the delivery (the carrier the load is dispatched to, the driver app, or an
 * ops user's correction); an unverified POD is recorded and shown but never makes a shipment billable.
 * Absent in events written before the rule existed, which count as verified.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProofOfDelivery(String signedBy, Instant signedAt, String documentRef, String osdNotes, Boolean verified,
        String unverifiedReason) {

    public ProofOfDelivery(String signedBy, Instant signedAt, String documentRef, String osdNotes) {
        this(signedBy, signedAt, documentRef, osdNotes, null, null);
    }

    /** Signed: who and when. */
    public boolean isSigned() {
        return signedBy != null && !signedBy.isBlank() && signedAt != null;
    }

    /** Billing accepts a POD only when it is signed and comes from someone entitled to prove the delivery. */
    @JsonIgnore
    public boolean countsForBilling() {
        return isSigned() && !Boolean.FALSE.equals(verified);
    }
}
