package com.logisync.billing.service;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.billing.client.ErpInvoicing;
import com.logisync.billing.client.ErpRejectedException;
import com.logisync.billing.config.InvoicingConfig;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.repository.BillingCaseRepository;
import com.logisync.contracts.event.InvoiceFailed;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.event.InvoiceRequested;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.tracing.ShipmentTrace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.Instant;

/**
 * Asks ERP for each eligible shipment's invoice, exactly once, durably: a case waits in its row
 * ({@code next_invoice_at}) until ERP has answered, across ERP outages and service restarts.
 * <ol>
 * <li>After the hold, the case is rated and the rating frozen as a new revision; from then on every
 * call carries the idempotency key {@code <shipmentId>:rating-<revision>} and the same content.</li>
 * <li>One worker of one replica holds the case while it calls ({@code claimed_until}); if it dies
 * mid-call the lease runs out and another asks again with the same key, and ERP answers with the
 * invoice it already issued.</li>
 * <li>ERP's invoice id is recorded with {@code InvoiceIssued} in one transaction; hard rejections
 * end in {@code InvoiceFailed}, after which only a clerk's re-invoice (the next revision, a new key)
 * asks again.</li>
 * </ol>
 */
@ApplicationScoped
public class InvoiceWorker {

    private static final Logger LOG = Logger.getLogger(InvoiceWorker.class);

    private final BillingCaseRepository cases;
    private final BillingCaseService billing;
    private final ErpInvoicing erp;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final BillingMetrics metrics;
    private final ObjectMapper mapper;
    private final InvoicingConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;
    private final com.logisync.billing.repository.BillingDetailsRepository details;
    private final BillingDocuments documents;

    public InvoiceWorker(BillingCaseRepository cases, BillingCaseService billing, ErpInvoicing erp, Outbox outbox,
            ShipmentTrace trace, BillingMetrics metrics, ObjectMapper mapper, InvoicingConfig config, Vertx vertx,
            com.logisync.billing.repository.BillingDetailsRepository details, BillingDocuments documents) {
        this.details = details;
        this.documents = documents;
        this.cases = cases;
        this.billing = billing;
        this.erp = erp;
        this.outbox = outbox;
        this.trace = trace;
        this.metrics = metrics;
        this.mapper = mapper;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx, config.retryInterval(), "Invoice round",
                () -> invoiceDue().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** One round: every case that is due and not held, one after the other. */
    public Uni<Integer> invoiceDue() {
        return Panache.withSession(() -> cases.dueForInvoicing(Instant.now(), 20))
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(this::attempt)
                        .collect().asList()
                        .map(done -> due.size()));
    }

    /** Moves one case on by one step with ERP, if it is due and no one else holds it. */
    public Uni<Void> attempt(String shipmentId) {
        Instant now = Instant.now();
        String token = java.util.UUID.randomUUID().toString();
        return Panache.withTransaction(() -> cases.claim(shipmentId, now, now.plus(config.lease()), token)
                .chain(claimed -> claimed ? cases.findById(shipmentId) : Uni.createFrom().nullItem()))
                .chain(b -> {
                    if (b == null) {
                        return Uni.createFrom().voidItem();
                    }
                    MDC.put("shipmentId", shipmentId);
                    return switch (b.status) {
                        case ELIGIBLE -> freeze(b, token);
                        case INVOICE_REQUESTED -> call(b, token);
                        default -> release(shipmentId, token, null);
                    };
                });
    }

