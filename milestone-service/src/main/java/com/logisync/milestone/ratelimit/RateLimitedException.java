package com.logisync.milestone.ratelimit;

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
            return com.logisync.runtime.rest.ProblemMappers.retryLater(429, "rate-limited", "Too many requests",
                    e.getMessage() + "; retry after " + e.retryAfterSeconds + " s", uri,
                    Map.of("partner", e.partner, "retryAfterSeconds", e.retryAfterSeconds), e.retryAfterSeconds);
        }
    }
}
