package com.logisync.milestone.ratelimit;

import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.tracing.TraceContexts;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** A partner over its request rate: 429 problem+json with {@code Retry-After} in seconds. */
public class RateLimitedException extends RuntimeException {

    private final String partner;
    private final long retryAfterSeconds;

    public RateLimitedException(String partner, long retryAfterSeconds) {
        super("Partner " + partner + " is over its request rate", null, false, false);
        this.partner = partner;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static class Mapper {
        @ServerExceptionMapper
        public Response map(RateLimitedException e, UriInfo uri) {
            Problem p = new Problem(Problem.TYPE_PREFIX + "rate-limited", "Too many requests", 429,
                    e.getMessage() + "; retry after " + e.retryAfterSeconds + " s", uri.getPath(),
                    TraceContexts.currentTraceId(), null, Map.of("partner", e.partner,
                            "retryAfterSeconds", e.retryAfterSeconds));
            return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", e.retryAfterSeconds).entity(p)
                    .build();
        }
    }
}
