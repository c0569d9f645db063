package com.logisync.milestone.rest;

import com.logisync.contracts.security.Roles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.milestone.service.BatchIngestion;
import com.logisync.milestone.service.GroupedIngestion;
import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.milestone.partner.PartnerProfilesConfig;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.rest.ProblemMappers;
import jakarta.validation.Validator;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import java.util.ArrayList;
import java.util.List;
import com.logisync.runtime.rest.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@jakarta.annotation.security.RolesAllowed({Roles.CARRIER})
@Path("/api/v1/milestones")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Milestones", description = "Canonical milestone ingestion")
public class MilestoneResource {

    /** Idempotency-Key handling of the POSTs that create or decide something. */
    @jakarta.inject.Inject
    com.logisync.runtime.rest.IdempotencyKeys keys;

    /** The most milestones one batch may carry. */
    public static final int MAX_BATCH = 1000;

    /** Holds ingestion back while publication is behind (admission control). */
    private final com.logisync.runtime.outbox.OutboxBacklog backlog;
    private final GroupedIngestion ingestion;
    private final BatchIngestion batches;
    private final ObjectMapper mapper;
    private final Validator validator;

    private final com.logisync.milestone.ratelimit.PartnerRateLimits limits;
    private final io.quarkus.security.identity.SecurityIdentity identity;
    private final PartnerProfiles partners;

