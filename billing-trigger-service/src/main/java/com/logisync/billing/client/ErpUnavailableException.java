package com.logisync.billing.client;

/** ERP could not answer now (5xx, 408, 429, timeout, connection refused): try again later with the same key. */
public class ErpUnavailableException extends RuntimeException {
    public ErpUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
