package com.logisync.serviceview.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.retry.Backoff;
import com.logisync.serviceview.config.SubscriptionConfig;
import com.logisync.serviceview.edi.EdiProfile;
import com.logisync.serviceview.edi.X12Outbound;
import com.logisync.serviceview.repository.SubscriptionStore;
import com.logisync.serviceview.service.ServiceTasks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sends what the customers subscribed to, from the {@code delivery} outbox, at least once and in each
 * shipment's order:
 * <ol>
 * <li>A round claims, in one transaction, the oldest pending delivery of each subscription and shipment
 * that is due ({@code for update skip locked}, so replicas share the work), holding it by a lease and a
 * token. A delivery not sent yet gets its body here and keeps it: the JSON envelope, or the X12
 * interchange with the subscription's next control number, so every attempt sends the same bytes.</li>
 * <li>The call is made outside any transaction, signed anew (Standard Webhooks headers; the
 * {@code webhook-id} is the delivery's and never changes).</li>
 * <li>The answer is recorded, fenced by the token: 2xx delivers it (and lets the shipment's next one go);
 * anything else waits with exponential backoff. A delivery that has not succeeded a day after it was
 * created is FAILED: its subscription is FAILING and the shipment gets a service task; the shipment's
 * later deliveries go on.</li>
 * </ol>
 * A sender killed after the call and before the record leaves the lease to run out; the delivery is sent
 * again under the same {@code webhook-id}, which is what the receiver dedupes on.
 */
@ApplicationScoped
public class DeliverySender {

    private static final Logger LOG = Logger.getLogger(DeliverySender.class);
    public static final String USER_AGENT = "LogiSync-Webhooks/1.0";

    private final SubscriptionConfig config;
    private final ObjectMapper mapper;
    private final ServiceTasks tasks;
    private final HttpClient client;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    private final io.quarkus.cache.Cache views;

    public DeliverySender(SubscriptionConfig config, ObjectMapper mapper, ServiceTasks tasks, Vertx vertx,
            @io.quarkus.cache.CacheName(com.logisync.serviceview.service.CaseViewQueries.CASE_VIEWS) io.quarkus.cache.Cache views) {
        this.views = views;
        this.config = config;
        this.mapper = mapper;
        this.tasks = tasks;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setMaxPoolSize(32)
                .setKeepAlive(true));
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx.getDelegate(), config.interval(),
                "Delivery round", () -> sendDue().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        if (config.senderEnabled()) {
            rounds.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** A delivery claimed for one attempt, with what sending it needs. */
    record Claimed(String deliveryId, String subscriptionId, String shipmentId, String eventId, String eventType,
            int attempts, String body, String contentType, Instant createdAt, String format, String url, String secret,
            String ediProfile, String payload, String customerId) {

        Claimed withBody(String newBody, String newContentType) {
            return new Claimed(deliveryId, subscriptionId, shipmentId, eventId, eventType, attempts, newBody,
                    newContentType, createdAt, format, url, secret, ediProfile, payload, customerId);
        }
    }

    /**
     * A claimed delivery's event (the body is made from it once): by its feed position, the feed's primary key; a
     * delivery a pod of a version before V21 wrote has none and is found by its event id, while the feed still has
     * that index (FeedEventIdIndex gives such deliveries their position before it drops it). The second branch runs
     * only for a delivery without a position (a one-time filter on the outer row).
     */
    public static final String EVENT_OF_DELIVERY = "select f.payload, f.event_id, f.event_type, f.shipment_id,"
            + " f.customer_id from customer_event f where f.feed_xid = c.feed_xid and f.feed_seq = c.feed_seq"
            + " union all select f.payload, f.event_id, f.event_type, f.shipment_id, f.customer_id"
            + " from customer_event f where c.feed_seq is null and f.event_id = c.event_id limit 1";

    private static final String CLAIM = "with claimed as (update delivery d set claimed_until = now() + $1 * interval"
            + " '1 millisecond', claim_token = $2 where d.delivery_id in (select w.delivery_id from delivery w"
            + " where w.status = 'PENDING' and w.next_attempt_at <= now() and (w.claimed_until is null or w.claimed_until < now())"
            + " and not exists (select 1 from delivery e where e.subscription_id = w.subscription_id"
            + " and e.shipment_id = w.shipment_id and e.status = 'PENDING' and e.seq < w.seq)"
            + " order by w.next_attempt_at, w.seq limit $3 for update skip locked)"
            + " returning d.delivery_id, d.subscription_id, d.shipment_id, d.event_id, d.event_type, d.attempts, d.body,"
            + " d.content_type, d.created_at, d.seq, d.feed_xid, d.feed_seq)"
            + " select c.delivery_id, c.subscription_id, c.shipment_id, c.event_id, c.event_type, c.attempts, c.body,"
            + " c.content_type, c.created_at, s.format, s.target_url, s.secret, s.edi_profile, e.payload, s.customer_id,"
            + " e.event_id as feed_event_id, e.event_type as feed_type, e.shipment_id as feed_shipment_id,"
            + " e.customer_id as feed_customer_id"
            + " from claimed c join subscription s on s.subscription_id = c.subscription_id"
            + " left join lateral (" + EVENT_OF_DELIVERY + ") e on true order by c.seq";

    /** One round: claims what is due and sends it; the number claimed. */
    public Uni<Integer> sendDue() {
        String token = UUID.randomUUID().toString();
        return Panache.withTransaction(() -> SessionSql.select(CLAIM, config.lease().toMillis(), token, config.batchSize())
                .map(rows -> rows.stream().map(r -> new Claimed((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (String) r[4], (Integer) r[5], (String) r[6], (String) r[7], SubscriptionStore.instant(r[8]),
                        (String) r[9], (String) r[10], (String) r[11], (String) r[12],
                        // The event's JSON from its feed row (stored compact: CustomerEventFeed#json).
                        CustomerEventFeed.json((String) r[13], (String) r[15], (String) r[16], (String) r[17],
                                (String) r[18]), (String) r[14])).toList())
                .chain(this::prepare))
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndMerge(d -> send(d, token))
                        .collect().asList().map(done -> claimed.size()));
    }

    /** Gives each delivery not sent before its body (stored with it); one that can never be sent is FAILED at once. */
    private Uni<List<Claimed>> prepare(List<Claimed> claimed) {
        List<Claimed> ready = new ArrayList<>();
        return com.logisync.runtime.vertx.Sequential.each(claimed, d -> {
            if (d.body() != null) {
                ready.add(d);
                return Uni.createFrom().voidItem();
            }
            if (d.payload() == null) {
                return unsendable(d, "the event " + d.eventId() + " is not in the customer event log");
            }
            if ("X12".equals(d.format())) {
                return x12(d).chain(prepared -> {
                    if (prepared == null) {
                        return unsendable(d, "X12 has no 214 status for " + d.eventType());
                    }
                    ready.add(prepared);
                    return Uni.createFrom().voidItem();
                });
            }
            String body = "{\"type\":\"" + d.eventType() + "\",\"timestamp\":\"" + d.createdAt() + "\",\"data\":"
                    + d.payload() + "}";
            ready.add(d.withBody(body, "application/json"));
            return SessionSql.update("update delivery set body = $2, content_type = $3 where delivery_id = $1",
                    d.deliveryId(), body, "application/json").replaceWithVoid();
        }).replaceWith(ready);
    }

    private static final String NEXT_CONTROL = "insert into edi_control (subscription_id, last_number) values ($1, 1)"
            + " on conflict (subscription_id) do update set last_number = edi_control.last_number + 1 returning last_number";

    private Uni<Claimed> x12(Claimed d) {
        CustomerEvent event;
        EdiProfile profile;
        try {
            event = mapper.readValue(d.payload(), CustomerEvent.class);
            profile = mapper.readValue(d.ediProfile(), EdiProfile.class);
        } catch (java.io.IOException e) {
            return Uni.createFrom().failure(new IllegalStateException("Delivery " + d.deliveryId() + " not readable", e));
        }
        boolean invoice = CustomerEventFeed.INVOICE_ISSUED.equals(d.eventType());
        if (!invoice && X12Outbound.statusCode(event) == null) {
            return Uni.createFrom().nullItem();
        }
        return SessionSql.select(NEXT_CONTROL, d.subscriptionId()).chain(rows -> {
            long control = ((Number) rows.get(0)[0]).longValue();
            Instant now = Instant.now();
            String body = invoice ? X12Outbound.invoice210(profile, control, event, now)
                    : X12Outbound.status214(profile, control, event, now);
            return SessionSql.update("update delivery set body = $2, content_type = $3, control_number = $4"
                    + " where delivery_id = $1", d.deliveryId(), body, "application/edi-x12", control)
                    .replaceWith(d.withBody(body, "application/edi-x12"));
        });
    }

    private Uni<Void> unsendable(Claimed d, String why) {
        LOG.warnf("Delivery %s of subscription %s cannot be sent: %s", d.deliveryId(), d.subscriptionId(), why);
        return SessionSql.update("update delivery set status = 'FAILED', claimed_until = null, claim_token = null,"
                + " last_error = $2 where delivery_id = $1", d.deliveryId(), why).replaceWithVoid();
    }

    /** What the subscriber answered: an HTTP status, or a failure before one. */
    record Answer(Integer status, String error, int durationMs) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private Uni<Void> send(Claimed d, String token) {
        long timestamp = Instant.now().getEpochSecond();
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(d.url())
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("content-type", d.contentType())
                .putHeader("user-agent", USER_AGENT)
                .putHeader("webhook-id", d.deliveryId())
                .putHeader("webhook-timestamp", String.valueOf(timestamp))
                .putHeader("webhook-signature", WebhookSignature.sign(d.secret(), d.deliveryId(), timestamp, d.body()));
        return client.request(options)
                .chain(request -> request.send(Buffer.buffer(d.body())))
                .chain(response -> response.body().map(b -> new Answer(response.statusCode(),
                        response.statusCode() >= 300 ? snippet(response.statusMessage() + ": " + b.toString()) : null,
                        millis(started))))
                .ifNoItem().after(config.timeout()).fail()
                .onFailure().recoverWithItem(f -> new Answer(null, snippet(f.getClass().getSimpleName()
                        + (f.getMessage() == null ? "" : ": " + f.getMessage())), millis(started)))
                .chain(answer -> record(d, token, answer))
                .onFailure().invoke(f -> LOG.warnf("Delivery %s: the answer was not recorded (%s); it is sent again after"
                        + " the lease", d.deliveryId(), f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> record(Claimed d, String token, Answer answer) {
        MDC.put("shipmentId", d.shipmentId());
        Instant now = Instant.now();
        int attempt = d.attempts() + 1;
        String status;
        Instant next = null;
        if (answer.delivered()) {
            status = "DELIVERED";
        } else if (!now.isBefore(d.createdAt().plus(config.giveUpAfter()))) {
            status = "FAILED";
        } else {
            status = "PENDING";
            next = now.plus(Backoff.exponential(config.initialBackoff(), config.maxBackoff(), attempt));
        }
        String finalStatus = status;
        Instant nextAttempt = next;
        return Panache.withTransaction(() -> SessionSql.update("update delivery set attempts = attempts + 1,"
                + " claimed_until = null, claim_token = null, status = $3, last_status = $4, last_error = $5,"
                + " delivered_at = $6, next_attempt_at = coalesce($7, next_attempt_at) where delivery_id = $1 and claim_token = $2",
                d.deliveryId(), token, finalStatus, answer.status(), answer.error(),
                answer.delivered() ? SessionSql.utc(now) : null, SessionSql.utc(nextAttempt))
                .chain(n -> {
                    if (n == 0) {
                        LOG.warnf("Delivery %s: the lease passed to another sender; this attempt is not recorded",
                                d.deliveryId());
                        return Uni.createFrom().voidItem();
                    }
                    return SessionSql.update("insert into delivery_attempt (delivery_id, attempt, attempted_at, status_code,"
                            + " error, duration_ms) values ($1, $2, $3, $4, $5, $6) on conflict do nothing", d.deliveryId(),
                            attempt, SessionSql.utc(now), answer.status(), answer.error(), answer.durationMs())
                            .chain(() -> after(d, finalStatus, answer, now));
                })).call(() -> "FAILED".equals(finalStatus) ? views.invalidate(d.shipmentId()) : Uni.createFrom().voidItem())
                .invoke(() -> {
                    if (answer.delivered()) {
                        LOG.debugf("Delivery %s (%s) to subscription %s: %d", d.deliveryId(), d.eventType(),
                                d.subscriptionId(), answer.status());
                    } else {
                        LOG.infof("Delivery %s (%s) to subscription %s failed (attempt %d: %s)%s", d.deliveryId(),
                                d.eventType(), d.subscriptionId(), attempt,
                                answer.status() != null ? "HTTP " + answer.status() : answer.error(),
                                "FAILED".equals(finalStatus) ? ": given up" : ", next at " + nextAttempt);
                    }
                })
                // The shipment id is on every line this attempt logs (the task it may open included), then gone.
                .eventually(() -> MDC.remove("shipmentId"));
    }

    private Uni<Void> after(Claimed d, String status, Answer answer, Instant now) {
        if ("DELIVERED".equals(status)) {
            return SessionSql.update("update subscription set status = 'ACTIVE', failing_since = null"
                    + " where subscription_id = $1 and status = 'FAILING'", d.subscriptionId()).replaceWithVoid();
        }
        if (!"FAILED".equals(status)) {
            return Uni.createFrom().voidItem();
        }
        String why = answer.status() != null ? "HTTP " + answer.status() : answer.error();
        return SessionSql.update("update subscription set status = 'FAILING', failing_since = coalesce(failing_since, $2)"
                + " where subscription_id = $1", d.subscriptionId(), SessionSql.utc(now))
                .chain(() -> tasks.subscriptionFailing(d.shipmentId(), d.customerId(), "subscription " + d.subscriptionId()
                        + " (" + d.url() + ") did not take " + d.eventType() + " " + d.deliveryId() + " for "
                        + human(config.giveUpAfter()) + ": " + why, now));
    }

    private static String human(java.time.Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static int millis(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static String snippet(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 300 ? one.substring(0, 297) + "..." : one;
    }
}
