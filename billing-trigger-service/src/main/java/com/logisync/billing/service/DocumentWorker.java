package com.logisync.billing.service;

import com.logisync.billing.client.ErpInvoiceApi;
import com.logisync.billing.client.ErpInvoicing;
import com.logisync.billing.client.ErpRejectedException;
import com.logisync.billing.config.InvoicingConfig;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingDocument;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.repository.BillingCaseRepository;
import com.logisync.billing.repository.BillingDetailsRepository;
import com.logisync.contracts.event.InvoiceIssued;
import com.logisync.contracts.model.Correlation;
import com.logisync.runtime.outbox.Outbox;
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
import java.util.List;
import java.util.UUID;

/**
 * Asks ERP for every document after the first invoice (supplementary invoices, credit notes,
 * rebills), exactly once each, durably, like {@link InvoiceWorker}: a document is due once the
 * case's first invoice is issued and every earlier document of the case is issued; one worker of
 * one replica holds it under a lease whose token fences the record of ERP's answer; every retry
 * carries the document's idempotency key and the same content.
 */
@ApplicationScoped
public class DocumentWorker {

    private static final Logger LOG = Logger.getLogger(DocumentWorker.class);
    private static final String DUE = "select d.idempotencyKey from BillingDocument d, BillingCase b"
            + " where b.shipmentId = d.shipmentId and b.status = :invoiced and d.state = 'REQUESTED'"
            + " and d.nextAttemptAt <= :now and (d.claimedUntil is null or d.claimedUntil <= :now)"
            + " and not exists (select 1 from BillingDocument e where e.shipmentId = d.shipmentId and e.seq < d.seq"
            + " and e.state = 'REQUESTED') order by d.nextAttemptAt";
    private static final String CLAIM = "update BillingDocument d set d.claimedUntil = :until, d.claimToken = :token"
            + " where d.idempotencyKey = :key and d.state = 'REQUESTED'"
            + " and (d.claimedUntil is null or d.claimedUntil <= :now)";

