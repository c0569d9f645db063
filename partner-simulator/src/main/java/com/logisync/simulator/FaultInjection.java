package com.logisync.simulator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a simulated partner misbehave on purpose, to show LogiSync riding out an outage:
 * <ul>
 * <li>{@code {"target":"tms","status":503,"count":5}} fails the next five calls;</li>
 * <li>{@code {"target":"erp","status":503,"seconds":60}} fails every call for the next 60 s;</li>
 * <li>{@code {"target":"tms","delayMs":7000,"seconds":30}} answers every call of the next 30 s only
 * after 7 s, and applies it only then: a caller that timed out meanwhile finds its call applied late,
 * as a real partner behind a slow queue does.</li>
 * </ul>
 * A new fault for a target replaces the one before; {@code "count": 0} clears it, and
 * {@code DELETE /sim/faults} clears every target's (a test's clean-up, whatever it left behind).
 */
@ApplicationScoped
@Path("/sim/faults")
public class FaultInjection {

    public record Fault(String target, Integer status, Integer count, Integer seconds, Integer delayMs) {
    }

    private record Pending(int status, AtomicInteger remaining, long untilNanos, long delayMs) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response inject(Fault fault) {
        String problem = invalid(fault);
        if (problem != null) {
            return Response.status(400).entity(Map.of("error", problem)).build();
        }
        long until = fault.seconds() == null ? Long.MAX_VALUE
                : System.nanoTime() + Duration.ofSeconds(fault.seconds()).toNanos();
        pending.put(fault.target(), new Pending(fault.status() == null ? 0 : fault.status(),
                new AtomicInteger(fault.count() == null ? Integer.MAX_VALUE : fault.count()), until,
                fault.delayMs() == null ? 0 : fault.delayMs()));
        return Response.noContent().build();
    }

    @DELETE
    public Response clearAll() {
        pending.clear();
        return Response.noContent().build();
    }

    private static String invalid(Fault f) {
        if (f == null || f.target() == null || f.target().isBlank()) {
            return "target is required";
        }
        boolean failing = f.status() != null;
        boolean slow = f.delayMs() != null;
        if (failing == slow) {
            return "give either status (>= 400) to fail calls or delayMs (> 0) to answer late, not both";
        }
        if (failing && f.status() < 400 || slow && f.delayMs() <= 0) {
            return "status must be >= 400 and delayMs > 0";
        }
        if (f.count() == null && f.seconds() == null) {
            return "count (calls) or seconds (duration) is required";
        }
        if (f.count() != null && f.count() < 0 || f.seconds() != null && f.seconds() < 0) {
            return "count and seconds must be >= 0";
        }
        return null;
    }

    /**
     * The failure to answer the next call to {@code target} with, or null to answer normally. A slow
     * fault waits here (on the caller's worker thread) before the call is applied, and answers null.
     */
    Response next(String target) {
        Pending p = pending.get(target);
        if (p == null || System.nanoTime() > p.untilNanos()
                || p.remaining().getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return null;
        }
        if (p.delayMs() > 0) {
            try {
                Thread.sleep(p.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
        return Response.status(p.status()).entity(Map.of("error", "simulated failure")).build();
    }
}