    /**
     * Rates the case and freezes the rating as the next revision, unless a fact that arrived after
     * eligibility (an accessorial pending a clerk, a new exception) now holds it back; then it waits
     * for the clerk's decision, which looks at it again.
     */
    private Uni<Void> freeze(BillingCase claimed, String token) {
        String shipmentId = claimed.shipmentId;
        return billing.find(shipmentId).chain(details -> {
            var unmet = details.checklist().stream().filter(c -> !c.met()).toList();
            if (!unmet.isEmpty()) {
                return hold(shipmentId, token);
            }
            return billing.rate(shipmentId)
                    .onItemOrFailure().transformToUni((rating, failure) -> {
                        if (failure instanceof ProblemException notRatable) {
                            // No diesel index for the week yet, say: retried with backoff, and at once
                            // when an index is set.
                            return release(shipmentId, token, b -> {
                                b.consecutiveFailures++;
                                b.invoiceError = truncate("not ratable: " + notRatable.getMessage());
                                b.nextInvoiceAt = Instant.now().plus(backoff(b.consecutiveFailures));
                                LOG.warnf("Invoice of %s waits, next look at %s: %s", shipmentId, b.nextInvoiceAt,
                                        b.invoiceError);
                            });
                        }
                        if (failure != null) {
                            return Uni.createFrom().failure(failure);
                        }
                        return Panache.withTransaction(() -> cases.lock(shipmentId).chain(b -> {
                            if (!token.equals(b.claimToken)) {
                                // This worker stalled past its lease and another holds the case: it writes nothing.
                                LOG.warnf("Invoice of %s not frozen: the lease passed to another worker", shipmentId);
                                return Uni.createFrom().<BillingCase>nullItem();
                            }
                            b.claimedUntil = null;
                            b.claimToken = null;
                            if (b.status != BillingStatus.ELIGIBLE) {
                                // A correction withdrew eligibility after the checklist was read: nothing is frozen.
                                LOG.infof("Invoice of %s not frozen: the case is %s now", shipmentId, b.status);
                                b.nextInvoiceAt = null;
                                return Uni.createFrom().<BillingCase>nullItem();
                            }
                            return billing.detailsOf(b).chain(now -> {
                                // The checklist again, inside the freezing transaction: what arrived since it
                                // was first read (a pending accessorial, an exception) holds the case back, and
                                // the fact that meets it schedules it again (it commits after this).
                                var unmetNow = now.checklist().stream().filter(c -> !c.met()).toList();
                                if (!unmetNow.isEmpty()) {
                                    b.invoiceError = truncate("on hold: " + String.join("; ",
                                            unmetNow.stream().map(c -> c.detail()).toList()));
                                    b.nextInvoiceAt = null;
                                    return Uni.createFrom().<BillingCase>nullItem();
                                }
                                java.util.Set<String> approved = now.accessorials().stream()
                                        .filter(a -> "APPROVED".equals(a.status)).map(a -> a.accessorialId)
                                        .collect(java.util.stream.Collectors.toSet());
                                if (!approved.equals(new java.util.HashSet<>(RatingEngine.accessorialIds(rating)))) {
                                    // The approved charges changed since the rating: rated again at once.
                                    b.nextInvoiceAt = Instant.now();
                                    return Uni.createFrom().<BillingCase>nullItem();
                                }
                                b.claimedUntil = Instant.now().plus(config.lease());
                                b.claimToken = token;
                                return frozen(b, rating);
                            });
                        })).chain(b -> b == null ? Uni.createFrom().voidItem() : call(b, token));
                    });
        });
    }

    /** Freezes the rating as the next revision (the case locked, the lease ours) and asks ERP for it. */
    private Uni<BillingCase> frozen(BillingCase b, RatingEngine.Rating rating) {
        String shipmentId = b.shipmentId;
        b.ratingRevision++;
        b.ratingJson = json(rating);
        b.invoiceCurrency = rating.currency();
        b.invoiceTotal = rating.total();
        b.status = BillingStatus.INVOICE_REQUESTED;
        b.invoiceError = null;
        b.invoiceRejections = 0;
        b.consecutiveFailures = 0;
        b.invoiceFailedAt = null;
        Instant requestedAt = Instant.now();
        LOG.infof("Shipment %s rated %s %s (revision %d): asking ERP for the invoice", shipmentId,
                rating.total(), rating.currency(), b.ratingRevision);
        return outbox.enqueue(new InvoiceRequested(new Correlation(b.shipmentId, b.orderId,
                b.loadId, null, b.customerId, null), b.ratingRevision, b.invoiceKey(),
                rating.contractId(), rating.currency(), rating.lines().stream()
                        .map(l -> new InvoiceRequested.Charge(l.code(), l.description(),
                                l.quantity(), l.unit(), l.rate(), l.amount(), l.basis(),
                                l.currency(), l.rateQualifier()))
                        .toList(), rating.total(), requestedAt, rating.contractVersion()), b.traceparent)
                .chain(() -> details.markBilled(shipmentId, RatingEngine.accessorialIds(rating),
                        b.invoiceKey()))
                .chain(() -> billing.lateCharges(b))
                .replaceWith(b);
    }

    /**
     * The checklist is not met (a pending accessorial, a new exception): the case waits for the fact
     * that meets it, which schedules it again. Decided under the case lock, so a clerk's approval
     * that landed after the checklist was read is seen here and the case goes on at once: no lost wake-up.
     */
    private Uni<Void> hold(String shipmentId, String token) {
        return Panache.withTransaction(() -> cases.lock(shipmentId).chain(b -> {
            if (!token.equals(b.claimToken)) {
                return Uni.createFrom().voidItem();
            }
            b.claimedUntil = null;
            b.claimToken = null;
            return billing.checklistOf(b).invoke(checks -> {
                var unmet = checks.stream().filter(c -> !c.met()).toList();
                if (unmet.isEmpty()) {
                    b.nextInvoiceAt = Instant.now();
                    return;
                }
                String why = "on hold: " + String.join("; ", unmet.stream().map(c -> c.detail()).toList());
                LOG.infof("Invoice of %s %s", shipmentId, why);
                b.invoiceError = truncate(why);
                b.nextInvoiceAt = null;
            }).replaceWithVoid();
        }));
    }

