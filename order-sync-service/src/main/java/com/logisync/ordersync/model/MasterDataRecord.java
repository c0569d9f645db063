package com.logisync.ordersync.model;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/** A versioned copy of one ERP master-data record, stored as its canonical JSON. */
@MappedSuperclass
public abstract class MasterDataRecord {

    @Column(name = "erp_version")
    public long erpVersion;
    public String payload;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
