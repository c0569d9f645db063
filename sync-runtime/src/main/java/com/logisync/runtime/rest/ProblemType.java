package com.logisync.runtime.rest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every problem type LogiSync answers with ({@code urn:logisync:problem:<slug>}), its status, title and
 * the members it carries beyond RFC 9457's: the catalogue the published contracts are written from
 * ({@link ProblemResponsesFilter} gives each operation's error responses the real examples of the types
 * it can answer, named in its {@code x-problem-types} extension). {@code ProblemCatalogueTest} fails when
 * the code emits a type that is not here.
 */
public enum ProblemType {

    // ---------------------------------------------------------------- any operation
    VALIDATION("validation", 400, "Invalid request", "limit must be 1 to 500",
            Map.of(), "a field or parameter is missing or wrong; `errors` names each"),
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request", "The body is not valid JSON: Unexpected end-of-input at line 1, column 42",
            Map.of(), "the body is not JSON of the expected shape"),
    INVALID_PARAMETER("invalid-parameter", 400, "Bad request", "order-sync-service consumes [logisync.masterdata.v1], not logisync.billing.v1",
            Map.of("topics", List.of("logisync.masterdata.v1")), "a parameter names something this service does not have"),
    UNAUTHENTICATED("unauthenticated", 401, "Authentication required",
            "This API needs a valid bearer token (JWT) from LogiSync's identity provider", Map.of(),
            "no bearer token, or a forged or expired one"),
    FORBIDDEN("forbidden", 403, "Not allowed", "The token's roles do not include one this operation admits", Map.of(),
            "the token carries no role the operation admits"),
    NOT_FOUND("not-found", 404, "Not found", "Shipment SHP-0000 does not exist", Map.of(), "nothing with that id"),
    BUSINESS_RULE_VIOLATION("business-rule-violation", 422, "Business rules violated",
            "WINDOW_IN_PAST: the pickup window has passed", Map.of(), "the request breaks business rules; `errors` lists every one"),
    IDEMPOTENCY_KEY_IN_PROGRESS("idempotency-key-in-progress", 409, "Request in progress",
            "A request with Idempotency-Key rel-ORD-1001 is still being processed: retry in a moment", Map.of(),
            "the first request with this Idempotency-Key is still running (Retry-After)"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused",
            "Idempotency-Key rel-ORD-1001 was used for releaseOrder with another request: a new request needs a new key",
            Map.of(), "the Idempotency-Key was used for another request"),
    HTTP_STATUS("http-<status>", 405, "Method Not Allowed", "HTTP 405 Method Not Allowed", Map.of(),
            "what the HTTP layer refuses before LogiSync's code runs (405, 406, 413, 415)"),
    INTERNAL_ERROR("internal-error", 500, "Internal error", "Something failed on our side; quote the trace id", Map.of(),
            "a bug: quote the traceId"),
    TEMPORARILY_UNAVAILABLE("temporarily-unavailable", 503, "Service Unavailable",
            "A passing failure (the database away, a lock lost); nothing was changed: send the same request again", Map.of(), "a dependency is down (Retry-After)"),

    // ---------------------------------------------------------------- customer-portal tokens (service-view)
    CUSTOMER_SCOPE("customer-scope", 403, "Not allowed", "This token is limited to customer CUST-ACME",
            Map.of("customerId", "CUST-ACME"), "a customer-portal token asked for another customer, or to change something"),
    CUSTOMER_CLAIM_INVALID("customer-claim-invalid", 403, "Not allowed",
            "The token's customer claim is present but is not a customer id; the token is refused", Map.of(), "a token's customer claim is blank or malformed"),

    // ---------------------------------------------------------------- order-sync
    ORDER_CONTENT_DIFFERS("order-content-differs", 409, "Conflict",
            "Order ORD-1001 was already released with different content; send changes as an amendment",
            Map.of("shipmentId", "SHP-8E778B48FD1F"), "the ERP order id was released before with other content"),
    ORDER_PICKED_UP("order-picked-up", 409, "Conflict", "Order ORD-1001 was picked up at 2027-01-10T14:05:00Z and can no longer be cancelled",
            Map.of("shipmentId", "SHP-8E778B48FD1F", "pickedUpAt", "2027-01-10T14:05:00Z"), "picked up: too late to amend or cancel"),
    ORDER_CANCELLED("order-cancelled", 409, "Conflict", "Order ORD-1001 was cancelled at 2027-01-09T10:00:00Z and can no longer be amended",
            Map.of("shipmentId", "SHP-8E778B48FD1F", "cancelledAt", "2027-01-09T10:00:00Z"), "the order is cancelled"),
    STALE_ERP_VERSION("stale-erp-version", 409, "Conflict",
            "Customer CUST-ACME is at ERP version 4; version 2 is older and does not overwrite it",
            Map.of("currentVersion", 4), "an older (or the same, with other content) ERP version"),
    NO_CONSUMER("no-consumer", 409, "Conflict",
            "billing-trigger-service consumes no topic logisync.orders.v1 any more: the record cannot be redriven here",
            Map.of("topic", "logisync.orders.v1"), "a dead letter of a topic this service no longer consumes"),

    // ---------------------------------------------------------------- milestone-service
    BATCH_SIZE("batch-size", 400, "Invalid batch", "A batch carries 1 to 1000 milestones", Map.of(),
            "an empty batch or more than 1,000 items"),
    PARTNER_UNKNOWN("partner-unknown", 403, "Forbidden", "The token names no partner (no partner claim and no subject)",
            Map.of(), "the token names no partner"),
    PARTNER_MISMATCH("partner-mismatch", 403, "Partner does not match the token",
            "The token speaks for partner SWIFT; the report names ACME. A partner reports only for itself.", Map.of("authenticatedPartner", "SWIFT",
                    "reportedPartners", List.of("ACME")), "a body names another partner than the token"),
    CHANNEL_NOT_ALLOWED("channel-not-allowed", 403, "Forbidden", "Partner SWIFT may not report through X12 (its profile allows [REST, WEBHOOK])",
            Map.of("partnerId", "SWIFT"), "the partner's profile does not allow this channel"),
    OPS_ONLY("ops-only", 403, "Not allowed", "Only an ops user records a POD received by other means", Map.of(),
            "a correction only ops may make"),
    MILESTONE_VOIDED("milestone-voided", 409, "Conflict",
            "Milestone REST_API:SWIFT:pod-1 is already voided; a voided milestone is not corrected again",
            Map.of("eventId", "REST_API:SWIFT:pod-1"), "the milestone was voided"),
    RATE_LIMITED("rate-limited", 429, "Too many requests", "Partner SWIFT is over its request rate; retry after 2 s",
            Map.of("partner", "SWIFT", "retryAfterSeconds", 2), "the partner is over its request rate (Retry-After)"),
    BACKLOG_FULL("backlog-full", 503, "Ingestion held back", "Publication is behind: 10412 events wait for Kafka (bound"
            + " 10000); nothing of this request was taken, send it again after 5 s",
            Map.of("backlogEvents", 10412, "maxBacklog", 10000), "publication is behind; nothing was taken (Retry-After)"),
    SIGNATURE_MISSING("signature-missing", 401, "Unauthorized", "Send X-LogiSync-Timestamp and X-LogiSync-Signature",
            Map.of(), "a webhook without its signature headers"),
    SIGNATURE_INVALID("signature-invalid", 401, "Unauthorized", "The signature does not match the body and timestamp",
            Map.of(), "a webhook whose signature does not match"),
    SIGNATURE_STALE("signature-stale", 401, "Unauthorized", "The call was signed 900 s away from now; at most 300 s are allowed",
            Map.of(), "a webhook signed too long ago (or ahead)"),
    REPLAYED("replayed", 401, "Unauthorized", "This exact signed call was already accepted; sign each delivery anew", Map.of(),
            "a webhook call received before"),
    X12_REJECTED("x12-rejected", 400, "Interchange rejected", "The interchange was rejected whole: ISA13 must be 9 digits", Map.of(),
            "an interchange whose envelope cannot be read (TA1 in the body)"),
    X12_RECEIVER("x12-receiver", 400, "Interchange not addressed to LogiSync", "ISA07/ISA08 ZZ/ACME is not LogiSync's ZZ/LOGISYNC", Map.of(),
            "an interchange addressed to someone else"),
    X12_PROFILE_MISSING("x12-profile-missing", 403, "Forbidden", "Partner SWIFT has no X12 ids in its trading-partner profile",
            Map.of("partnerId", "SWIFT"), "the partner has no X12 ids"),
    X12_TEST_NOT_ALLOWED("x12-test-not-allowed", 403, "Forbidden", "Partner SWIFT may not send test interchanges (ISA15 T)",
            Map.of("partnerId", "SWIFT"), "a test interchange from a partner not allowed to send them"),
    X12_CONTROL_NUMBER_REUSED("x12-control-number-reused", 409, "Conflict",
            "Interchange control number 000000905 was already used by sender SWFT for other content; every interchange needs its own ISA13",
            Map.of("interchangeControlNumber", "000000905"), "an interchange control number reused for other content"),

    // ---------------------------------------------------------------- billing-trigger-service
    ACCESSORIAL_DECIDED("accessorial-decided", 409, "Conflict", "Accessorial LFT-1 was already APPROVED (LFT is in the contract's rate card at 75.00)",
            Map.of("accessorialStatus", "APPROVED"), "the accessorial was decided before"),
    NOT_INVOICE_FAILED("not-invoice-failed", 409, "Conflict",
            "Shipment SHP-8E778B48FD1F is INVOICED: only a case whose invoice ERP refused can be invoiced again",
            Map.of("caseStatus", "INVOICED"), "reinvoice asked of a case whose invoice did not fail"),
    NOT_INVOICED("not-invoiced", 409, "Conflict",
            "Shipment SHP-8E778B48FD1F is ELIGIBLE: only an invoiced case can be voided and rebilled",
            Map.of("caseStatus", "ELIGIBLE"), "void and rebill asked of a case not invoiced"),
    DOCUMENTS_PENDING("documents-pending", 409, "Conflict",
            "Shipment SHP-8E778B48FD1F has documents ERP has not issued yet: [SHP-8E778B48FD1F:supplement-1]; void and rebill once they are issued",
            Map.of("pending", List.of("SHP-8E778B48FD1F:supplement-1")), "documents are still being asked of ERP"),
    NOT_RATABLE("not-ratable", 422, "Not ratable",
            "Shipment SHP-8E778B48FD1F cannot be rated: no diesel index for 2026-W49: PUT /api/v1/fuel-index/2026-W49",
            Map.of("shipmentId", "SHP-8E778B48FD1F"), "the case lacks what rating needs (a lane, a diesel index)"),
    POD_DOCUMENT_TOO_LARGE("pod-document-too-large", 413, "Payload too large",
            "The POD document has 7340032 bytes; at most 5242880 are accepted", Map.of("maxBytes", 5242880),
            "the POD document is over the size limit"),

    // ---------------------------------------------------------------- service-view-service
    AMBIGUOUS_KEY("ambiguous-key", 422, "Ambiguous key", "Key PO-7781 names 2 shipments",
            Map.of("shipmentIds", List.of("SHP-8E778B48FD1F", "SHP-1D2C3B4A5F6E")), "the key names several shipments: pick one"),
    REPLAY_RUNNING("replay-running", 409, "Conflict", "A replay started at 2026-12-01T08:00:00Z is still running",
            Map.of(), "a replay is running"),
    FEED_INDEX("feed-index", 409, "Conflict", "The customer feed's unique index on event_id, which a replay needs,"
            + " could not be built: could not create unique index \"customer_event_event_id\"", Map.of(),
            "the customer feed's unique index on event ids, which a replay needs, could not be built"),
    SNAPSHOT_RUNNING("snapshot-running", 409, "Conflict", "Another replica is taking a snapshot", Map.of(),
            "another replica is taking a snapshot"),
    TOPICS_INCOMPLETE("topics-incomplete", 409, "Conflict", "No snapshot exists and the topics no longer hold every record"
            + " (logisync.milestones.v1-3 starts at 1200)", Map.of("gaps", List.of("logisync.milestones.v1-3 starts at 1200")),
            "no snapshot, and the topics no longer hold every record"),
    SNAPSHOT_TOO_OLD("snapshot-too-old", 409, "Conflict", "The snapshot of 2026-11-20T06:00:00Z is older than the topics"
            + " keep (logisync.milestones.v1-3 starts at 1200)", Map.of("gaps", List.of("logisync.milestones.v1-3 starts at 1200")),
            "the snapshot is older than the topics keep"),
    SUBSCRIPTION_CUSTOMER("subscription-customer", 409, "Conflict",
            "Subscription sub-acme-delays belongs to customer CUST-ACME; a subscription never moves to another customer",
            Map.of("customerId", "CUST-ACME"), "the subscription id is taken by another customer's subscription"),
    DELIVERY_NOT_FAILED("delivery-not-failed", 409, "Conflict",
            "Delivery msg_0f3c2b1a is PENDING: only a FAILED delivery is sent again", Map.of("deliveryStatus", "PENDING"),
            "redelivery asked of a delivery that has not failed");

    public final String slug;
    public final int status;
    public final String title;
    public final String exampleDetail;
    public final Map<String, Object> members;
    public final String meaning;

    ProblemType(String slug, int status, String title, String exampleDetail, Map<String, Object> members, String meaning) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.exampleDetail = exampleDetail;
        this.members = new java.util.TreeMap<>(members); // sorted: Map.of iterates in a per-JVM order
        this.meaning = meaning;
    }

    public String type() {
        return Problem.TYPE_PREFIX + slug;
    }

    public static Optional<ProblemType> of(String slug) {
        return Arrays.stream(values()).filter(t -> t.slug.equals(slug)).findFirst();
    }

    /** The types any operation of its kind may answer with, by status (the rest each operation names). */
    static List<ProblemType> generic(int status, boolean secured, boolean hasInput) {
        return switch (status) {
            case 400 -> hasInput ? List.of(VALIDATION, MALFORMED_REQUEST) : List.of(VALIDATION);
            case 401 -> secured ? List.of(UNAUTHENTICATED) : List.of();
            case 403 -> secured ? List.of(FORBIDDEN) : List.of();
            case 404 -> List.of(NOT_FOUND);
            case 500 -> List.of(INTERNAL_ERROR);
            default -> List.of();
        };
    }
}
