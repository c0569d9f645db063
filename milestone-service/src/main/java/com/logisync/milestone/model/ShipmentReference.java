package com.logisync.milestone.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One business key of a shipment, as {@code TYPE:value} (ORDER:…, LOAD:…, BOL:…, PRO:…, PO:…). */
@Entity
@Table(name = "shipment_reference")
public class ShipmentReference {

    @Id
    @Column(name = "ref_key")
    public String refKey;
    @Column(name = "shipment_id")
    public String shipmentId;

    public static ShipmentReference of(String refKey, String shipmentId) {
        ShipmentReference r = new ShipmentReference();
        r.refKey = refKey;
        r.shipmentId = shipmentId;
        return r;
    }
}
