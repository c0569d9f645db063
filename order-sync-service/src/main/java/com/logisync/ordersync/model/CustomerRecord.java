package com.logisync.ordersync.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "customer")
public class CustomerRecord extends MasterDataRecord {

    @Id
    @Column(name = "customer_id")
    public String customerId;
}
