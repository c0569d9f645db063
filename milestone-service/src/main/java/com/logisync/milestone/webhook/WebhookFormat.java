package com.logisync.milestone.webhook;

/** The vendor payload shapes LogiSync understands, one mapper each. */
public enum WebhookFormat {
    /** One event per call, nested camelCase JSON, ISO times with offset. */
    TRUCKSTREAM,
    /** Several updates per call, snake_case, two-letter codes, epoch-second times. */
    ROADWISE
}
