package com.logisync.runtime.messaging;

/**
 * A batch wrote rows it took to be new and met one its store already had (a redelivery after a crash or a
 * rebalance, a second replica, a restore): its transaction failed and applied nothing, and its next attempt looks
 * for such rows first. Transient ({@link TransientFailures#isTransient}): the consumer retries the batch whole,
 * rather than applying its records one by one as it does after a failure that could come again.
 */
public class RetryBatchException extends RuntimeException {
    public RetryBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
