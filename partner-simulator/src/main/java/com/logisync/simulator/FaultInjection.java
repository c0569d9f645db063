package com.logisync.simulator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a simulated partner fail on purpose, to show LogiSync riding out an outage:
 * {@code POST /sim/faults {"target":"tms","status":503,"count":5}} fails the next five calls.
 */
@ApplicationScoped
@Path("/sim/faults")
public class FaultInjection {

    public record Fault(String target, int status, int count) {
    }

    private record Pending(int status, AtomicInteger remaining) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response inject(Fault fault) {
        if (fault == null || fault.target() == null || fault.status() < 400 || fault.count() < 0) {
            return Response.status(400).entity(Map.of("error", "target, status >= 400 and count >= 0 are required"))
                    .build();
        }
        pending.put(fault.target(), new Pending(fault.status(), new AtomicInteger(fault.count())));
        return Response.noContent().build();
    }

    /** The failure to answer the next call to {@code target} with, or null to answer normally. */
    Response next(String target) {
        Pending p = pending.get(target);
        if (p == null || p.remaining().getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return null;
        }
        return Response.status(p.status()).entity(Map.of("error", "simulated failure")).build();
    }
}
