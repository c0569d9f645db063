package com.logisync.milestone.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.milestone.rest.BatchResult;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.BatchIngestion;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.rest.ProblemMappers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TMS webhooks in each partner's own payload shape. The body is authenticated before it is read:
 * HMAC-SHA256 of {@code timestamp + "." + body} with the partner's secret, a timestamp no older
 * than {@code logisync.webhooks.max-age}, and no signature accepted twice (a replay).
 */
@jakarta.annotation.security.PermitAll
@Path("/api/v1/webhooks")
@Tag(name = "Webhooks", description = "TMS webhooks, signed with the partner's shared secret")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    private static final String REMEMBER = "insert into webhook_delivery (partner_id, signature) values (:partner, :sig)"
            + " on conflict do nothing";
    private static final String FORGET_OLD = "delete from webhook_delivery where received_at < :before";

    /** Holds ingestion back while publication is behind (admission control). */
    private final com.logisync.runtime.outbox.OutboxBacklog backlog;
    private final WebhookConfig config;
    private final BatchIngestion ingestion;
    private final ObjectMapper mapper;
    private final AtomicLong calls = new AtomicLong();

    private final com.logisync.milestone.ratelimit.PartnerRateLimits limits;

    private final com.logisync.milestone.partner.PartnerProfiles profiles;

    public WebhookResource(WebhookConfig config, BatchIngestion ingestion, ObjectMapper mapper,
            com.logisync.milestone.ratelimit.PartnerRateLimits limits,
            com.logisync.milestone.partner.PartnerProfiles profiles,
            com.logisync.runtime.outbox.OutboxBacklog backlog) {
        this.backlog = backlog;
        this.profiles = profiles;
        this.limits = limits;
        this.config = config;
        this.ingestion = ingestion;
        this.mapper = mapper;
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "TRUCKSTREAM arrival",
                    value = "{\"event\": {\"id\": \"ts-1\", \"type\": \"ARRIVAL\", \"occurredAt\": \"2027-01-11T14:05:00-06:00\", \"stop\": {\"type\": \"DELIVERY\", \"sequence\": 2}, \"shipment\": {\"bol\": \"BOL-1001\"}}}")))
    @POST
    @Path("/{partnerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "signature-missing,signature-invalid,signature-stale,replayed,rate-limited,backlog-full")
    @Operation(operationId = "receiveTmsWebhook", summary = "Receive a partner's webhook",
            description = "Signed with X-LogiSync-Timestamp (Unix seconds) and X-LogiSync-Signature"
                    + " (sha256=<hex HMAC-SHA256 of timestamp + '.' + body with the partner's secret>)."
                    + " Each status in it becomes a canonical milestone; a redelivered status is a DUPLICATE.")
    @APIResponse(responseCode = "200", description = "One result per status in the payload",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "429", description = "The partner is over its request rate; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Publication is behind and did not catch up within the longest"
            + " wait (admission control): nothing was taken; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing, wrong, stale or replayed signature, or an unknown partner",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The payload lacks what a milestone needs; every problem is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BatchResult> receive(@PathParam("partnerId") String partnerId,
            @Parameter(description = "Unix seconds when the partner signed the call")
            @HeaderParam(WebhookSignature.TIMESTAMP_HEADER) String timestamp,
            @Parameter(description = "sha256=<hex>") @HeaderParam(WebhookSignature.SIGNATURE_HEADER) String signature,
            String body) {
        var profile = profiles.configuration(partnerId).orElse(null);
        if (profile == null || !profile.channels().contains(com.logisync.milestone.partner.PartnerProfilesConfig.Channel.WEBHOOK)
                || profile.webhook().secret().isEmpty() || profile.webhook().format().isEmpty()) {
            // The same answer as a wrong signature: the URL must not reveal which partners exist.
            throw unauthorized("signature-invalid", "The signature does not match the body and timestamp");
        }
        authenticate(partnerId, profile.webhook().secret().get(), timestamp, signature, body == null ? "" : body);
        limits.acquire(partnerId); // after the signature: nobody else can spend a partner's rate
        List<MilestoneRequest> milestones = map(partnerId, profile.webhook().format().get(), body);
        Instant before = Instant.now().minus(config.maxAge().multipliedBy(2));
        boolean purge = calls.incrementAndGet() % 500 == 0;
        // The replay guard is written in the ingestion's own transaction: a call whose milestones did not
        // commit (a kill, a timeout, the database away) is not remembered, so the partner's retry is taken.
        java.util.function.Supplier<Uni<Void>> guard = () -> Panache.getSession().chain(session -> session
                .createNativeQuery(REMEMBER).setParameter("partner", partnerId)
                .setParameter("sig", signature.trim().toLowerCase()).executeUpdate()
                .chain(remembered -> {
                    if (remembered == 0) {
                        LOG.warnf("Refused a replayed webhook call from %s", partnerId);
                        return Uni.createFrom().failure(unauthorized("replayed",
                                "This exact signed call was already accepted; sign each delivery anew"));
                    }
                    return Uni.createFrom().voidItem();
                }));
        io.opentelemetry.api.trace.SpanContext caller = io.opentelemetry.api.trace.Span.current().getSpanContext();
        return backlog.admit().chain(() -> ingestion.ingest(milestones,
                        java.util.Collections.nCopies(milestones.size(), caller), guard))
                .call(() -> purge ? Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery(FORGET_OLD).setParameter("before", before).executeUpdate()))
                        .onFailure().recoverWithNull() : Uni.createFrom().voidItem())
                .map(accepted -> {
                    List<BatchResult.Item> items = new ArrayList<>();
                    for (int i = 0; i < accepted.size(); i++) {
                        items.add(BatchResult.Item.of(i, accepted.get(i)));
                    }
                    return BatchResult.of(items);
                });
    }

    private void authenticate(String partnerId, String secret, String timestamp, String signature,
            String body) {
        if (timestamp == null || signature == null) {
            throw unauthorized("signature-missing", "Send " + WebhookSignature.TIMESTAMP_HEADER + " and "
                    + WebhookSignature.SIGNATURE_HEADER);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw unauthorized("signature-invalid", WebhookSignature.TIMESTAMP_HEADER + " must be Unix seconds");
        }
        if (!WebhookSignature.matches(secret, timestamp.trim(), body, signature)) {
            LOG.warnf("Refused a webhook call from %s with a wrong signature", partnerId);
            throw unauthorized("signature-invalid", "The signature does not match the body and timestamp");
        }
        long age = Math.abs(Instant.now().getEpochSecond() - seconds);
        if (age > config.maxAge().toSeconds()) {
            throw unauthorized("signature-stale", "The call was signed " + age + " s away from now; at most "
                    + config.maxAge().toSeconds() + " s are allowed");
        }
    }

    private List<MilestoneRequest> map(String partnerId, WebhookFormat format, String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-request", "Malformed request", "The body is not valid JSON",
                    List.of(ProblemMappers.fieldError(e)), null);
        }
        try {
            return switch (format) {
                case TRUCKSTREAM -> TruckstreamMapper.map(partnerId, json);
                case ROADWISE -> RoadwiseMapper.map(partnerId, json);
            };
        } catch (WebhookMappingException e) {
            throw ProblemException.unprocessable("The " + format + " payload from " + partnerId + " has "
                    + e.errors().size() + " problem(s)", e.errors());
        }
    }

    private static ProblemException unauthorized(String slug, String detail) {
        return new ProblemException(401, slug, "Unauthorized", detail, null, Map.of());
    }
}
