package com.logisync.contracts.milestone;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** Signed proof of delivery, with over/short/damage notes. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProofOfDelivery(String signedBy, Instant signedAt, String documentRef, String osdNotes) {

    /** Billing accepts a POD only when it is signed: who and when. */
    public boolean isSigned() {
        return signedBy != null && !signedBy.isBlank() && signedAt != null;
    }
}
