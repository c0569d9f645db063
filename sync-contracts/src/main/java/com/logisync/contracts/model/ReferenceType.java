package com.logisync.contracts.model;

/** Kinds of business keys that identify a shipment. X12 L11 qualifiers in brackets. */
public enum ReferenceType {
    /** Bill of lading (BM). */
    BOL,
    /** Carrier PRO number (CN). */
    PRO,
    /** Purchase order (PO). */
    PO,
    CONTAINER,
    TRAILER
}
