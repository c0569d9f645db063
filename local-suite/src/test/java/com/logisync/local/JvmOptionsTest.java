package com.logisync.local;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM options the local suite gives each service, the environment variable that adds a service's own, and its consumers. */
class JvmOptionsTest {

    @Test
    void theHotPathAndBillingGet512MbYoungOf768ServiceView2GbOf2560TheOthers384Mb() {
        assertEquals("-Xmx768m -Xmn512m", LocalSuite.heapFlags("milestone-service", Map.of()));
        assertEquals("-Xmx2560m -Xmn2g -XX:SurvivorRatio=4", LocalSuite.heapFlags("service-view-service", Map.of()));
        assertEquals("-Xmx768m -Xmn512m", LocalSuite.heapFlags("billing-trigger-service", Map.of()));
        assertEquals("-Xmx384m", LocalSuite.heapFlags("order-sync-service", Map.of()));
    }

    @Test
    void aServicesOwnOptionsComeFromItsVariableAfterTheSuitesSoTheyOverrideThem() {
        assertEquals("LOGISYNC_JAVA_OPTS_SERVICE_VIEW_SERVICE",
                LocalSuite.componentJvmOptionsVariable("service-view-service"));
        Map<String, String> env = Map.of("LOGISYNC_JAVA_OPTS_SERVICE_VIEW_SERVICE", "  -Xmn384m   -XX:SurvivorRatio=4 ",
                "LOGISYNC_JAVA_OPTS_MILESTONE_SERVICE", "");
        assertEquals("-Xmn384m -XX:SurvivorRatio=4", LocalSuite.componentJvmOptions("service-view-service", env));
        assertEquals("", LocalSuite.componentJvmOptions("milestone-service", env));
        assertEquals("", LocalSuite.componentJvmOptions("billing-trigger-service", env));
        assertEquals("-Xmx2560m -Xmn2g -XX:SurvivorRatio=4 -Xmn384m -XX:SurvivorRatio=4",
                LocalSuite.heapFlags("service-view-service", env));
        assertEquals("-Xmx768m -Xmn512m", LocalSuite.heapFlags("milestone-service", env));
    }

    @Test
    void serviceViewRunsTwoMilestoneConsumersOnThisSingleNodeUnlessTheEnvironmentNamesItsOwn() {
        assertEquals(java.util.List.of("-Dmp.messaging.incoming.milestones-in.concurrency=2"),
                LocalSuite.viewConsumers(Map.of()));
        // The variable the service's own configuration reads (application.properties) then decides, as in the chart.
        assertEquals(java.util.List.of(), LocalSuite.viewConsumers(Map.of("LOGISYNC_VIEW_MILESTONE_CONSUMERS", "3")));
    }

    @Test
    void theMilestonesTopicHasPartitionsServiceViewsConsumersShareEvenly() {
        assertEquals(6, LocalSuite.partitions(com.logisync.contracts.Topics.MILESTONES));
        assertEquals(0, LocalSuite.partitions(com.logisync.contracts.Topics.MILESTONES) % LocalSuite.VIEW_MILESTONE_CONSUMERS);
        assertEquals(3, LocalSuite.partitions(com.logisync.contracts.Topics.ORDERS));
    }

    @Test
    void serviceViewTakesBatchesOf8000With8MbFetchesOnThisSingleNodeUnlessTheEnvironmentNamesItsOwn() {
        assertEquals(java.util.List.of("-Dmp.messaging.incoming.milestones-in.max.poll.records=8000",
                "-Dmp.messaging.incoming.milestones-in.max.partition.fetch.bytes=8388608"), LocalSuite.viewBatch(Map.of()));
        assertEquals(java.util.List.of(), LocalSuite.viewBatch(Map.of("LOGISYNC_VIEW_MILESTONE_BATCH", "2000")));
    }
}
