package com.logisync.runtime.vertx;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.function.Function;

/**
 * Runs a step per item, one after the other, each after the previous one completed. Unlike a chain of
 * {@code uni.chain(...)} built in a loop, the depth of the call stack does not grow with the number
 * of items: a batch of 500 events whose steps complete at once (no database round trip) nests 500
 * subscriptions in such a chain and overflows the event loop's stack, leaving the transaction open
 * and the consumer stalled. The concatenation drains the items in a loop instead.
 */
public final class Sequential {

    private Sequential() {
    }

    public static <T> Uni<Void> each(Iterable<T> items, Function<T, Uni<Void>> step) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> step.apply(item).replaceWith(Boolean.TRUE))
                .collect().last()
                .replaceWithVoid();
    }
}
