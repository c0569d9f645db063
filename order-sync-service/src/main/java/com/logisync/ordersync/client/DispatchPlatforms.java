package com.logisync.ordersync.client;

import com.logisync.ordersync.config.DispatchConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One port, several TMS products: picks the adapter for an order by configuration (customer first,
 * then the most specific pickup region, then the default). The choice is stored with the order, so
 * its amendments and cancellation go to the TMS that has its load even if the routing changes later.
 */
@ApplicationScoped
public class DispatchPlatforms {

    private final Map<String, DispatchPlatform> bySystem;
    private final DispatchConfig config;

    public DispatchPlatforms(@Any Instance<DispatchPlatform> platforms, DispatchConfig config) {
        this.bySystem = platforms.stream().collect(Collectors.toMap(DispatchPlatform::system, Function.identity(),
                (a, b) -> a, TreeMap::new));
        this.config = config;
    }

    /** Fails the start when routing names a TMS product no adapter serves: better than orders stuck at runtime. */
    void checkRouting(@Observes StartupEvent event) {
        check("logisync.dispatch.default-tms", config.defaultTms());
        config.tmsByCustomer().forEach((customer, system) -> check("logisync.dispatch.tms-by-customer." + customer, system));
        config.tmsByRegion().forEach((region, system) -> check("logisync.dispatch.tms-by-region." + region, system));
    }

    private void check(String key, String system) {
        if (!bySystem.containsKey(system)) {
            throw new IllegalStateException(key + "=" + system + " names no TMS adapter; known: " + bySystem.keySet());
        }
    }

    /** The TMS product for a new order of {@code customerId} picked up in {@code pickupRegion} ({@code US-TX}). */
    public String route(String customerId, String pickupRegion) {
        String byCustomer = config.tmsByCustomer().get(customerId);
        if (byCustomer != null) {
            return byCustomer;
        }
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> e : config.tmsByRegion().entrySet()) {
            String region = e.getKey();
            boolean matches = pickupRegion.equals(region) || pickupRegion.startsWith(region + "-");
            if (matches && region.length() > bestLength) {
                best = e.getValue();
                bestLength = region.length();
            }
        }
        return best != null ? best : config.defaultTms();
    }

    public DispatchPlatform forSystem(String system) {
        DispatchPlatform platform = bySystem.get(system == null ? config.defaultTms() : system);
        if (platform == null) {
            throw new IllegalStateException("No TMS adapter for " + system + "; known: " + bySystem.keySet());
        }
        return platform;
    }
}