    public MilestoneResource(com.logisync.milestone.ratelimit.PartnerRateLimits limits,
            io.quarkus.security.identity.SecurityIdentity identity, GroupedIngestion ingestion, BatchIngestion batches, ObjectMapper mapper,
            Validator validator, PartnerProfiles partners,
            com.logisync.runtime.outbox.OutboxBacklog backlog) {
        this.backlog = backlog;
        this.partners = partners;
        this.limits = limits;
        this.identity = identity;
        this.ingestion = ingestion;
        this.batches = batches;
        this.mapper = mapper;
        this.validator = validator;
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/json", schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = MilestoneRequest.class), 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "a delivery with its POD",
                    value = "{\"sourceEventId\": \"pod-1\", \"partnerId\": \"SWIFT\", \"milestone\": \"DELIVERED\", \"eventTime\": \"2027-01-11T15:42:00-06:00\", \"references\": {\"bol\": \"BOL-1001\"}, \"location\": {\"name\": \"Store 17\", \"locationCode\": \"USHOU\"}, \"pod\": {\"signedBy\": \"J. Doe\", \"signedAt\": \"2027-01-11T15:42:00-06:00\", \"documentRef\": \"POD-1\"}}")))
    @POST
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "partner-unknown,partner-mismatch,channel-not-allowed,rate-limited,backlog-full")
    @Operation(operationId = "reportMilestone", summary = "Report one milestone",
            description = "Recorded and published once; a repeat of the same source event id is answered DUPLICATE;"
                    + " a milestone for a shipment not known yet is PARKED and recorded when the order arrives.")
    @APIResponse(responseCode = "202", description = "Accepted: recorded, duplicate or parked",
            content = @Content(schema = @Schema(implementation = MilestoneAccepted.class)))
    @APIResponse(responseCode = "429", description = "The partner is over its request rate; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Publication is behind and did not catch up within the longest"
            + " wait (admission control): nothing was taken; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Malformed or incomplete milestone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The report's partnerId is not the partner the token speaks for,"
            + " or the partner may not report through this channel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> report(@Valid @NotNull MilestoneRequest request, @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey) {
        String partner = partners.requireChannel(identity, PartnerProfilesConfig.Channel.REST);
        if (!partner.equals(request.partnerId())) {
            throw partnerMismatch(partner, List.of(request.partnerId()), null);
        }
        limits.acquire(partner);
        return keys.once(idempotencyKey, "reportMilestone", request, () -> backlog.admit()
                .chain(() -> ingestion.ingest(request)).map(accepted -> Response.accepted(accepted).build()));
    }

    @POST
    @Path("/batch")
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "batch-size,partner-unknown,partner-mismatch,channel-not-allowed,rate-limited,backlog-full")
    @Operation(operationId = "reportMilestones", summary = "Report up to 1,000 milestones at once",
            description = "A JSON array of canonical milestones. Every item is checked on its own: a malformed or"
                    + " invalid item is REJECTED with its reasons and never rejects the rest. The others are RECORDED,"
                    + " PARKED (no shipment known yet) or DUPLICATE, exactly as if reported one by one.")
    @APIResponse(responseCode = "200", description = "One result per item, in the order sent",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "429", description = "The partner is over its request rate; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Publication is behind and did not catch up within the longest"
            + " wait (admission control): nothing was taken; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Not a JSON array, empty, or more than 1,000 items",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "An item's partnerId is not the partner the token speaks for (the"
            + " whole batch is refused and every such item named), or the partner may not report through this channel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> reportBatch(
            @RequestBody(content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = MilestoneRequest.class,
                    maxItems = MAX_BATCH), examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(
                    name = "a delivery and an arrival", value = "[{\"sourceEventId\": \"pod-1\", \"partnerId\": \"SWIFT\", \"milestone\": \"DELIVERED\", \"eventTime\": \"2027-01-11T15:42:00-06:00\", \"references\": {\"bol\": \"BOL-1001\"}, \"location\": {\"name\": \"Store 17\", \"locationCode\": \"USHOU\"}, \"pod\": {\"signedBy\": \"J. Doe\", \"signedAt\": \"2027-01-11T15:42:00-06:00\", \"documentRef\": \"POD-1\"}}, {\"sourceEventId\": \"arr-1\", \"partnerId\": \"SWIFT\", \"milestone\": \"ARRIVED_DELIVERY\", \"eventTime\": \"2027-01-11T14:05:00-06:00\", \"references\": {\"loadId\": \"LD-9581781401\"}}]"))) byte[] body,
            @jakarta.ws.rs.HeaderParam(com.logisync.runtime.rest.IdempotencyKeys.HEADER) @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = com.logisync.runtime.rest.IdempotencyKeys.DESCRIPTION) String idempotencyKey)
            throws java.io.IOException {
        // The key's fingerprint is of the body as a tree, as it was when the body was read as one.
        return keys.once(idempotencyKey, "reportMilestones", idempotencyKey == null ? null : mapper.readTree(body),
                () -> batch(body).map(result -> Response.ok(result.toJson(), MediaType.APPLICATION_JSON_TYPE).build()));
    }

    private Uni<BatchResult> batch(byte[] body) {
        String partner = partners.requireChannel(identity, PartnerProfilesConfig.Channel.REST);
        limits.acquire(partner);
        List<Object> items;
        try {
            items = items(body);
        } catch (java.io.IOException e) {
            return Uni.createFrom().failure(e);
        }
        // Checked here rather than by a constraint: method validation would walk all 1,000 items once more.
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new ProblemException(400, "batch-size", "Invalid batch", "A batch carries 1 to " + MAX_BATCH
                    + " milestones; this one has " + items.size(),
                    List.of(new Problem.FieldError("$", "batch-size", "must have 1 to " + MAX_BATCH + " items")), null);
        }
        BatchResult.Item[] results = new BatchResult.Item[items.size()];
        List<MilestoneRequest> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Problem.FieldError> errors;
            if (items.get(i) instanceof MilestoneRequest request) {
                errors = request.plainlyValid() ? List.of() : ProblemMappers.fieldErrors(validator.validate(request));
                if (errors.isEmpty()) {
                    valid.add(request);
                    validIndex.add(i);
                    continue;
                }
            } else {
                @SuppressWarnings("unchecked")
                List<Problem.FieldError> unreadable = (List<Problem.FieldError>) items.get(i);
                errors = unreadable;
            }
            results[i] = new BatchResult.Item(i, BatchResult.Outcome.REJECTED, null, null, null, null, null, errors);
        }
        // A forged partner is not a validation slip of one item: nothing of such a batch is used.
        List<Problem.FieldError> forged = new ArrayList<>();
        for (int k = 0; k < valid.size(); k++) {
            if (!partner.equals(valid.get(k).partnerId())) {
                forged.add(new Problem.FieldError("[" + validIndex.get(k) + "].partnerId", "partner-mismatch",
                        "names partner " + valid.get(k).partnerId() + ", the token speaks for " + partner));
            }
        }
        if (!forged.isEmpty()) {
            throw partnerMismatch(partner, valid.stream().map(MilestoneRequest::partnerId)
                    .filter(p -> !partner.equals(p)).distinct().toList(), forged);
        }
        return backlog.admit().chain(() -> batches.ingest(valid)).map(accepted -> {
            for (int k = 0; k < accepted.size(); k++) {
                MilestoneAccepted a = accepted.get(k);
                int i = validIndex.get(k);
                results[i] = BatchResult.Item.of(i, a);
            }
            return BatchResult.of(List.of(results));
        });
    }

    private static final List<Problem.FieldError> NOT_AN_OBJECT =
            List.of(new Problem.FieldError("$", "wrong-type", "expected a milestone object"));
    private static final com.fasterxml.jackson.core.type.TypeReference<List<JsonNode>> LIST_OF_NODES =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    /**
     * A batch's items as they are read from the body, one by one: each a {@link MilestoneRequest}, or the field
     * errors that kept it from being one (an item that is not an object, a field of the wrong type); past
     * {@link #MAX_BATCH}, only counted (nulls). The items are bound straight from the body's tokens: reading the body
     * into a tree first and binding each item from it was 6.4 % of milestone-service's CPU on the benchmark
     * (async-profiler, 2026-12-04). A body that is not JSON is refused whole, as before; so is one that is not an
     * array, with the error the tree reader gave.
     */
    private List<Object> items(byte[] body) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser p = mapper.createParser(body)) {
            com.fasterxml.jackson.core.JsonToken token = p.nextToken();
            if (token == null) {
                return List.of();
            }
            if (token != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                mapper.readValue(body, LIST_OF_NODES); // refuses anything but an array, or reads null
                return List.of();
            }
            com.fasterxml.jackson.core.JsonStreamContext array = p.getParsingContext();
            List<Object> items = new ArrayList<>();
            while ((token = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected end of the batch");
                }
                if (items.size() >= MAX_BATCH) {
                    items.add(null); // counted for the answer, never read
                    p.skipChildren();
                } else if (token != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    items.add(NOT_AN_OBJECT);
                    p.skipChildren();
                } else {
                    try {
                        items.add(mapper.readValue(p, MilestoneRequest.class));
                    } catch (com.fasterxml.jackson.databind.DatabindException e) {
                        if (ProblemMappers.isSyntaxError(e)) {
                            throw e;
                        }
                        items.add(List.of(ProblemMappers.fieldError(e)));
                        // On to the item's end: the next token read after its closing brace is the array's.
                        while (p.getParsingContext() != array) {
                            if (p.nextToken() == null) {
                                throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected end of the batch");
                            }
                        }
                    }
                }
            }
            return items;
        }
    }

    /** 403 naming both partners: identity comes from the token, a body may only repeat it. */
    static ProblemException partnerMismatch(String authenticated, List<String> reported, List<Problem.FieldError> errors) {
        return PartnerProfiles.mismatch(authenticated, reported, "The token speaks for partner " + authenticated
                + "; the report names " + String.join(", ", reported) + ". A partner reports only for itself.", errors);
    }
}
