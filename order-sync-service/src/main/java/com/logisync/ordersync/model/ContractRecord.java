package com.logisync.ordersync.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "contract")
public class ContractRecord extends MasterDataRecord {

    @Id
    @Column(name = "contract_id")
    public String contractId;
    @Column(name = "customer_id")
    public String customerId;
}
