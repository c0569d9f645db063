package com.logisync.ordersync.client;

/** The TMS could not be reached or failed (5xx, timeout, open circuit): try again later. */
public class TmsUnavailableException extends RuntimeException {
    public TmsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
