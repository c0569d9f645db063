package com.logisync.serviceview.notify;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the feed's event-id index may go, as far as the consumer groups tell (FeedEventIdIndex#onlyThisVersion). */
class FeedEventIdIndexGateTest {

    private static final List<String> GROUPS = List.of("view.milestones", "view.billing");

    @Test
    void everyGroupWithMembersAllOfThisVersion() {
        assertThat(FeedEventIdIndex.onlyThisVersion(Map.of(
                "view.milestones", List.of("view-v21-milestones-in$1", "view-v21-milestones-in$2"),
                "view.billing", List.of("view-v21-billing-in")), GROUPS)).isTrue();
    }

    @Test
    void oneMemberOfAnEarlierVersionAnywhereKeepsIt() {
        assertThat(FeedEventIdIndex.onlyThisVersion(Map.of(
                "view.milestones", List.of("view-v21-milestones-in$1"),
                "view.billing", List.of("view-v21-billing-in", "kafka-consumer-billing-in")), GROUPS))
                .isFalse();
    }

    @Test
    void aGroupWithoutMembersOrNotDescribedKeepsIt() {
        assertThat(FeedEventIdIndex.onlyThisVersion(Map.of(
                "view.milestones", List.of("view-v21-milestones-in$1"),
                "view.billing", List.of()), GROUPS)).as("rebalancing, or not started").isFalse();
        assertThat(FeedEventIdIndex.onlyThisVersion(Map.of(
                "view.milestones", List.of("view-v21-milestones-in$1")), GROUPS)).isFalse();
    }
}
