package com.logisync.local;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM options the local suite gives each service, the environment variable that adds a service's own, and its consumers. */
class JvmOptionsTest {

    @Test
    void theHotPathAndBillingGet512MbYoungOf768ServiceView2GbOf3584WithTheParallelCollectorTheOthers384Mb() {
        assertEquals("-Xmx768m -Xmn512m -XX:+UseSerialGC", LocalSuite.heapFlags("milestone-service", Map.of()));
        assertEquals("-Xms3584m -Xmx3584m -Xmn2g -XX:SurvivorRatio=4 -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy",
                LocalSuite.heapFlags("service-view-service", Map.of()));
        assertEquals("-Xmx768m -Xmn512m -XX:+UseSerialGC", LocalSuite.heapFlags("billing-trigger-service", Map.of()));
        assertEquals("-Xmx384m -XX:+UseSerialGC", LocalSuite.heapFlags("order-sync-service", Map.of()));
        assertEquals("-Xmx384m -XX:+UseSerialGC", LocalSuite.heapFlags("partner-simulator", Map.of()));
    }

    @Test
    void aServicesOwnCollectorReplacesTheSuitesSoTheJvmIsNotGivenTwo() {
        Map<String, String> env = Map.of("LOGISYNC_JAVA_OPTS_SERVICE_VIEW_SERVICE", "-XX:+UseSerialGC -Xmx2560m",
                "LOGISYNC_JAVA_OPTS_MILESTONE_SERVICE", "-XX:+UseG1GC");
        assertEquals("-Xms3584m -Xmx3584m -Xmn2g -XX:SurvivorRatio=4 -XX:+UseSerialGC -Xmx2560m",
                LocalSuite.heapFlags("service-view-service", env));
        assertEquals("-Xmx768m -Xmn512m -XX:+UseG1GC", LocalSuite.heapFlags("milestone-service", env));
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
        assertEquals("-Xms3584m -Xmx3584m -Xmn2g -XX:SurvivorRatio=4 -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy"
                + " -Xmn384m -XX:SurvivorRatio=4", LocalSuite.heapFlags("service-view-service", env));
        assertEquals("-Xmx768m -Xmn512m -XX:+UseSerialGC", LocalSuite.heapFlags("milestone-service", env));
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
