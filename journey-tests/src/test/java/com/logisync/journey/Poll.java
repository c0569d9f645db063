package com.logisync.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Asks the running suite until its answer satisfies a condition (an exception counts as not yet). */
final class Poll {

    private Poll() {
    }

    static <T> T until(String what, Duration limit, Callable<T> ask, Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        T last = null;
        Exception failure = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = ask.call();
                failure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                failure = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Waited " + limit.toSeconds() + " s for " + what + "; last answer: " + last, failure);
    }
}
