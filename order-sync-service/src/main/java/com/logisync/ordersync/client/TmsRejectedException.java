package com.logisync.ordersync.client;

/** The TMS answered 4xx: sending the same shipment again will not help. */
public class TmsRejectedException extends RuntimeException {
    public TmsRejectedException(String message) {
        super(message);
    }
}
