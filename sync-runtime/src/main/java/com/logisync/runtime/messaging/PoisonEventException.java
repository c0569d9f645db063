package com.logisync.runtime.messaging;

/** A record that can never be processed (unreadable payload, missing CloudEvents id): it goes to the dead-letter topic. */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
