package com.logisync.runtime.outbox;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Publication is behind by more than the bound and did not catch up within the longest wait:
 * nothing of the request was taken. 503 problem+json with {@code Retry-After}; sending the same
 * request again later is safe (reports are deduplicated by their source event id).
 */
public class BacklogFullException extends RuntimeException {

    private final long backlog;
    private final long bound;
    private final long retryAfterSeconds;

    public BacklogFullException(long backlog, long bound, long retryAfterSeconds) {
        super("Publication is behind: " + backlog + " events wait for Kafka (bound " + bound + ")", null, false, false);
        this.backlog = backlog;
        this.bound = bound;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static class Mapper {
        @ServerExceptionMapper
        public Response map(BacklogFullException e, UriInfo uri) {
            return com.logisync.runtime.rest.ProblemMappers.retryLater(503, "backlog-full", "Ingestion held back",
                    e.getMessage() + "; nothing of this request was taken, send it again after " + e.retryAfterSeconds
                            + " s", uri, Map.of("backlogEvents", e.backlog, "maxBacklog", e.bound,
                            "retryAfterSeconds", e.retryAfterSeconds), e.retryAfterSeconds);
        }
    }
}
