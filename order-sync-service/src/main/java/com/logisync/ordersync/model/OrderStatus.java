package com.logisync.ordersync.model;

public enum OrderStatus {
    RELEASED, DISPATCH_PENDING, DISPATCHED, DISPATCH_FAILED, AMENDED, CANCELLED
}
