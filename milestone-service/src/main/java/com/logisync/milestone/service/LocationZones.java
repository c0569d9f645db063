package com.logisync.milestone.service;

import jakarta.enterprise.context.ApplicationScoped;
import net.iakovlev.timeshape.TimeZoneEngine;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IANA zone of a reporting location, for local times reported without an offset (X12 {@code LT}):
 * coordinates through timeshape's bundled time-zone boundaries (nothing is downloaded), a city and
 * state or province through a bundled table that knows the states split between zones (El Paso is
 * Mountain time, most of Texas Central). The boundary data takes seconds of CPU and 30 MB to load, so
 * it loads in the background the first time coordinates are asked about (a service that never receives
 * them never pays); until it is there, coordinates are not used and the caller falls back.
 */
@ApplicationScoped
public class LocationZones {

    private static final Logger LOG = Logger.getLogger(LocationZones.class);
    private static final Map<String, ZoneId> BY_PLACE = load();

    private final boolean coordinatesEnabled;
    private final CompletableFuture<TimeZoneEngine> engine = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean();
    /** Lookups by coordinates rounded to 0.01° (about 1 km): a boundary query costs about a millisecond. */
    private final Map<Long, Optional<ZoneId>> byCell = new ConcurrentHashMap<>();

    public LocationZones(com.logisync.milestone.config.EdiConfig config) {
        this.coordinatesEnabled = config.coordinateZones();
    }

    /** Starts loading the boundaries in the background (once); {@link #at} does so on its first call. */
    public void startLoading() {
        if (!coordinatesEnabled || !loading.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            long t = System.nanoTime();
            try {
                // North America only (where the 214's time codes are defined): a quarter of the memory of the world.
                engine.complete(TimeZoneEngine.initialize(14, -180, 72, -50, true));
                LOG.infof("Time-zone boundaries loaded in %d ms", (System.nanoTime() - t) / 1_000_000);
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "Time-zone boundaries could not be loaded; coordinates will not resolve zones");
                engine.completeExceptionally(e);
            }
        }, "time-zone-boundaries");
        loader.setDaemon(true);
        loader.start();
    }

    /** Whether coordinates resolve zones yet. */
    public boolean coordinatesReady() {
        return engine.isDone() && !engine.isCompletedExceptionally();
    }

    /** The zone at these coordinates, if the boundaries are loaded and the point is in a zone. */
    public Optional<ZoneId> at(Double latitude, Double longitude) {
        if (latitude == null || longitude == null) {
            return Optional.empty();
        }
        if (!coordinatesReady()) {
            startLoading();
            return Optional.empty();
        }
        long cell = Math.round(latitude * 100) * 1_000_000L + Math.round(longitude * 100);
        return byCell.computeIfAbsent(cell, c -> engine.join().query(latitude, longitude));
    }

    /** The zone of a city in a US state or Canadian province (two-letter code), from the bundled table. */
    public static Optional<ZoneId> of(String city, String stateOrProvince) {
        if (stateOrProvince == null || stateOrProvince.isBlank()) {
            return Optional.empty();
        }
        String state = stateOrProvince.trim().toUpperCase(Locale.ROOT);
        if (city != null) {
            ZoneId byCity = BY_PLACE.get(state + "," + city.trim().toUpperCase(Locale.ROOT));
            if (byCity != null) {
                return Optional.of(byCity);
            }
        }
        return Optional.ofNullable(BY_PLACE.get(state + ","));
    }

    private static Map<String, ZoneId> load() {
        Map<String, ZoneId> table = new HashMap<>();
        try (InputStream in = LocationZones.class.getResourceAsStream("/zones/north-america.csv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", 3);
                table.put(f[0] + "," + f[1], ZoneId.of(f[2].trim()));
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The bundled zone table zones/north-america.csv is missing or unreadable", e);
        }
        return Map.copyOf(table);
    }
}
