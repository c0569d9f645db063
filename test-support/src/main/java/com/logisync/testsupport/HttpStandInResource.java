package com.logisync.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points one partner base-URL setting of the service under test at a named {@link HttpStandIn}.
 * Init args: {@code name} (the stand-in) and {@code property} (the config key to set).
 */
public class HttpStandInResource implements QuarkusTestResourceLifecycleManager {

    private String name;
    private String property;

    @Override
    public void init(Map<String, String> initArgs) {
        name = initArgs.get("name");
        property = initArgs.get("property");
    }

    @Override
    public Map<String, String> start() {
        return Map.of(property, HttpStandIn.named(name).url());
    }

    @Override
    public void stop() {
        // Shared for the JVM's lifetime.
    }
}
