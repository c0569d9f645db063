package com.logisync.serviceview.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Paging;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.serviceview.config.SubscriptionConfig;
import com.logisync.serviceview.edi.EdiProfile;
import com.logisync.serviceview.notify.CustomerEventFeed;
import com.logisync.serviceview.notify.WebhookSignature;
import com.logisync.serviceview.repository.SubscriptionStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A customer's subscriptions: what it wants to be told (event types), where (a URL), how (signed JSON
 * webhooks, or X12 214/210 by HTTP POST for shippers who want EDI) and the delivery log. ERP and ops
 * manage any customer's; a customer-portal token (a service-agent token with a {@code customer} claim)
 * manages its own customer's only.
 */
@RolesAllowed({Roles.ERP, Roles.OPS, Roles.SERVICE_AGENT})
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions", description = "Webhooks and outbound EDI: customers are told, not asked")
public class SubscriptionResource {

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    @Schema(name = "SubscriptionFormat")
    public enum Format { JSON, X12 }

    @Schema(name = "SubscriptionRequest")
    public record SubscriptionRequest(
            @Schema(example = "CUST-ACME") @NotBlank @Size(max = 64) String customerId,
            @Schema(description = "JSON (signed webhooks, the default) or X12 (214 for shipment events, 210 for"
                    + " invoices, by HTTP POST)") Format format,
            @Schema(example = "https://hooks.acme.example/logisync") @NotBlank @Size(max = 500) String url,
            @Schema(description = "What to send: `shipment.<milestone>` (lower case, e.g. shipment.delayed,"
                    + " shipment.delivered) or `invoice.issued`", example = "[\"shipment.delayed\", \"shipment.delivered\"]")
            @NotEmpty @Size(max = 40) List<@NotBlank String> eventTypes,
            @Schema(description = "The signing secret, `whsec_` and the base64 of 24-64 random bytes; left out on"
                    + " creation, one is made and returned once; left out on a replace, the current one is kept")
            @Size(max = 200) String secret,
            @Schema(description = "The trading-partner profile; required for X12") @Valid EdiProfile edi) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Subscription")
    public record SubscriptionView(String subscriptionId, String customerId, Format format, String url,
            List<String> eventTypes,
            @Schema(description = "ACTIVE, or FAILING once a delivery was given up (a day of retries); a delivery"
                    + " that succeeds makes it ACTIVE again", enumeration = {"ACTIVE", "FAILING"}) String status,
            Instant failingSince, EdiProfile edi,
            @Schema(description = "The secret, only in the answer that made it") String secret,
            @Schema(description = "The last 4 characters of the secret") String secretHint, Instant createdAt,
            Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SubscriptionPage")
    public record SubscriptionPage(List<SubscriptionView> items, String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DeliveryAttempt")
    public record Attempt(int attempt, Instant at, @Schema(description = "The subscriber's HTTP status; absent when"
            + " no answer came (timeout, refused connection)") Integer statusCode, String error, int durationMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Delivery")
    public record Delivery(@Schema(description = "The webhook-id: the same on every attempt", example = "msg_3f2a9c")
            String deliveryId, String eventId, String eventType, String shipmentId,
            @Schema(enumeration = {"PENDING", "DELIVERED", "FAILED", "CANCELLED"}) String status, int attempts,
            Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, Integer lastStatus, String lastError,
            @Schema(description = "X12 only: the interchange control number (ISA13)") Long controlNumber,
            List<Attempt> attemptLog) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DeliveryPage")
    public record DeliveryPage(List<Delivery> items, String nextCursor) {
    }

    private final SubscriptionStore store;
    private final CustomerScope scope;
    private final SecurityIdentity identity;
    private final SubscriptionConfig config;
    private final ObjectMapper mapper;

    public SubscriptionResource(SubscriptionStore store, CustomerScope scope, SecurityIdentity identity,
            SubscriptionConfig config, ObjectMapper mapper) {
        this.store = store;
        this.scope = scope;
        this.identity = identity;
        this.config = config;
        this.mapper = mapper;
    }

    /** Agents read any customer's (a customer on the phone asks what it was sent); a portal token its own. */
    private void mayRead(String customerId) {
        scope.require(customerId);
    }

    /** ERP and ops manage any customer's; a portal token its own; an agent's token without a customer none. */
    private void mayManage(String customerId) {
        if (identity.hasRole(Roles.ERP) || identity.hasRole(Roles.OPS)) {
            return;
        }
        if (scope.customer().isEmpty()) {
            throw new ProblemException(403, "forbidden", "Not allowed", "Subscriptions are managed by ERP, ops or the"
                    + " customer's own portal users", null, Map.of());
        }
        scope.require(customerId);
    }

    private static void checkId(String subscriptionId) {
        if (!ID.matcher(subscriptionId).matches()) {
            throw Paging.invalid("subscriptionId", "must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = SubscriptionRequest.class), examples = {
                    @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "signed webhooks",
                            value = "{\"customerId\": \"CUST-ACME\", \"url\": \"https://hooks.acme.example/logisync\","
                                    + " \"eventTypes\": [\"shipment.delayed\", \"shipment.delivered\", \"invoice.issued\"]}"),
                    @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "X12 214 and 210",
                            value = "{\"customerId\": \"CUST-ACME\", \"format\": \"X12\", \"url\":"
                                    + " \"https://edi.acme.example/inbound\", \"eventTypes\": [\"shipment.delayed\","
                                    + " \"shipment.delivered\", \"invoice.issued\"], \"edi\": {\"senderQualifier\": \"ZZ\","
                                    + " \"senderId\": \"LOGISYNC\", \"receiverQualifier\": \"ZZ\", \"receiverId\": \"ACMEEDI\","
                                    + " \"version\": \"004010\"}}")}))
    @PUT
    @Path("/{subscriptionId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Extension(name = "x-problem-types", value = "subscription-customer,customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "putSubscription", summary = "Create or replace a subscription",
            description = "Idempotent: the same request again changes nothing. 201 with the secret when it creates one"
                    + " (made here when the request has none), 200 when it replaces one. Only events recorded after it"
                    + " are delivered.")
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or wrong: an unknown event type, a URL that is not"
            + " https, a malformed secret, X12 without an EDI profile",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The id is another customer's subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> put(@PathParam("subscriptionId") String subscriptionId, @Valid @NotNull SubscriptionRequest body) {
        checkId(subscriptionId);
        mayManage(body.customerId());
        Format format = body.format() == null ? Format.JSON : body.format();
        List<Problem.FieldError> errors = new ArrayList<>();
        checkUrl(body.url(), errors);
        List<String> unknown = body.eventTypes().stream().filter(t -> !CustomerEventFeed.TYPES.contains(t)).toList();
        if (!unknown.isEmpty()) {
            errors.add(new Problem.FieldError("eventTypes", "unknown", "unknown event types " + unknown + "; known: "
                    + String.join(", ", CustomerEventFeed.TYPES)));
        }
        if (body.secret() != null && !WebhookSignature.valid(body.secret())) {
            errors.add(new Problem.FieldError("secret", "invalid", "must be whsec_ and the base64 of 24 to 64 bytes"));
        }
        if (format == Format.X12 && body.edi() == null) {
            errors.add(new Problem.FieldError("edi", "required", "an X12 subscription needs the EDI profile"));
        }
        if (format == Format.JSON && body.edi() != null) {
            errors.add(new Problem.FieldError("edi", "invalid", "only an X12 subscription has an EDI profile"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request", errors.stream()
                    .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")), errors, null);
        }
        List<String> types = body.eventTypes().stream().distinct().sorted().toList();
        String edi = body.edi() == null ? null : json(body.edi());
        Instant now = Instant.now();
        String creator = identity.getPrincipal().getName();
        return Panache.withTransaction(() -> store.ownerOf(subscriptionId).chain(owner -> {
            if (owner != null && !owner.equals(body.customerId())) {
                throw new ProblemException(409, "subscription-customer", "Conflict", "Subscription " + subscriptionId
                        + " belongs to another customer; a subscription never moves to another customer",
                        null, identity.hasRole(Roles.ERP) || identity.hasRole(Roles.OPS) ? Map.of("customerId", owner) : Map.of());
            }
            return store.find(subscriptionId).chain(current -> {
                String secret = body.secret() != null ? body.secret()
                        : current != null ? current.secret() : WebhookSignature.newSecret();
                boolean madeSecret = body.secret() == null && current == null;
                SubscriptionStore.Row row = new SubscriptionStore.Row(subscriptionId, body.customerId(), format.name(),
                        body.url(), types, secret, edi, "ACTIVE", null, creator, now, now);
                return store.upsert(row).chain(created -> store.find(subscriptionId)
                        .map(saved -> Response.status(created ? 201 : 200).entity(view(saved, madeSecret)).build()));
            });
        }));
    }

    private void checkUrl(String url, List<Problem.FieldError> errors) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                errors.add(new Problem.FieldError("url", "invalid", "must be an absolute URL with a host"));
            } else if (uri.getUserInfo() != null) {
                errors.add(new Problem.FieldError("url", "invalid", "must not carry credentials; the signature authenticates"));
            } else if (!scheme.equals("https") && !(scheme.equals("http") && config.allowHttp())) {
                errors.add(new Problem.FieldError("url", "invalid", config.allowHttp() ? "must be http or https"
                        : "must be https"));
            }
        } catch (java.net.URISyntaxException e) {
            errors.add(new Problem.FieldError("url", "invalid", "is not a URL: " + e.getReason()));
        }
    }

    @GET
    @Path("/{subscriptionId}")
    @Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "getSubscription", summary = "One subscription (its secret only as a hint)",
            description = "ERP, ops and service agents read any customer's; a portal token its own customer's.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription (or another customer's, for a portal token)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SubscriptionView> get(@PathParam("subscriptionId") String subscriptionId) {
        return Panache.withSession(() -> visible(subscriptionId, false)).map(s -> view(s, false));
    }

    /** The subscription, 404 when it does not exist or the caller may not manage its customer. */
    private Uni<SubscriptionStore.Row> visible(String subscriptionId, boolean manage) {
        checkId(subscriptionId);
        return store.find(subscriptionId).map(s -> {
            if (s == null || !scope.allows(s.customerId())) {
                throw ProblemException.notFound("Subscription", subscriptionId);
            }
            if (manage) {
                mayManage(s.customerId());
            }
            return s;
        });
    }

    @DELETE
    @Path("/{subscriptionId}")
    @Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "deleteSubscription", summary = "Delete a subscription; what it had still to send is cancelled",
            description = "Idempotent: deleting a deleted subscription is 404, and changes nothing.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("subscriptionId") String subscriptionId) {
        return Panache.withTransaction(() -> visible(subscriptionId, true).chain(s -> store.delete(subscriptionId, Instant.now())))
                .map(deleted -> Response.noContent().build());
    }

    @GET
    @Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "listSubscriptions", summary = "Subscriptions, oldest first, of one customer or all",
            description = "The project's paging (`limit`, `cursor`, `nextCursor`). A portal token lists its own"
                    + " customer's whatever `customerId` says.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SubscriptionPage.class)))
    @APIResponse(responseCode = "400", description = "A limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SubscriptionPage> list(@QueryParam("customerId") String customerId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        if (customerId != null) {
            mayRead(customerId);
        }
        String customer = scope.customer().orElse(customerId);
        int n = Paging.limit(limit);
        Paging.Position after = Paging.position(cursor);
        return Panache.withSession(() -> store.list(customer, after == null ? null : after.at(),
                after == null ? null : after.id(), n + 1))
                .map(rows -> new SubscriptionPage(rows.stream().limit(n).map(r -> view(r, false)).toList(),
                        Paging.next(rows, n, r -> Paging.cursor(r.createdAt(), r.subscriptionId()))));
    }

    @GET
    @Path("/{subscriptionId}/deliveries")
    @Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "listDeliveries", summary = "The delivery log: every delivery, newest first, with every attempt"
            + " and the subscriber's answer")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DeliveryPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, a limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeliveryPage> deliveries(@PathParam("subscriptionId") String subscriptionId,
            @QueryParam("status") @Schema(enumeration = {"PENDING", "DELIVERED", "FAILED", "CANCELLED"}) String status,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        if (status != null && !List.of("PENDING", "DELIVERED", "FAILED", "CANCELLED").contains(status.toUpperCase(java.util.Locale.ROOT))) {
            throw Paging.invalid("status", "must be PENDING, DELIVERED, FAILED or CANCELLED");
        }
        int n = Paging.limit(limit);
        String raw = Paging.after(cursor, null);
        Long before;
        try {
            before = raw == null ? null : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Paging.invalid("cursor", "is not a cursor this API gave");
        }
        String s = status == null ? null : status.toUpperCase(java.util.Locale.ROOT);
        return Panache.withSession(() -> visible(subscriptionId, false)
                .chain(sub -> store.deliveries(subscriptionId, s, before, n + 1))
                .chain(rows -> {
                    List<SubscriptionStore.DeliveryRow> page = rows.stream().limit(n).toList();
                    return store.attempts(page.stream().map(SubscriptionStore.DeliveryRow::deliveryId).toList())
                            .map(attempts -> new DeliveryPage(page.stream().map(d -> delivery(d, attempts)).toList(),
                                    Paging.next(rows, n, d -> Paging.cursor(String.valueOf(d.seq())))));
                }));
    }

    @POST
    @Path("/{subscriptionId}/deliveries/{deliveryId}/redeliver")
    @Extension(name = "x-problem-types", value = "delivery-not-failed,customer-scope,customer-claim-invalid,forbidden")
    @Operation(operationId = "redeliverDelivery", summary = "Send a FAILED delivery again (a new day of retries, the same webhook-id)",
            description = "Idempotent in effect: a delivery already pending again answers 409 and is not queued twice.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Delivery.class)))
    @APIResponse(responseCode = "404", description = "No such subscription or delivery",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The delivery has not failed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Delivery> redeliver(@PathParam("subscriptionId") String subscriptionId,
            @PathParam("deliveryId") String deliveryId) {
        return Panache.withTransaction(() -> visible(subscriptionId, true).chain(sub -> store.delivery(subscriptionId, deliveryId))
                .chain(d -> {
                    if (d == null) {
                        throw ProblemException.notFound("Delivery", deliveryId);
                    }
                    if (!"FAILED".equals(d.status())) {
                        throw new ProblemException(409, "delivery-not-failed", "Conflict", "Delivery " + deliveryId + " is "
                                + d.status() + ": only a FAILED delivery is sent again", null,
                                Map.of("deliveryStatus", d.status()));
                    }
                    return store.redeliver(deliveryId, Instant.now()).chain(() -> store.delivery(subscriptionId, deliveryId));
                })
                .chain(d -> store.attempts(List.of(d.deliveryId())).map(a -> delivery(d, a))));
    }

    private static Delivery delivery(SubscriptionStore.DeliveryRow d, List<SubscriptionStore.AttemptRow> attempts) {
        return new Delivery(d.deliveryId(), d.eventId(), d.eventType(), d.shipmentId(), d.status(), d.attempts(),
                d.createdAt(), "PENDING".equals(d.status()) ? d.nextAttemptAt() : null, d.deliveredAt(), d.lastStatus(),
                d.lastError(), d.controlNumber(), attempts.stream().filter(a -> a.deliveryId().equals(d.deliveryId()))
                        .map(a -> new Attempt(a.attempt(), a.attemptedAt(), a.statusCode(), a.error(), a.durationMs()))
                        .toList());
    }

    private SubscriptionView view(SubscriptionStore.Row r, boolean withSecret) {
        EdiProfile edi = null;
        if (r.ediProfile() != null) {
            try {
                edi = mapper.readValue(r.ediProfile(), EdiProfile.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        String hint = r.secret().length() > 4 ? "…" + r.secret().substring(r.secret().length() - 4) : null;
        return new SubscriptionView(r.subscriptionId(), r.customerId(), Format.valueOf(r.format()), r.url(), r.eventTypes(),
                r.status(), r.failingSince(), edi, withSecret ? r.secret() : null, hint, r.createdAt(), r.updatedAt());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
