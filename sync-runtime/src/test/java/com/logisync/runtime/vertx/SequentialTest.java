package com.logisync.runtime.vertx;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequentialTest {

    @Test
    void stepsThatCompleteAtOnceRunInOrderWithoutGrowingTheStack() {
        List<Integer> seen = new ArrayList<>();
        List<Integer> items = IntStream.range(0, 200_000).boxed().toList();
        Sequential.each(items, i -> {
            seen.add(i);
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(30));
        assertThat(seen).hasSize(200_000).startsWith(0, 1, 2).endsWith(199_999);
    }

    @Test
    void aChainBuiltInALoopOverflowsTheStackWhichIsWhyConsumersUseSequential() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < 200_000; i++) {
            chain = chain.chain(() -> Uni.createFrom().voidItem());
        }
        Uni<Void> deep = chain;
        assertThatThrownBy(() -> deep.await().atMost(Duration.ofSeconds(30))).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void aFailingStepStopsTheRestAndFailsTheWhole() {
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> Sequential.each(List.of(1, 2, 3), i -> {
            seen.add(i);
            return i == 2 ? Uni.createFrom().failure(new IllegalStateException("step 2")) : Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5))).hasMessage("step 2");
        assertThat(seen).containsExactly(1, 2);
    }
}
