package com.logisync.billing.client;

/** ERP refused the invoice request (a 4xx other than 408/429): the same request will not succeed later. */
public class ErpRejectedException extends RuntimeException {
    public ErpRejectedException(String message) {
        super(message);
    }
}
