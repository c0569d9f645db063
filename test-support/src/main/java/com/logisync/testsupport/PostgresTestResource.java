package com.logisync.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives the service under test its own database on the real embedded PostgreSQL server, for both
 * the reactive client and Flyway's JDBC connection.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "logisync";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        String jdbc = PostgresServer.database(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbc,
                "quarkus.datasource.reactive.url", jdbc.replace("jdbc:", ""),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // The server lives as long as the JVM: several test classes share it.
    }
}
