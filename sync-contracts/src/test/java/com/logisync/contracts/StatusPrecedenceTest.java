package com.logisync.contracts;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.StatusPrecedence;
import com.logisync.contracts.milestone.StatusPrecedence.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StatusPrecedenceTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void firstActualProgressMilestoneBecomesStatus() {
        Status s = StatusPrecedence.apply(null, MilestoneType.ARRIVED_PICKUP, Classifier.ACTUAL, T0);
        assertThat(s).isEqualTo(new Status(MilestoneType.ARRIVED_PICKUP, T0));
    }

    @Test
    void lateArrivingEarlierMilestoneNeverRegressesStatus() {
        Status delivered = new Status(MilestoneType.DELIVERED, T0.plusSeconds(7200));
        Status after = StatusPrecedence.apply(delivered, MilestoneType.DEPARTED_PICKUP, Classifier.ACTUAL, T0);
        assertThat(after).isSameAs(delivered);
    }

    @Test
    void equalRankIsDecidedByEventTime() {
        Status atTerminal = new Status(MilestoneType.ARRIVED_TERMINAL, T0.plusSeconds(600));
        assertThat(StatusPrecedence.supersedes(atTerminal, MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL,
                T0.plusSeconds(1200))).isTrue();
        assertThat(StatusPrecedence.supersedes(atTerminal, MilestoneType.DEPARTED_TERMINAL, Classifier.ACTUAL,
                T0)).isFalse();
    }

    @Test
    void estimatesAndInformationalMilestonesNeverBecomeStatus() {
        assertThat(StatusPrecedence.supersedes(null, MilestoneType.DELIVERED, Classifier.ESTIMATED, T0)).isFalse();
        assertThat(StatusPrecedence.supersedes(null, MilestoneType.DELAYED, Classifier.ACTUAL, T0)).isFalse();
        assertThat(StatusPrecedence.supersedes(null, MilestoneType.POSITION, Classifier.ACTUAL, T0)).isFalse();
    }

    @Test
    void everyPermutationOfTheSameMilestonesEndsInTheSameStatus() {
        record M(MilestoneType type, Instant at) {
        }
        java.util.List<M> events = java.util.List.of(
                new M(MilestoneType.ARRIVED_PICKUP, T0),
                new M(MilestoneType.DEPARTED_PICKUP, T0.plusSeconds(1800)),
                new M(MilestoneType.ARRIVED_DELIVERY, T0.plusSeconds(20000)),
                new M(MilestoneType.DELIVERED, T0.plusSeconds(21000)));
        java.util.Set<Status> outcomes = new java.util.HashSet<>();
        permute(new java.util.ArrayList<>(events), 0, order -> {
            Status s = null;
            for (M m : order) {
                s = StatusPrecedence.apply(s, m.type(), Classifier.ACTUAL, m.at());
            }
            outcomes.add(s);
        });
        assertThat(outcomes).containsExactly(new Status(MilestoneType.DELIVERED, T0.plusSeconds(21000)));
    }

    private static <T> void permute(java.util.List<T> items, int k, java.util.function.Consumer<java.util.List<T>> out) {
        if (k == items.size()) {
            out.accept(items);
            return;
        }
        for (int i = k; i < items.size(); i++) {
            java.util.Collections.swap(items, k, i);
            permute(items, k + 1, out);
            java.util.Collections.swap(items, k, i);
        }
    }
}
