package com.logisync.contracts.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A reference a partner uses for the shipment: bill of lading, PRO, PO, container or trailer number. */
@RegisterForReflection
public record ExternalReference(ReferenceType type, String value) {
}