    private final BillingCaseRepository cases;
    private final BillingDetailsRepository details;
    private final BillingCaseService billing;
    private final BillingDocuments documents;
    private final ErpInvoicing erp;
    private final Outbox outbox;
    private final ShipmentTrace trace;
    private final InvoicingConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    public DocumentWorker(BillingCaseRepository cases, BillingDetailsRepository details, BillingCaseService billing,
            BillingDocuments documents, ErpInvoicing erp, Outbox outbox, ShipmentTrace trace, InvoicingConfig config,
            Vertx vertx) {
        this.cases = cases;
        this.details = details;
        this.billing = billing;
        this.documents = documents;
        this.erp = erp;
        this.outbox = outbox;
        this.trace = trace;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx, config.retryInterval(), "Document round",
                () -> round().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** One round: supplementary invoices that are due are frozen, then every due document is asked for. */
    public Uni<Integer> round() {
        Instant now = Instant.now();
        return Panache.withSession(() -> cases.dueForSupplement(now, 20))
                .chain(due -> Multi.createFrom().iterable(due).onItem()
                        .transformToUniAndConcatenate(documents::freezeSupplement).collect().asList())
                .chain(() -> Panache.withSession(() -> Panache.getSession().chain(s -> s.createQuery(DUE, String.class)
                        .setParameter("invoiced", BillingStatus.INVOICED).setParameter("now", Instant.now())
                        .setMaxResults(20).getResultList())))
                .chain(keys -> Multi.createFrom().iterable(keys).onItem().transformToUniAndConcatenate(this::attempt)
                        .collect().asList().map(List::size));
    }

    /** Asks ERP for one document, if it is due and no one else holds it. */
    public Uni<Void> attempt(String key) {
        Instant now = Instant.now();
        String token = UUID.randomUUID().toString();
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createMutationQuery(CLAIM)
                        .setParameter("until", now.plus(config.lease())).setParameter("token", token)
                        .setParameter("key", key).setParameter("now", now).executeUpdate()
                        .chain(n -> n != 1 ? Uni.createFrom().<Call>nullItem()
                                : s.find(BillingDocument.class, key).chain(d -> cases.findById(d.shipmentId)
                                        .chain(b -> request(b, d).map(r -> new Call(d, b, r)))))))
                .chain(call -> call == null ? Uni.createFrom().voidItem() : call(call, token));
    }

    private record Call(BillingDocument document, BillingCase billingCase, ErpInvoiceApi.InvoiceRequest request) {
    }

    /** What ERP is sent: the frozen document, with the invoice it credits or adds to, and the POD for invoices. */
    private Uni<ErpInvoiceApi.InvoiceRequest> request(BillingCase b, BillingDocument d) {
        Uni<String> original = d.originalKey == null ? Uni.createFrom().nullItem()
                : Panache.getSession().chain(s -> s.find(BillingDocument.class, d.originalKey))
                        .map(o -> o == null ? (d.originalKey.equals(b.invoiceKey()) ? b.invoiceId : null)
                                : o.erpDocumentId);
        return original.chain(originalId -> billing.contractFor(b).chain(contract -> (d.isInvoice()
                ? details.podDocumentWithContent(b.shipmentId)
                : Uni.createFrom().<com.logisync.billing.model.BillingPodDocument>nullItem())
                .map(pod -> InvoiceRequests.build(b, documents.read(d.ratingJson), b.ratingRevision, d.kind,
                        BillingDocument.INVOICE.equals(d.kind) ? null : originalId, pod,
                        contract != null && contract.wantsPodWithInvoice()))));
    }

    private Uni<Void> call(Call call, String token) {
        BillingDocument d = call.document();
        MDC.put("shipmentId", d.shipmentId);
        return trace.inShipmentTrace("erp-" + d.kind.toLowerCase(java.util.Locale.ROOT), d.shipmentId,
                call.billingCase().traceparent, traceparent -> erp.issue(d.idempotencyKey, call.request())
                        .onItemOrFailure().transformToUni((erpId, failure) -> Panache.withTransaction(
                                () -> record(d.shipmentId, d.idempotencyKey, token, erpId, failure, traceparent))))
                .replaceWithVoid();
    }

    /** Records ERP's answer, unless the lease passed to another worker meanwhile. */
    private Uni<Void> record(String shipmentId, String key, String token, String erpId, Throwable failure,
            String traceparent) {
        Instant now = Instant.now();
        return cases.lock(shipmentId).chain(b -> Panache.getSession().chain(s -> s.find(BillingDocument.class, key))
                .chain(d -> {
                    if (!token.equals(d.claimToken) || !BillingDocument.REQUESTED.equals(d.state)) {
                        LOG.warnf("ERP's answer for %s not recorded here: the lease passed to another worker", key);
                        return Uni.createFrom().voidItem();
                    }
                    d.claimedUntil = null;
                    d.claimToken = null;
                    d.attempts++;
                    if (failure == null) {
                        d.state = BillingDocument.ISSUED;
                        d.erpDocumentId = erpId;
                        d.issuedAt = now;
                        d.error = null;
                        d.nextAttemptAt = null;
                        LOG.infof("ERP issued %s %s for %s (%s %s, key %s)", d.kind, erpId, shipmentId, d.total,
                                d.currency, key);
                        Uni<Void> rebilled = Uni.createFrom().voidItem();
                        if (BillingDocument.INVOICE.equals(d.kind)) {
                            // The invoice that rebills a voided one is the case's invoice from now on.
                            b.invoiceId = erpId;
                            b.invoiceTotal = d.total;
                            b.invoiceCurrency = d.currency;
                            b.invoicedAt = now;
                            rebilled = outbox.enqueue(new InvoiceIssued(new Correlation(b.shipmentId, b.orderId,
                                    b.loadId, erpId, b.customerId, null), erpId, b.ratingRevision, key,
                                    documents.read(d.ratingJson).contractId(), d.currency, d.total, b.eligibleAt, now),
                                    traceparent).replaceWithVoid();
                        }
                        return rebilled.chain(() -> billing.republish(b));
                    }
                    d.error = truncate(failure.getMessage());
                    if (failure instanceof ErpRejectedException) {
                        d.rejections++;
                        if (d.rejections >= config.maxRejections()) {
                            d.state = BillingDocument.FAILED;
                            d.nextAttemptAt = null;
                            LOG.errorf("ERP refused %s %s %d times: %s", d.kind, key, d.rejections, d.error);
                            return billing.republish(b);
                        }
                    }
                    d.consecutiveFailures++;
                    d.nextAttemptAt = now.plus(backoff(d.consecutiveFailures));
                    LOG.warnf("ERP %s %s failed (attempt %d), next try at %s: %s", d.kind, key, d.attempts,
                            d.nextAttemptAt, d.error);
                    return Uni.createFrom().voidItem();
                }));
    }

    private Duration backoff(int failures) {
        return com.logisync.runtime.retry.Backoff.exponential(config.initialBackoff(), config.maxBackoff(), failures);
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
