package com.logisync.deploy;

import com.logisync.contracts.Topics;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** What the services themselves say: their HTTP port, their database, the topics they use. */
final class Platform {

    static final Map<String, String> MODULE_BY_DEPLOYMENT = Map.of(
            "order-sync-service", "order-sync-service",
            "milestone-service", "milestone-service",
            "billing-trigger-service", "billing-trigger-service",
            "service-view-service", "service-view-service",
            "partner-simulator", "partner-simulator");

    private Platform() {
    }

    static Properties properties(String deployment) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(NodeTools.REPO.resolve(MODULE_BY_DEPLOYMENT.get(deployment))
                .resolve("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }

    static int httpPort(String deployment) throws IOException {
        return Integer.parseInt(properties(deployment).getProperty("quarkus.http.port"));
    }

    /** The database name at the end of the service's own JDBC URL. */
    static String database(String deployment) throws IOException {
        String url = properties(deployment).getProperty("quarkus.datasource.jdbc.url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Every topic the services consume, publish or dead-letter to. */
    static Set<String> topicsInUse() throws IOException {
        Set<String> topics = new TreeSet<>();
        for (String topic : Topics.ALL) {
            topics.add(topic);
            topics.add(Topics.deadLetter(topic));
        }
        for (String deployment : MODULE_BY_DEPLOYMENT.keySet()) {
            Properties p = properties(deployment);
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("mp.messaging.") && (key.endsWith(".topic") || key.endsWith("dead-letter-queue.topic"))) {
                    topics.add(p.getProperty(key));
                }
            }
        }
        return topics;
    }

    static Path chart() {
        return NodeTools.REPO.resolve("helm/logisync");
    }
}