    /** Asks ERP for the frozen revision's invoice and records the answer. */
    private Uni<Void> call(BillingCase b, String token) {
        String shipmentId = b.shipmentId;
        String key = b.invoiceKey();
        int revision = b.ratingRevision;
        return Panache.withSession(() -> billing.contractFor(b).chain(contract -> details.podDocumentWithContent(shipmentId)
                        .map(pod -> InvoiceRequests.build(b, rating(b), b.ratingRevision, "INVOICE", null, pod,
                                contract != null && contract.wantsPodWithInvoice()))))
                .chain(request -> trace.inShipmentTrace("erp-invoice", shipmentId, b.traceparent,
                traceparent -> erp.issue(key, request)
                        .onItemOrFailure().transformToUni((invoiceId, failure) -> Panache.withTransaction(
                                () -> record(shipmentId, revision, key, invoiceId, failure, traceparent, token)))))
                .invoke(invoiced -> {
                    if (invoiced != null) {
                        metrics.invoiced(invoiced.eligibleAt, invoiced.podReceivedAt, invoiced.invoicedAt);
                    }
                })
                .replaceWithVoid();
    }

    /** Records ERP's answer; returns the case when this answer invoiced it. */
    private Uni<BillingCase> record(String shipmentId, int revision, String key, String invoiceId, Throwable failure,
            String traceparent, String token) {
        Instant now = Instant.now();
        return cases.lock(shipmentId).chain(b -> {
            if (!token.equals(b.claimToken)) {
                // Stalled past the lease: the new holder asks ERP under the same key and records the same invoice.
                LOG.warnf("ERP's answer for %s (key %s) not recorded here: the lease passed to another worker",
                        shipmentId, key);
                return Uni.createFrom().nullItem();
            }
            b.claimedUntil = null;
            b.claimToken = null;
            b.invoiceAttempts++;
            if (b.status != BillingStatus.INVOICE_REQUESTED || b.ratingRevision != revision) {
                return Uni.createFrom().nullItem(); // someone else finished it meanwhile
            }
            Correlation correlation = new Correlation(b.shipmentId, b.orderId, b.loadId, null, b.customerId, null);
            if (failure == null) {
                metrics.invoiceAnswer("ISSUED");
                b.status = BillingStatus.INVOICED;
                b.invoiceId = invoiceId;
                b.invoicedAt = now;
                b.invoiceError = null;
                b.nextInvoiceAt = null;
                b.consecutiveFailures = 0;
                LOG.infof("Shipment %s invoiced by ERP as %s (%s %s, key %s)", shipmentId, invoiceId, b.invoiceTotal,
                        b.invoiceCurrency, key);
                String contractId = contractOf(b);
                return outbox.enqueue(new InvoiceIssued(new Correlation(b.shipmentId, b.orderId, b.loadId, invoiceId,
                        b.customerId, null), invoiceId, revision, key, contractId,
                        b.invoiceCurrency, b.invoiceTotal, b.eligibleAt, now), traceparent)
                        .chain(() -> documents.recordFirstInvoice(b))
                        .chain(() -> billing.republish(b))
                        .replaceWith(b);
            }
            b.invoiceError = truncate(failure.getMessage());
            if (failure instanceof ErpRejectedException) {
                b.invoiceRejections++;
                metrics.invoiceAnswer(b.invoiceRejections >= config.maxRejections() ? "FAILED" : "REJECTED");
                if (b.invoiceRejections >= config.maxRejections()) {
                    b.status = BillingStatus.INVOICE_FAILED;
                    b.invoiceFailedAt = now;
                    b.nextInvoiceAt = null;
                    LOG.errorf("ERP refused the invoice of %s %d times (key %s): %s", shipmentId, b.invoiceRejections,
                            key, b.invoiceError);
                    return outbox.enqueue(new InvoiceFailed(correlation, revision, key, b.invoiceError,
                            b.invoiceAttempts, now), traceparent).replaceWith((BillingCase) null);
                }
            }
            if (!(failure instanceof ErpRejectedException)) {
                metrics.invoiceAnswer("UNAVAILABLE");
            }
            b.consecutiveFailures++;
            b.nextInvoiceAt = now.plus(backoff(b.consecutiveFailures));
            LOG.warnf("ERP invoice of %s failed (attempt %d), next try at %s: %s", shipmentId, b.invoiceAttempts,
                    b.nextInvoiceAt, b.invoiceError);
            return Uni.createFrom().nullItem();
        });
    }

    private Uni<Void> release(String shipmentId, String token, java.util.function.Consumer<BillingCase> change) {
        return Panache.withTransaction(() -> cases.lock(shipmentId).invoke(b -> {
            if (!token.equals(b.claimToken)) {
                return; // the lease passed to another worker: its case, not ours to change
            }
            b.claimedUntil = null;
            b.claimToken = null;
            if (change != null) {
                change.accept(b);
            } else {
                b.nextInvoiceAt = null;
            }
        })).replaceWithVoid();
    }

    private String contractOf(BillingCase b) {
        return rating(b).contractId();
    }

    private RatingEngine.Rating rating(BillingCase b) {
        return billing.frozen(b);
    }

    private String json(RatingEngine.Rating rating) {
        try {
            return mapper.writeValueAsString(rating);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store the rating", e);
        }
    }

    private Duration backoff(int failures) {
        return com.logisync.runtime.retry.Backoff.exponential(config.initialBackoff(), config.maxBackoff(), failures);
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
